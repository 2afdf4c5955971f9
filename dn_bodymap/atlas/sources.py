"""Source keys → citations. Every hazard message, depth figure and referral pattern names keys
that must resolve here, so the app can show where each clinical statement comes from.

Registries are the ``sources.toml`` files anywhere under ``assets/``: one table per key with
``citation`` (required), and optional ``url`` and ``evidence`` (e.g. "peer-reviewed", "guideline",
"secondary").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dn_bodymap.assets import assets_dir


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str
    url: str = ""
    evidence: str = ""


class UnknownSourceError(KeyError):
    pass


def read_sources(root: Path | None = None) -> dict[str, Source]:
    root = root or assets_dir()
    sources: dict[str, Source] = {}
    for path in sorted(root.rglob("sources.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, entry in data.items():
            if not isinstance(entry, dict):
                continue
            citation = entry.get("citation") or entry.get("title") or ""
            if key in sources and sources[key].citation != citation:
                raise ValueError(f"source key {key!r} has two different citations ({path.name})")
            sources[key] = Source(key, citation, entry.get("url", ""), entry.get("evidence", ""))
    return sources


@lru_cache(maxsize=1)
def default_sources() -> dict[str, Source]:
    return read_sources()


def resolve(key: str) -> Source:
    try:
        return default_sources()[key]
    except KeyError:
        raise UnknownSourceError(key) from None
