"""Read the atlas assets and build (or reuse a cached build of) the Atlas.

Building flattens curves, clips and partitions a few thousand polygons, which takes a moment; the
result is pickled in the user cache folder under a key made from the asset bytes, so an edited
asset or a new version of this code always rebuilds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import tempfile
import time
import tomllib
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from dn_bodymap.assets import asset_path
from dn_bodymap.atlas.lazy import LazyAtlas, dumps_atlas, loads_atlas
from dn_bodymap.atlas.model import Atlas

#: Bump when the build code changes in a way that changes the result for the same assets.
BUILD_REVISION = "6"


def atlas_dir() -> Path:
    return asset_path("atlas")


def _asset_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.toml") if p.is_file())


def frame_of_detail_file(stem: str) -> str | None:
    """The frame a ``details/<stem>.toml`` file belongs to: its stem is the frame's name, or the
    name followed by ``_`` and a suffix; the longest matching name wins, so ``head_lateral_x`` is
    never read as another frame's file."""
    from dn_bodymap.atlas.build import FRAMES

    matches = [f for f in FRAMES if stem == f or stem.startswith(f + "_")]
    return max(matches, key=len) if matches else None


def read_tables(root: Path | None = None) -> dict[str, Any]:
    from dn_bodymap.atlas.build import FRAMES, SILHOUETTE_KEYS, AtlasDataError

    root = root or atlas_dir()

    def load(path: Path) -> dict[str, Any]:
        try:
            with path.open("rb") as fh:
                return tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise AtlasDataError(f"{path.relative_to(root)}: {exc}") from None

    meta = load(root / "atlas.toml")
    muscles: list[dict[str, Any]] = []
    for path in sorted((root / "muscles").glob("*.toml")):
        muscles.extend(load(path).get("muscle", []))
    shapes: dict[str, list[dict[str, Any]]] = {}
    regions: dict[str, list[dict[str, Any]]] = {}
    details: dict[str, list[dict[str, Any]]] = {}
    for frame in FRAMES:
        shapes[frame] = []
        for path in sorted((root / "shapes" / frame).glob("*.toml")):
            shapes[frame].extend(load(path).get("shape", []))
        region_file = root / "regions" / f"{frame}.toml"
        regions[frame] = load(region_file).get("region", []) if region_file.exists() else []
        details[frame] = []
        for path in sorted((root / "details").glob(f"{frame}*.toml")):
            if frame_of_detail_file(path.stem) == frame:
                details[frame].extend(load(path).get("detail", []))
    landmarks: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "landmarks").glob("*.toml")):
        for table, entries in load(path).items():
            merged = landmarks.setdefault(table, {})
            for name, value in entries.items():
                if name in merged and table != "labels":
                    raise AtlasDataError(f"landmark {name!r} [{table}] is defined twice ({path.name})")
                merged[name] = value
    # A detail frame whose silhouette is not authored yet has no parts: its views are left out.
    silhouette = {
        key: load(root / "silhouette" / f"{key}.toml").get("part", [])
        if (root / "silhouette" / f"{key}.toml").exists()
        else []
        for key in dict.fromkeys(SILHOUETTE_KEYS.values())
    }
    views_meta: dict[str, list[dict[str, Any]]] = {}
    for frame in FRAMES:
        path = root / "views" / f"{frame}.toml"
        if path.exists():
            views_meta[frame] = load(path).get("view", [])
    return {
        "version": meta["version"],
        "landmarks": landmarks,
        "silhouette": silhouette,
        "muscles": muscles,
        "shapes": shapes,
        "regions": regions,
        "details": details,
        "views": views_meta,
    }


def code_fingerprint(package_dir: Path) -> str:
    """A hash of one package's Python sources, so a cache built by other code is never read.

    BUILD_REVISION alone relied on remembering to bump it; a build made mid-development under the
    same revision survived in the user cache (which CI shares on a reused machine)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def assets_fingerprint(root: Path | None = None) -> str:
    root = root or atlas_dir()
    digest = hashlib.sha256(BUILD_REVISION.encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent).encode())
    for path in _asset_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def cache_file(fingerprint: str) -> Path:
    base = Path(os.environ.get("DN_BODYMAP_CACHE") or user_cache_dir("dn-bodymap", appauthor=False))
    return base / f"atlas-{fingerprint}.pickle"


#: Cache files start with this tag and a CRC-32 of the pickle that follows: a torn or foreign file
#: is recognised before ``pickle`` reads it (unpickling arbitrary bytes can fail inside the
#: interpreter, e.g. a bytearray freed while a view of it is still exported).
CACHE_TAG = b"dn-bodymap cache 1\n"
#: The atlas's file: the pickle with each shape replaced by its index, then every shape's WKB, decoded in
#: one vectorised ``shapely.from_wkb`` (the atlas's 2,500 shapes one by one cost twice as long, issue #14).
SPLIT_TAG = b"dn-bodymap cache 2\n"
#: The atlas's own file (atlas/lazy.py): its names, muscles and view bounds read at once, its shapes
#: decoded when first used, so a first screen that shows none of them never imports shapely.
ATLAS_TAG = b"dn-bodymap cache 3\n"


class _ShapePickler(pickle.Pickler):
    """Pickles shapely geometries by reference: each distinct object once, in ``shapes``."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shapes: list[Any] = []
        self._index: dict[int, int] = {}

    def persistent_id(self, obj: Any) -> int | None:
        if not type(obj).__module__.startswith("shapely.geometry"):
            return None
        found = self._index.get(id(obj))  # ``shapes`` keeps the object alive: ids stay unique
        if found is None:
            found = self._index[id(obj)] = len(self.shapes)
            self.shapes.append(obj)
        return found


class _ShapeUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shapes: Any) -> None:
        super().__init__(file)
        self._shapes = shapes

    def persistent_load(self, pid: Any) -> Any:
        return self._shapes[int(pid)]


def _dumps_split(value: object) -> bytes:
    import shapely

    buffer = io.BytesIO()
    pickler = _ShapePickler(buffer)
    pickler.dump(value)
    wkb = shapely.to_wkb(pickler.shapes, include_srid=True).tolist() if pickler.shapes else []
    return pickle.dumps((buffer.getvalue(), wkb), protocol=pickle.HIGHEST_PROTOCOL)


def _loads_split(payload: memoryview) -> object:
    skeleton, wkb = pickle.loads(payload)
    if wkb:
        import shapely

        shapes = shapely.from_wkb(wkb)
    else:
        shapes = []
    return _ShapeUnpickler(io.BytesIO(skeleton), shapes).load()


#: A cache file not read or written for this long belongs to a version of the code or assets no
#: longer run: the next cache write removes it (each version adds its own files, a few MiB each).
STALE_SECONDS = 30 * 24 * 3600
#: A file read is marked as used (its time set to now) at most once a day.
_FRESH_SECONDS = 24 * 3600


def _mark_used(path: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only cache folder: kept, merely never marked
        if time.time() - path.stat().st_mtime > _FRESH_SECONDS:
            os.utime(path)


def prune_stale(folder: Path) -> list[Path]:
    """Remove this folder's cache files (and stray temporary files) unused for ``STALE_SECONDS``."""
    removed: list[Path] = []
    cutoff = time.time() - STALE_SECONDS
    for candidate in (*folder.glob("atlas-*.pickle"), *folder.glob("*.tmp")):
        with contextlib.suppress(OSError):
            if candidate.stat().st_mtime < cutoff:
                candidate.unlink()
                removed.append(candidate)
    return removed


def read_cached(path: Path, kind: type):
    """The object pickled at ``path`` if it is a ``kind``; None for a missing, stale or torn file.
    An atlas comes back as a ``LazyAtlas`` whose identity names exactly the bytes read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    tag = next((t for t in (ATLAS_TAG, SPLIT_TAG) if data.startswith(t)), CACHE_TAG)
    head = len(tag) + 4
    if len(data) <= head or not data.startswith(tag):
        return None
    payload = memoryview(data)[head:]
    crc = zlib.crc32(payload)
    if crc != int.from_bytes(data[len(tag) : head], "big"):
        return None
    try:
        if tag is ATLAS_TAG:
            cached = loads_atlas(payload, _loads_split, identity=f"{path.stem}-{crc:08x}-{len(payload)}")
        else:
            cached = _loads_split(payload) if tag is SPLIT_TAG else pickle.loads(payload)
    except Exception:  # an incompatible cache file (another version's classes) is simply rebuilt
        return None
    if not isinstance(cached, kind):
        return None
    _mark_used(path)
    return cached


def atlas_identity(atlas: Atlas) -> str | None:
    """What names exactly the shapes of an atlas this process read from the cache file (the file's
    key and the CRC and length of its bytes), so what is derived from them (render/prepared.py's
    painter paths and tones, the figure images) can be keyed by it instead of hashing every shape;
    None for any other atlas. Kept on the atlas itself: a registry by ``id`` had to be bounded, and
    evicting the process's own atlas (tests read many) silently turned those caches off."""
    return atlas.identity if isinstance(atlas, LazyAtlas) else None


def write_cached(path: Path, value: object, split_shapes: bool = False) -> None:
    """Pickle to a temporary file, then rename: a reader never sees half a cache file. With
    ``split_shapes`` the shapes are stored apart, as WKB (``SPLIT_TAG``, or ``ATLAS_TAG`` for an
    atlas; ``read_cached`` reads all three)."""
    if split_shapes and isinstance(value, Atlas):
        payload, tag = dumps_atlas(value, _dumps_split), ATLAS_TAG
    elif split_shapes:
        payload, tag = _dumps_split(value), SPLIT_TAG
    else:
        payload, tag = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), CACHE_TAG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(tag + zlib.crc32(payload).to_bytes(4, "big"))
            fh.write(payload)
        os.replace(tmp, path)
    except OSError:
        return  # a read-only cache folder only costs speed
    prune_stale(path.parent)  # a new file: maybe a new version, and others no longer used


def load_atlas(root: Path | None = None, use_cache: bool = True) -> Atlas:
    """The atlas from ``root`` (default: the packaged assets), from cache when possible. A process
    that builds it returns the atlas read back from the file it wrote (equal, value for value), so it
    has the identity the caches derived from it are keyed by, as in every later process."""
    path = cache_file(assets_fingerprint(root))
    found = read_cached(path, Atlas) if use_cache else None
    if found is None:
        found = build_atlas_from(root)
        if use_cache:
            write_cached(path, found, split_shapes=True)
            found = read_cached(path, Atlas) or found  # the built one if the folder is read-only
    if isinstance(found, LazyAtlas):  # its shapes are read at first use: built then if unreadable
        found.rebuilt_by(lambda: build_atlas_from(root))
    return found


def build_atlas_from(root: Path | None = None) -> Atlas:
    """The atlas built from the assets under ``root``, without the cache (seconds, not milliseconds)."""
    from dn_bodymap.atlas.build import build_atlas

    return build_atlas(read_tables(root))


@lru_cache(maxsize=1)
def default_atlas() -> Atlas:
    """The packaged atlas, built once per process."""
    return load_atlas()
