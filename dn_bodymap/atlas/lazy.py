"""An atlas read from its cache file whose shapes are decoded when first used (issue #14).

Decoding the atlas's 2,500 shapes needs shapely, and shapely needs numpy: about 100 ms of a start
into the last session, before anything is painted. Yet that first screen shows none of the shapes:
the figure is a cached image and the marks and pain areas are stored coordinates. So the cache file
keeps apart what is cheap (the version, the muscles, the detail views' metadata, each view's name
and silhouette bounds) and what is not (every view's shapes, as a pickle over WKB), and
``LazyAtlas`` decodes the second at the first read of ``views``, which is the only way to a shape
(``Atlas.view`` reads it too). Until then ``view_names`` and ``view_bounds`` answer from the cheap
part. Once decoded it is the same atlas, value for value, as the one that was written.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from dn_bodymap.atlas.model import Atlas, Muscle, ViewData, ViewMeta

Bounds = tuple[float, float, float, float]

_VIEWS = Atlas.__dict__["views"]  # the slot Atlas keeps its views in


def dumps_atlas(atlas: Atlas, dumps_views: Callable[[object], bytes]) -> bytes:
    """The cache file's payload: the cheap part, then the views as ``dumps_views`` writes them."""
    bounds = {name: tuple(float(b) for b in view.silhouette.bounds) for name, view in atlas.views.items()}
    cheap = (atlas.version, atlas.muscles, atlas.view_meta, bounds)
    return pickle.dumps((cheap, dumps_views(atlas.views)), protocol=pickle.HIGHEST_PROTOCOL)


def loads_atlas(
    payload: memoryview, loads_views: Callable[[memoryview], object], identity: str | None = None
) -> LazyAtlas:
    """The atlas of a payload ``dumps_atlas`` wrote; ``identity`` names the bytes it was read from."""
    (version, muscles, view_meta, bounds), views = pickle.loads(payload)
    return LazyAtlas.pending(
        version, muscles, view_meta, bounds, partial(loads_views, memoryview(views)), identity
    )


class LazyAtlas(Atlas):
    """An ``Atlas`` (it pickles and compares as one) whose views load at their first read."""

    __slots__ = ("_bounds", "_identity", "_load", "_lock", "_rebuild")

    @classmethod
    def pending(
        cls,
        version: str,
        muscles: dict[str, Muscle],
        view_meta: dict[str, ViewMeta],
        bounds: dict[str, Bounds],
        load: Callable[[], object],
        identity: str | None = None,
    ) -> LazyAtlas:
        """An atlas whose views ``load()`` returns when first read; ``bounds`` answers until then;
        ``identity`` names the bytes read (``loader.atlas_identity``). (``LazyAtlas(...)`` takes
        ``Atlas``'s fields, so ``dataclasses.replace`` works on one; it has no identity.)"""
        atlas = cls.__new__(cls)
        atlas.version, atlas.muscles, atlas.view_meta = version, muscles, view_meta
        atlas._bounds, atlas._load, atlas._lock = bounds, load, threading.Lock()
        atlas._identity, atlas._rebuild = identity, None
        return atlas

    def rebuilt_by(self, rebuild: Callable[[], Atlas]) -> LazyAtlas:
        """Where the views come from if the file's cannot be read at first use (a cache file of
        other classes was refused when read, before the views were read lazily): the loader's build."""
        self._rebuild = rebuild
        return self

    @property  # type: ignore[override]
    def views(self) -> dict[str, ViewData]:
        if self._load is not None:
            with self._lock:  # a worker thread may be first
                if self._load is not None:
                    _VIEWS.__set__(self, self._read_views())
                    self._load = None
        return _VIEWS.__get__(self)

    def _read_views(self) -> dict[str, ViewData]:
        try:
            return self._load()  # type: ignore[misc, return-value]
        except Exception:
            if self._rebuild is None:
                raise
            self._identity = None  # not the shapes of the bytes read
            return self._rebuild().views

    @views.setter
    def views(self, value: dict[str, ViewData]) -> None:
        _VIEWS.__set__(self, value)
        self._load = None
        self._identity = None  # other shapes than the ones read
        self._bounds = {name: tuple(view.silhouette.bounds) for name, view in value.items()}

    @property
    def identity(self) -> str | None:
        """The cache file's key and the CRC-32 and length of the bytes read; None when not read so."""
        return self._identity

    @property
    def decoded(self) -> bool:
        """Whether the shapes have been read (tests; nothing else needs to know)."""
        return self._load is None

    def view_names(self) -> tuple[str, ...]:
        return tuple(self._bounds)

    def view_bounds(self, name: str) -> Bounds:
        try:
            return self._bounds[name]
        except KeyError:
            raise KeyError(f"unknown view {name!r}; expected one of {', '.join(self._bounds)}") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Atlas):
            return NotImplemented
        return (self.version, self.views, self.muscles, self.view_meta) == (
            other.version,
            other.views,
            other.muscles,
            other.view_meta,
        )

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (Atlas, (self.version, self.views, self.muscles, self.view_meta))

    def __repr__(self) -> str:
        state = "decoded" if self.decoded else "shapes not yet decoded"
        return f"LazyAtlas(version={self.version!r}, views={self.view_names()!r}, {state})"
