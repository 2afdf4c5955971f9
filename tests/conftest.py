"""Test-wide settings: Qt runs offscreen so plain `pytest` works on a machine without a display,
and no property test depends on the machine's speed."""

import os
import tempfile

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Each test session gets its own user data folder (the writers' identity locks live there, keyed by
# device and inode). Two sessions side by side on one machine shared it, and a temporary database of
# one could reuse the inode of a file the other had just replaced while still holding its lock:
# a spurious "in use" in the other session. It also keeps the suite out of the user's own folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="dn-bodymap-test-data-")

# Hypothesis's default 200 ms deadline and its "too slow" health check measure the machine, not the
# code: on a busy 2-core CI box they failed correct geometry tests. A test that must be fast says so
# in a benchmark (bench/), never as a timed assertion.
settings.register_profile(
    "dn-bodymap", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("dn-bodymap")


@pytest.fixture(autouse=True)
def _no_passphrase_asker_leaks_out_of_a_test():
    """The passphrase asker is process-wide (store/key_source.py): a test that starts the app
    installs the GUI's modal dialog, and a later test meeting an encrypted-looking file would then
    block on a dialog nobody answers. Each test leaves the asker as it found it."""
    from dn_bodymap.store import key_source

    previous = key_source.set_asker(None)
    key_source.set_asker(previous)
    yield
    key_source.set_asker(previous)
