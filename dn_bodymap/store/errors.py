"""Store failures with plain messages a clinic administrator can act on."""

from __future__ import annotations

from dn_bodymap.charting.errors import RecordError


class StoreError(RecordError):
    """The database cannot be used as asked; the message says why and what to do."""


class NotADatabaseError(StoreError):
    """The file is not an SQLite database, or not a dn-bodymap one. It was left untouched."""


class DamagedDatabaseError(StoreError):
    """The file fails SQLite's integrity check. It was left untouched."""


class NewerSchemaError(StoreError):
    """The file was written by a newer dn-bodymap; opening it here could lose data."""


class DatabaseInUseError(StoreError):
    """Another dn-bodymap window holds the database (one writer at a time)."""


class StoreFullError(StoreError):
    """The disk (or the database size limit) is full; the change was not saved."""


class BackupError(StoreError):
    """A backup could not be made or fails its integrity check."""
