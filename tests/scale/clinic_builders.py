"""Builds small fictitious clinics for the scale tests (the bulk builder is deterministic)."""

from __future__ import annotations

from pathlib import Path

from dn_bodymap.store import open_store
from dn_bodymap.store.demo_clinic import fill_clinic

SMALL_CLINIC = 25


def build_clinic(path: Path, patients: int = SMALL_CLINIC, seed: int = 14) -> dict[str, int]:
    with open_store(path, actor="demo", backups=False) as repo:
        return fill_clinic(repo, patients, seed=seed)
