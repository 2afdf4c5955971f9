"""``db backups`` (listing, --json, --location) and ``db backup --to``, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_builders import make_patient

from dn_bodymap.cli import main
from dn_bodymap.store import open_store
from dn_bodymap.store.backup import backups_of, integrity_problems, plain_backup


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    with open_store(path) as repo:
        repo.add_patient(make_patient("A"))
        repo.backup_if_changed()
    return path


def listing(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> dict:
    assert main(["--db", str(db), "db", "backups", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_listing_shows_location_backups_policy_and_erasure(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = listing(capsys, db)
    assert report["location"] == str(db.parent / "records-backups")
    assert [b["reason"] for b in report["backups"]] == ["auto"]
    first = report["backups"][0]
    assert first["automatic"] and first["size"] == Path(first["path"]).stat().st_size
    assert first["compressed"] and first["path"].endswith(".db.gz")
    assert report["policy"]["last"] >= 1 and "erased" in report["erased_patient_leaves_backups"]
    assert main(["--db", str(db), "db", "backups"]) == 0
    text = capsys.readouterr().out
    assert "records-backups" in text and "thinned by the tiers" in text


def test_location_is_set_per_database_and_used(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other-disk"
    other.mkdir()
    report = listing(capsys, db, "--location", str(other))
    assert report["location"] == str(other)
    with open_store(db) as repo:
        repo.add_patient(make_patient("B"))
        repo.backup_if_changed()
    newest = backups_of(db)[0]
    assert newest.parent == other and newest.name.endswith(".db.gz")  # the app's own copy: compressed
    with plain_backup(newest) as plain:
        assert integrity_problems(plain) == []
    assert main(["--db", str(db), "db", "backups", "--location", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert listing(capsys, db)["location"] == str(other)  # a refused change changes nothing


def test_backup_to_another_folder(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["--db", str(db), "db", "backup", "--to", str(usb)]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == usb and written.name.endswith("-manual.db")
    assert integrity_problems(written) == []
    assert main(["--db", str(db), "db", "backup", "--to", str(db)]) == 2
    assert "is a file" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="2"):  # one or the other: a usage error
        main(["--db", str(db), "db", "backup", "--to", str(usb), "--out", str(usb / "x.db")])
    assert "not allowed" in capsys.readouterr().err


def test_check_after_restoring_an_older_backup_is_clean(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A restore goes back to an older chain on purpose: the copy kept from before it (with newer
    audit entries) is no anchor for the restored chain, so `db check` must not call them "gone"."""
    older = backups_of(db)[0]
    with open_store(db) as repo:
        repo.add_patient(make_patient("B"))
        repo.backup_if_changed()
    assert main(["--db", str(db), "db", "restore", str(older)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "db", "check"]) == 0, capsys.readouterr()
    assert "is gone" not in capsys.readouterr().out
