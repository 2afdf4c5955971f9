"""Read the atlas assets and build (or reuse a cached build of) the Atlas.

Building flattens curves, clips and partitions a few thousand polygons, which takes a moment; the
result is pickled in the user cache folder under a key made from the asset bytes, so an edited
asset or a new version of this code always rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import tomllib
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from dn_bodymap.assets import asset_path
from dn_bodymap.atlas.build import FRAMES, SILHOUETTE_KEYS, AtlasDataError, build_atlas
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
    matches = [f for f in FRAMES if stem == f or stem.startswith(f + "_")]
    return max(matches, key=len) if matches else None


def read_tables(root: Path | None = None) -> dict[str, Any]:
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


def read_cached(path: Path, kind: type):
    """The object pickled at ``path`` if it is a ``kind``; None for a missing, stale or torn file."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(CACHE_TAG) + 4
    if len(data) <= head or not data.startswith(CACHE_TAG):
        return None
    payload = memoryview(data)[head:]
    if zlib.crc32(payload) != int.from_bytes(data[len(CACHE_TAG) : head], "big"):
        return None
    try:
        cached = pickle.loads(payload)
    except Exception:  # an incompatible cache file (another version's classes) is simply rebuilt
        return None
    return cached if isinstance(cached, kind) else None


def write_cached(path: Path, value: object) -> None:
    """Pickle to a temporary file, then rename: a reader never sees half a cache file."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(CACHE_TAG + zlib.crc32(payload).to_bytes(4, "big"))
            fh.write(payload)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder only costs speed


def load_atlas(root: Path | None = None, use_cache: bool = True) -> Atlas:
    """The atlas from ``root`` (default: the packaged assets), from cache when possible."""
    path = cache_file(assets_fingerprint(root))
    cached = read_cached(path, Atlas) if use_cache else None
    if cached is not None:
        return cached
    atlas = build_atlas(read_tables(root))
    if use_cache:
        write_cached(path, atlas)
    return atlas


@lru_cache(maxsize=1)
def default_atlas() -> Atlas:
    """The packaged atlas, built once per process."""
    return load_atlas()
