"""Child of test_store_encryption_kill.py: converts a database back and forth until killed.

argv: database, plan ("step:<n>" kills itself as the n-th conversion step starts, "timer:<seconds>"
kills itself from a thread at that moment, wherever the conversion is), number of conversions, and
optionally "rekey" (change the passphrase to DN_BODYMAP_NEW_PASSPHRASE instead).
The passphrase comes from DN_BODYMAP_PASSPHRASE, as for a script.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from dn_bodymap.store import encryption_convert, key_source
from dn_bodymap.store.encryption import looks_encrypted


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    db, plan, conversions = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    kind, _, value = plan.partition(":")
    if kind == "step":
        steps = {"n": 0}

        def progress(step: str) -> None:
            steps["n"] += 1
            if steps["n"] == int(value):
                _die()

        encryption_convert.progress = progress
    else:
        threading.Timer(float(value), _die).start()
    passphrase = key_source.env_passphrase()
    assert passphrase
    rekey = sys.argv[4:5] == ["rekey"]
    for _ in range(conversions):
        if rekey:
            encryption_convert.rekey_database(db, os.environ[key_source.NEW_PASSPHRASE_ENV])
        elif looks_encrypted(db):
            encryption_convert.decrypt_database(db)
        else:
            encryption_convert.encrypt_database(db, passphrase)
    print("finished", flush=True)
    os._exit(0)  # past a pending timer


if __name__ == "__main__":
    main()
