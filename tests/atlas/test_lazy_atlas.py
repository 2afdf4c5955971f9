"""An atlas read from its cache file decodes its shapes at their first use (atlas/lazy.py, issue
#14): until then its names, muscles and view bounds answer without shapely; once decoded it equals
the atlas that was built, first reads from several threads decode once, and it pickles and
``dataclasses.replace``s as an ``Atlas``."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dn_bodymap.atlas.lazy import LazyAtlas
from dn_bodymap.atlas.loader import load_atlas
from dn_bodymap.atlas.model import Atlas


@pytest.fixture
def cached(mini_root: Path, tmp_path: Path, monkeypatch) -> tuple[Atlas, LazyAtlas]:
    """(the atlas as built and written to a private cache folder, the same read back)."""
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "cache"))
    built = load_atlas(mini_root, use_cache=False)
    first = load_atlas(mini_root)  # built, written, and read back: the same as any later read
    read = load_atlas(mini_root)
    assert type(built) is Atlas and isinstance(first, LazyAtlas) and isinstance(read, LazyAtlas)
    assert first.identity == read.identity is not None and first == built
    return built, read


def test_names_muscles_and_bounds_answer_before_any_shape_is_decoded(cached) -> None:
    built, read = cached
    assert not read.decoded
    assert read.view_names() == tuple(built.views) == built.view_names()
    for name in read.view_names():
        assert read.view_bounds(name) == built.view_bounds(name) == tuple(built.view(name).silhouette.bounds)
    assert read.detail_views() == built.detail_views()
    assert (read.version, read.muscles, read.view_meta) == (built.version, built.muscles, built.view_meta)
    assert not read.decoded  # none of that read a shape
    first = read.view_names()[0]
    assert read.view(first).silhouette.equals_exact(built.view(first).silhouette, 0)
    assert read.decoded and read == built and built == read


def test_an_unknown_view_is_named_in_the_message(cached) -> None:
    _, read = cached
    with pytest.raises(KeyError, match="unknown view 'elbow'"):
        read.view_bounds("elbow")
    assert not read.decoded


def test_first_reads_from_several_threads_decode_once(cached) -> None:
    built, _ = cached
    calls: list[int] = []
    start = threading.Barrier(4)

    def load() -> dict:
        calls.append(1)
        return dict(built.views)

    bounds = {name: built.view_bounds(name) for name in built.view_names()}
    lazy = LazyAtlas.pending(built.version, built.muscles, built.view_meta, bounds, load)
    seen: list[object] = []

    def read() -> None:
        start.wait()
        seen.append(lazy.views)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(views) for views in seen}) == 1 and lazy == built


def test_it_pickles_copies_and_replaces_as_an_atlas(cached) -> None:
    built, read = cached
    again = pickle.loads(pickle.dumps(read))
    assert type(again) is Atlas and again == built
    replaced = dataclasses.replace(read, version="2.0")
    assert replaced.version == "2.0" and replaced.views == built.views
    assert replaced.view_names() == built.view_names()


def test_its_repr_says_whether_the_shapes_are_read(cached, mini_root: Path) -> None:
    _, read = cached
    assert "shapes not yet decoded" in repr(read)
    assert read.views
    assert "decoded" in repr(read) and "not yet" not in repr(read)


def test_a_fresh_process_reads_the_names_without_shapely(cached, mini_root: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dn_bodymap.atlas.loader import load_atlas\n"
        "atlas = load_atlas(Path(sys.argv[1]))\n"
        "names = atlas.view_names(); [atlas.view_bounds(n) for n in names]; atlas.detail_views()\n"
        "print(type(atlas).__name__, 'shapely' in sys.modules, 'numpy' in sys.modules, atlas.decoded)\n"
        "atlas.views\n"
        "print('shapely' in sys.modules, atlas.decoded)\n"
    )
    env = {"DN_BODYMAP_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(mini_root)], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["LazyAtlas", "False", "False", "False", "True", "True"]


def test_its_identity_stays_whatever_else_is_read_and_goes_with_other_shapes(cached, mini_root: Path) -> None:
    from dn_bodymap.atlas.loader import atlas_identity

    built, read = cached
    identity = atlas_identity(read)
    assert identity is not None and atlas_identity(built) is None
    for _ in range(8):  # a registry of atlases read once evicted the process's own atlas here
        assert atlas_identity(load_atlas(mini_root)) == identity
    assert atlas_identity(read) == identity
    assert atlas_identity(dataclasses.replace(read)) is None
    read.views = dict(built.views)
    assert atlas_identity(read) is None


def test_a_cache_folder_that_cannot_be_written_gives_the_built_atlas(
    mini_root: Path, tmp_path: Path, monkeypatch
) -> None:
    from dn_bodymap.atlas import loader

    monkeypatch.setenv("DN_BODYMAP_CACHE", str(tmp_path / "cache"))
    built: list[Atlas] = []
    real = loader.write_cached
    monkeypatch.setattr(
        loader, "write_cached", lambda path, value, **kw: built.append(value)
    )  # writes nothing
    atlas = load_atlas(mini_root)
    assert built == [atlas] and type(atlas) is Atlas  # built once, and returned as built
    monkeypatch.setattr(loader, "write_cached", real)
    assert isinstance(load_atlas(mini_root), LazyAtlas)


def test_shapes_unreadable_at_first_use_are_built_from_the_assets(cached, mini_root: Path) -> None:
    """A cache file whose shapes cannot be read (refused when read, before they were read lazily)
    still gives the atlas: built from the assets at first use, without the file's identity."""
    import pickle
    import zlib

    from dn_bodymap.atlas import loader

    built, _ = cached
    path = loader.cache_file(loader.assets_fingerprint(mini_root))
    bounds = {name: built.view_bounds(name) for name in built.view_names()}
    payload = pickle.dumps(((built.version, built.muscles, built.view_meta, bounds), b"not the views"))
    path.write_bytes(loader.ATLAS_TAG + zlib.crc32(payload).to_bytes(4, "big") + payload)
    broken = load_atlas(mini_root)
    assert isinstance(broken, LazyAtlas) and broken.identity is not None
    assert broken.views == built.views and broken == built and broken.identity is None
    unbuildable = LazyAtlas.pending(built.version, built.muscles, built.view_meta, bounds, lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):  # without a way to build it, the error is not hidden
        assert unbuildable.views
