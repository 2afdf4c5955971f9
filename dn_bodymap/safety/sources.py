"""Citations that the safety texts' source keys resolve to (``assets/safety/sources.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dn_bodymap.assets import asset_path


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str
    url: str
    evidence: str


def sources_file() -> Path:
    return asset_path("safety", "sources.toml")


def read_sources(path: Path | None = None) -> dict[str, Source]:
    with (path or sources_file()).open("rb") as fh:
        table = tomllib.load(fh)
    return {
        key: Source(key, entry["citation"], entry.get("url", ""), entry.get("evidence", ""))
        for key, entry in table.items()
    }


@lru_cache(maxsize=1)
def default_sources() -> dict[str, Source]:
    return read_sources()


def citation(key: str) -> str:
    """The full citation of a key; a KeyError names the unknown key."""
    try:
        return default_sources()[key].citation
    except KeyError:
        raise KeyError(f"unknown safety source key {key!r}") from None
