"""Fixtures for the safety engine tests: the packaged atlas and hazard zones (built once)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def atlas():
    from dn_bodymap.atlas.loader import default_atlas

    return default_atlas()


@pytest.fixture(scope="session")
def hazards():
    from dn_bodymap.safety.hazards import default_hazards

    return default_hazards()
