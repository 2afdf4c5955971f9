"""Workstations for the sync tests: separate SQLite stores, a content hash of their records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dn_bodymap.store import open_store
from dn_bodymap.store.replica import KIND_ORDER, KIND_TABLES
from dn_bodymap.store.repository import SqliteRepository


def open_workstation(root: Path, name: str) -> SqliteRepository:
    return open_store(root / name / "records.db", actor=f"Dr {name}", backups=False)


def records_hash(repo: SqliteRepository) -> str:
    """sha256 of every record row (all columns), table by table, ordered by id."""
    digest = hashlib.sha256()
    for kind in KIND_ORDER:
        cursor = repo.db.execute(f"SELECT * FROM {KIND_TABLES[kind]} ORDER BY id")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            digest.update(json.dumps(dict(zip(names, row, strict=True)), sort_keys=True).encode())
    return digest.hexdigest()


def count(repo: SqliteRepository, table: str) -> int:
    return int(repo.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
