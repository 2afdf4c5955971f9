"""The clinical record: patients, sessions, marks, pain areas, acknowledgements, adverse events.

Plain frozen values that validate themselves, plus the ``Repository`` protocol that ``store/``
implements. No Qt, no SQLite and no shapely here, so the record model loads fast and is usable
headless (CLI, scripts, the crash-test child process).
"""
