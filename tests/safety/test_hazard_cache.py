"""The hazard set is cached on disk like the atlas, under a key that follows the hazard file."""

from __future__ import annotations

import shutil

import pytest

from dn_bodymap.safety import hazards as hz


@pytest.fixture
def hazard_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "hazards.toml"
    shutil.copyfile(hz.hazards_file(), path)
    return path


def _count_builds(monkeypatch) -> list[int]:
    builds: list[int] = []
    real = hz.build_hazards

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hz, "build_hazards", counting)
    return builds


def test_second_load_comes_from_the_cache_and_matches(atlas, hazard_copy, monkeypatch):
    builds = _count_builds(monkeypatch)
    first = hz.cached_hazards(atlas, hazard_copy)
    second = hz.cached_hazards(atlas, hazard_copy)
    assert len(builds) == 1
    assert second.atlas is atlas
    assert second.zones == first.zones
    for zid, zone in first.zones.items():
        pairs = zip(zone.pieces, second.zones[zid].pieces, strict=True)
        assert all(p.geometry.equals_exact(q.geometry, 0) for p, q in pairs)
    assert [p.zone_id for p in second.hits("anterior", 0.0, 300.0)] == [
        p.zone_id for p in first.hits("anterior", 0.0, 300.0)
    ]


def test_editing_the_hazard_file_rebuilds(atlas, hazard_copy, monkeypatch):
    builds = _count_builds(monkeypatch)
    hz.cached_hazards(atlas, hazard_copy)
    hazard_copy.write_text(hazard_copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    hz.cached_hazards(atlas, hazard_copy)
    assert len(builds) == 2


def test_torn_cache_file_is_rebuilt(atlas, hazard_copy, monkeypatch):
    from dn_bodymap.atlas.loader import cache_file

    path = cache_file("hazards-" + hz.hazards_fingerprint(hazard_copy))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    builds = _count_builds(monkeypatch)
    assert hz.cached_hazards(atlas, hazard_copy).zones
    assert len(builds) == 1
