"""Every text carries source keys that resolve, and no text calls anything "safe"."""

from __future__ import annotations

import copy
import re

import pytest

from dn_bodymap.atlas.loader import read_tables
from dn_bodymap.safety.advice import advice_text, post_needling_advice
from dn_bodymap.safety.assess import DEPTH_CAVEAT, DEPTH_CAVEAT_SOURCES, DISCLAIMER, assess
from dn_bodymap.safety.hazards import HazardDataError, build_hazards, read_hazard_tables
from dn_bodymap.safety.patient import SITE_CONDITIONS, Patient
from dn_bodymap.safety.screening import QUESTIONS, evaluate
from dn_bodymap.safety.session import bilateral_thorax_warning
from dn_bodymap.safety.sources import default_sources

SAFE = re.compile(r"\bsafe(ly|r|st|ty)?\b", re.IGNORECASE)
INLINE_KEYS = re.compile(r"\[([A-Za-z0-9_, -]+)\]$")


def _all_texts_and_keys(atlas, hazards):
    """(text, source keys) of everything the engine can say."""
    out = []
    for zone in hazards.zones.values():
        out.append((f"{zone.structure} {zone.reason} {zone.technique}", zone.sources))
        out += [(d.text, d.sources) for d in zone.depth]
    out += [(q.text + " " + q.meaning, q.sources) for q in QUESTIONS]
    out += [(i.text, i.sources) for i in post_needling_advice(True).items()]
    warning = bilateral_thorax_warning({"left", "right"})
    out.append((warning.message, warning.sources))
    out.append((DEPTH_CAVEAT, DEPTH_CAVEAT_SOURCES))
    out.append((DISCLAIMER, ("SAAHPC-thorax",)))
    # every modifier and advice line, at a sample of sites with every condition at once
    everything = Patient.from_values(bmi=17, conditions=list(SITE_CONDITIONS) + [q.id for q in QUESTIONS])
    for view in atlas.views:
        for zone in hazards.zones.values():
            for piece in zone.pieces:
                if piece.view != view:
                    continue
                p = piece.geometry.representative_point()
                result = assess(view, (p.x, p.y), everything)
                out += [(m.text, m.sources) for m in result.modifiers]
                out += [(h.message + " " + h.guidance, h.sources) for h in result.hazards]
                out += [(d.text, d.sources) for h in result.hazards for d in h.depth]
                for line in result.advice:
                    if line == "Do not needle this site.":
                        continue  # restates a no-needle hazard or modifier that has its sources
                    match = INLINE_KEYS.search(line)
                    keys = tuple(k.strip() for k in match.group(1).split(",")) if match else ()
                    out.append((line, keys))
    return out


def test_every_source_key_resolves(atlas, hazards):
    known = default_sources()
    missing = sorted(
        {key for _, keys in _all_texts_and_keys(atlas, hazards) for key in keys if key not in known}
    )
    assert not missing


def test_every_text_has_sources(atlas, hazards):
    assert all(keys for _, keys in _all_texts_and_keys(atlas, hazards))


def test_no_text_says_safe(atlas, hazards):
    texts = [text for text, _ in _all_texts_and_keys(atlas, hazards)]
    texts.append(advice_text(True))
    texts += [evaluate({q.id: True for q in QUESTIONS}).reasons[i] for i in range(3)]
    offending = [t for t in texts if SAFE.search(t)]
    assert not offending
    # the scan itself works
    assert SAFE.search("a safe depth") and not SAFE.search("unsafe-ish word: safeguard")


def test_sources_have_citations():
    for key, source in default_sources().items():
        assert source.citation.strip(), key
        assert source.url.startswith("http"), key
        assert source.evidence.strip(), key


def _source_keys(node) -> set[str]:
    if isinstance(node, dict):
        keys = set(node.get("sources", ()))
        for k, v in node.items():
            if k != "sources":
                keys |= _source_keys(v)
        return keys
    if isinstance(node, list):
        return set().union(*(_source_keys(item) for item in node)) if node else set()
    return set()


def test_asset_files_only_use_known_keys():
    """Keys in the data files (not only those reachable through the code) resolve too."""
    import tomllib

    from dn_bodymap.assets import asset_path

    known = default_sources()
    for name in ("hazards.toml", "screening.toml"):
        with asset_path("safety", name).open("rb") as fh:
            data = tomllib.load(fh)
        found = _source_keys(data)
        assert found and found <= set(known), sorted(found - set(known))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["zone"][0].update(level="safe"), "level"),
        (lambda t: t["zone"][0].update(kind="bruise"), "kind"),
        (lambda t: t["zone"][0].update(reason=" "), "reason is missing"),
        (lambda t: t["zone"][0].update(sources=[]), "sources"),
        (lambda t: t["zone"][0].update(minus=["genitals"]), "earlier zone"),
        (
            lambda t: t["zone"][0]["shape"][0].update(smooth=["no_such_landmark", "c7", "t1"]),
            "unknown landmark",
        ),
        (lambda t: t["zone"].append(copy.deepcopy(t["zone"][0])), "defined twice"),
        (lambda t: t["zone"][0]["shape"][0].update(frame="top"), "frame"),
    ],
)
def test_broken_hazard_data_is_refused_with_a_reason(atlas, change, message):
    tables = copy.deepcopy(read_hazard_tables())
    change(tables)
    with pytest.raises(HazardDataError, match=message):
        build_hazards(atlas, tables, read_tables()["landmarks"])
