"""The engine on a tiny synthetic atlas: mirroring, sides, clipping, partition, caching."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.build import AtlasDataError
from dn_bodymap.atlas.loader import assets_fingerprint, cache_file, load_atlas, read_cached
from dn_bodymap.atlas.model import Atlas, Side, side_of_x
from dn_bodymap.atlas.validate import partition_error


def test_side_convention_anterior_mirrors_posterior():
    assert side_of_x("anterior", -10) is Side.RIGHT
    assert side_of_x("anterior", 10) is Side.LEFT
    assert side_of_x("posterior", 10) is Side.RIGHT
    assert side_of_x("posterior", -10) is Side.LEFT
    assert side_of_x("lateral_right", 5) is Side.RIGHT
    assert side_of_x("lateral_left", 5) is Side.LEFT
    assert side_of_x("anterior", 0.5, midline_band=1) is Side.MIDLINE


def test_bilateral_shapes_are_mirrored_with_the_patient_side(mini_atlas):
    ant = {(s.muscle_id, s.side): s for s in mini_atlas.view("anterior").muscle_shapes}
    # authored at x > 0: anterior → the patient's left, posterior → the patient's right
    assert ant[("deep_one", Side.LEFT)].geometry.centroid.x > 0
    assert ant[("deep_one", Side.RIGHT)].geometry.centroid.x < 0
    post = {(s.muscle_id, s.side): s for s in mini_atlas.view("posterior").muscle_shapes}
    assert post[("big", Side.RIGHT)].geometry.centroid.x > 0


def test_shapes_are_clipped_to_the_silhouette(mini_atlas):
    view = mini_atlas.view("anterior")
    for s in view.muscle_shapes:
        assert s.geometry.difference(view.silhouette).area < 1e-6


def test_fibre_angle_mirrors(mini_atlas):
    shapes = {s.side: s for s in mini_atlas.view("anterior").muscle_shapes if s.muscle_id == "big"}
    assert shapes[Side.LEFT].fibre_angle == 30
    assert shapes[Side.RIGHT].fibre_angle == 150


def test_regions_tile_the_silhouette_even_when_authored_roughly(mini_atlas):
    for view in mini_atlas.views.values():
        assert partition_error(view) < 1e-6
    # the overlap of chest and belly goes to the earlier region
    ant = mini_atlas.view("anterior")
    ids = {(r.id, r.side) for r in ant.regions}
    assert ("head", Side.MIDLINE) in ids and ("chest", Side.RIGHT) in ids and ("belly", Side.LEFT) in ids


def test_lateral_left_is_the_mirror_of_lateral_right(mini_atlas):
    right, left = mini_atlas.view("lateral_right"), mini_atlas.view("lateral_left")
    assert right.silhouette.bounds[2] == pytest.approx(-left.silhouette.bounds[0])
    assert {s.side for s in left.muscle_shapes} == {Side.LEFT}
    assert left.landmark("ear", "left").x == -right.landmark("ear", "right").x


def test_landmarks_mirror_and_midline(mini_atlas):
    ant = mini_atlas.view("anterior")
    assert ant.landmark("navel").side is Side.MIDLINE
    assert ant.landmark("shoulder", "right").x == -60
    assert ant.landmark("shoulder", "left").x == 60
    with pytest.raises(KeyError):
        ant.landmark("spine")  # posterior only


def test_cache_is_used_and_keyed_on_content(mini_root, monkeypatch, tmp_path):
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "c"))
    first = load_atlas(mini_root)
    path = cache_file(assets_fingerprint(mini_root))
    assert path.exists()
    assert read_cached(path, Atlas).version == first.version
    (mini_root / "atlas.toml").write_text('version = "test-2"\n')
    assert load_atlas(mini_root).version == "test-2"


def test_torn_cache_file_is_rebuilt(mini_root, monkeypatch, tmp_path):
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "c"))
    path = cache_file(assets_fingerprint(mini_root))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x04garbage")
    assert load_atlas(mini_root).version == "test-1"


@pytest.mark.parametrize(
    ("rel", "text", "message"),
    [
        (
            "shapes/anterior/bad.toml",
            '[[shape]]\nmuscle = "nobody"\npoly = [[0,0],[1,0],[0,1]]\n',
            "unknown muscle",
        ),
        (
            "shapes/anterior/bad.toml",
            '[[shape]]\nmuscle = "big"\npoly = [["nowhere",0,0],[1,0],[0,1]]\n',
            "unknown landmark",
        ),
        (
            "muscles/dup.toml",
            '[[muscle]]\nid = "big"\nname = "x"\ngroup = "g"\nlayer = "deep"\n',
            "twice",
        ),
        ("regions/anterior.toml", "[[region]\n", "regions/anterior.toml"),
    ],
)
def test_broken_data_is_reported_by_name(mini_root, monkeypatch, tmp_path, write_tree, rel, text, message):
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "c"))
    write_tree(mini_root, {rel: text})
    with pytest.raises(AtlasDataError, match=message):
        load_atlas(mini_root, use_cache=False)


@settings(max_examples=40)
@given(flip=st.integers(0, 10_000), data=st.binary(max_size=64))
def test_a_damaged_cache_file_never_reaches_pickle(tmp_path_factory, flip, data):
    """A flipped byte or foreign bytes fail the checksum and are read as "no cache"; unpickling
    arbitrary bytes is never tried (it can fail inside the interpreter, not just raise)."""
    from dn_bodymap.atlas import loader

    path = tmp_path_factory.mktemp("cache") / "atlas-x.pickle"
    loader.write_cached(path, {"value": list(range(500))})
    whole = path.read_bytes()
    assert loader.read_cached(path, dict) == {"value": list(range(500))}
    damaged = bytearray(whole)
    damaged[flip % len(damaged)] ^= 0x01
    path.write_bytes(bytes(damaged))
    assert loader.read_cached(path, dict) is None
    path.write_bytes(data)
    assert loader.read_cached(path, dict) is None
