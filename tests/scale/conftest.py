"""A small fictitious clinic built once for the scale tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from clinic_builders import build_clinic


@pytest.fixture(scope="session")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("clinic") / "clinic.db"
    return path, build_clinic(path)
