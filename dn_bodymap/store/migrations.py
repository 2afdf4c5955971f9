"""Numbered schema migrations, tracked in ``PRAGMA user_version``.

Each open runs ``BEGIN IMMEDIATE; read user_version; migrate; PRAGMA user_version = N; COMMIT`` so
the version bump commits together with the DDL (reference/reliability.md). A file whose version is
newer than ``LATEST_VERSION`` is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the lean listing path reads LATEST_VERSION without sqlite-utils
    from sqlite_utils import Database

from dn_bodymap.store.errors import NewerSchemaError
from dn_bodymap.store.schema_audit_content import AUDIT_CONTENT_SCHEMA
from dn_bodymap.store.schema_last_visit import LAST_VISIT_SCHEMA
from dn_bodymap.store.schema_settings import SETTINGS_SCHEMA
from dn_bodymap.store.schema_v1 import SCHEMA_V1, SIGNED_CHILD_TRIGGERS
from dn_bodymap.store.schema_v3 import ANNOTATIONS_V3
from dn_bodymap.store.schema_v5 import MARK_DEPTH_WARNING_V5
from dn_bodymap.store.search import search_key

# 'DNBM': marks a file as a dn-bodymap record store, so a foreign SQLite file is never migrated.
APPLICATION_ID = 0x444E424D


def _v1_initial(db: Database) -> None:
    db.executescript(SCHEMA_V1)
    db.executescript(SIGNED_CHILD_TRIGGERS)


def _v2_search_keys(db: Database) -> None:
    """Folded name / record-number columns with an index: case- and accent-blind patient search."""
    db.conn.create_function("dn_search_key", 1, search_key, deterministic=True)
    db.executescript(
        """
        ALTER TABLE patients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE patients ADD COLUMN record_key TEXT NOT NULL DEFAULT '';
        UPDATE patients SET name_key = dn_search_key(display_name),
                            record_key = dn_search_key(record_number);
        CREATE INDEX patients_by_name_key ON patients(name_key);
        CREATE INDEX patients_by_record_key ON patients(record_key);
        """
    )


def _v3_annotations(db: Database) -> None:
    """Arrows from a mark to where its pain refers, and text notes pinned to the map."""
    db.executescript(ANNOTATIONS_V3)


def _v4_settings(db: Database) -> None:
    """Per-database settings (clinician profile, clinic), voided drafts, who recorded an event."""
    db.executescript(SETTINGS_SCHEMA)


def _v5_mark_depth_warning(db: Database) -> None:
    """The depth warning given at entry, stored with the mark."""
    db.executescript(MARK_DEPTH_WARNING_V5)


def _v6_audit_content(db: Database) -> None:
    """Audit entries that cover each record's content (keyed), and triggers on every table of a
    signed session (addenda and adverse events may still be added, never changed or removed)."""
    db.executescript(AUDIT_CONTENT_SCHEMA)


def _v7_last_visit(db: Database) -> None:
    """Each patient's last visit, kept by triggers, so the "recent" list does not scan sessions."""
    db.executescript(LAST_VISIT_SCHEMA)


MIGRATIONS: tuple[tuple[int, Callable[[Database], None]], ...] = (
    (1, _v1_initial),
    (2, _v2_search_keys),
    (3, _v3_annotations),
    (4, _v4_settings),
    (5, _v5_mark_depth_warning),
    (6, _v6_audit_content),
    (7, _v7_last_visit),
)
LATEST_VERSION = MIGRATIONS[-1][0]


def newer_schema_error(found: int, path: object) -> NewerSchemaError:
    return NewerSchemaError(
        f"{path} was written by a newer version of dn-bodymap (schema {found}, this version "
        f"reads up to {LATEST_VERSION}); it was not changed. Update dn-bodymap to open it."
    )


def migrate(db: Database, path: object = "the database", target: int = LATEST_VERSION) -> int:
    """Bring the schema to ``target`` in one immediate transaction; returns the old version."""
    db.execute("BEGIN IMMEDIATE")
    try:
        current = db.execute("PRAGMA user_version").fetchone()[0]
        if current > LATEST_VERSION:
            raise newer_schema_error(current, path)
        for version, step in MIGRATIONS:
            if current < version <= target:
                step(db)
        if current < target:
            db.execute(f"PRAGMA user_version = {int(target)}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    return current
