"""Find muscles by name, Latin name, body group or symptom word ('headache', 'tennis elbow').

The symptom index (``assets/teaching/symptoms.toml``) maps everyday and clinical words to the
surface regions where the pain is felt and to the muscles the literature names for it. A muscle is
found for a symptom when it is named there, when one of its trigger points refers to one of those
regions in its essential zone, or when a trigger point's own ``mimics`` list mentions the word.
Every match carries a reason in words, so the list can say why a muscle is there.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dn_bodymap.assets import asset_path
from dn_bodymap.atlas.model import Atlas
from dn_bodymap.atlas.trigger_points import Library

#: Match kinds, best first (the order of the result list).
KINDS = ("name", "latin", "group", "symptom", "refers", "mimics")


@dataclass(frozen=True, slots=True)
class Symptom:
    id: str
    label: str
    words: tuple[str, ...]
    regions: tuple[str, ...]
    muscles: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MuscleMatch:
    muscle: str
    name: str
    latin: str
    group: str
    kind: str
    reason: str
    #: Source keys behind a symptom match (the symptom index's own sources).
    sources: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Lowercase, apostrophes and hyphens dropped, runs of spaces collapsed ('Golfer's' = 'golfers')."""
    text = text.lower().replace("’", "").replace("'", "").replace("-", " ").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def group_label(group: str) -> str:
    return group.replace("_", " ")


def read_symptoms(data: dict[str, Any]) -> list[Symptom]:
    out = []
    for i, entry in enumerate(data.get("symptom", []), 1):
        try:
            out.append(
                Symptom(
                    id=entry["id"],
                    label=entry["label"],
                    words=tuple(entry["words"]),
                    regions=tuple(entry.get("regions", [])),
                    muscles=tuple(entry.get("muscles", [])),
                    sources=tuple(entry.get("sources", [])),
                )
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"symptoms.toml entry {i}: missing or malformed {exc}") from None
    return out


@lru_cache(maxsize=1)
def _default_symptoms() -> tuple[Symptom, ...]:
    with asset_path("teaching", "symptoms.toml").open("rb") as fh:
        return tuple(read_symptoms(tomllib.load(fh)))


def symptom_index() -> list[Symptom]:
    return list(_default_symptoms())


def check_symptoms(symptoms: Iterable[Symptom], atlas: Atlas, library: Library) -> list[str]:
    """Problems: unknown regions or muscles, muscles without trigger points, no words."""
    regions = {r.id for v in atlas.views.values() for r in v.regions}
    with_points = {tp.muscle for tp in library.instances.values()}
    problems = []
    for s in symptoms:
        if not s.words:
            problems.append(f"symptom {s.id!r} has no words")
        problems += [f"symptom {s.id!r}: unknown region {r!r}" for r in s.regions if r not in regions]
        problems += [
            f"symptom {s.id!r}: muscle {m!r} has no trigger points" for m in s.muscles if m not in with_points
        ]
    return problems


def matching_symptoms(query: str, symptoms: Iterable[Symptom] | None = None) -> list[Symptom]:
    """Symptoms one of whose words contains the query, or is contained in it ('heel' → heel pain)."""
    q = normalise(query)
    if len(q) < 3:
        return []
    found = []
    for s in symptom_index() if symptoms is None else symptoms:
        words = [normalise(w) for w in (*s.words, s.label)]
        if any(q in w or (len(w) >= 4 and w in q) for w in words):
            found.append(s)
    return found


def search_muscles(
    query: str, atlas: Atlas, library: Library, symptoms: Iterable[Symptom] | None = None
) -> list[MuscleMatch]:
    """Muscles that have trigger points, matched by ``query``; all of them (by name) when empty."""
    with_points = sorted(
        {tp.muscle for tp in library.instances.values()}, key=lambda m: atlas.muscles[m].name.lower()
    )
    q = normalise(query)
    found: dict[str, MuscleMatch] = {}

    def add(muscle_id: str, kind: str, reason: str, sources: tuple[str, ...] = ()) -> None:
        current = found.get(muscle_id)
        if current is None or KINDS.index(kind) < KINDS.index(current.kind):
            m = atlas.muscles[muscle_id]
            found[muscle_id] = MuscleMatch(m.id, m.name, m.latin, m.group, kind, reason, sources)

    if not q:
        for mid in with_points:
            add(mid, "name", "")
        return list(found.values())
    for mid in with_points:
        m = atlas.muscles[mid]
        if q in normalise(m.name) or q in normalise(m.id):
            add(mid, "name", "name")
        elif q in normalise(m.latin):
            add(mid, "latin", f"Latin: {m.latin}")
        elif q in normalise(m.group):
            add(mid, "group", f"body group: {group_label(m.group)}")
    available = set(with_points)
    for symptom in matching_symptoms(query, symptoms):
        for mid in symptom.muscles:
            if mid in available:
                add(mid, "symptom", symptom.label, symptom.sources)
        wanted = set(symptom.regions)
        for tp in library.instances.values():
            hit = [r for z in tp.essential for r in z.regions if r in wanted]
            if hit:
                label = _region_label(atlas, hit[0])
                add(tp.muscle, "refers", f"{symptom.label}: refers to the {label}", symptom.sources)
    if len(q) >= 4:
        word_start = re.compile(r"\b" + re.escape(q))
        for tp in library.instances.values():
            for mimic in tp.mimics:
                if word_start.search(normalise(mimic)):
                    add(tp.muscle, "mimics", f"mimics {mimic}")
                    break
    return sorted(found.values(), key=lambda m: (KINDS.index(m.kind), m.name.lower()))


def _region_label(atlas: Atlas, region_id: str) -> str:
    for view in atlas.views.values():
        for region in view.regions:
            if region.id == region_id:
                return region.label
    return region_id.replace("_", " ")
