"""Ranking that knows what is common (issue #15): the sourced prior lifts the usual causes above a
small exact fit, both numbers are shown, a muscle is listed once with its sides, and simplifying the
drawing before scoring keeps the ranking.

Each row: the drawing, the muscle, the rank it must reach (or must not hold), the source key of the
expectation and the picture. Priors: assets/trigger_points/*.toml ``prevalence``; docs/referral.md.
"""

from __future__ import annotations

import pytest

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.charting.referral.drawing import PainDrawing
from dn_bodymap.charting.referral.index_cache import default_referral_index
from dn_bodymap.charting.referral.prior import DEFAULT_PRIOR, PriorError, read_priors
from dn_bodymap.charting.referral.suggest import suggest

# (regions, muscle, best rank allowed, source, picture)
PICTURES = [
    (
        ["lumbar:right", "sacroiliac:right", "buttock:right"],
        "gluteus_medius",
        5,
        "Monclus2025",
        "low back and buttock pain: gluteus medius near the top (active TrPs in 34–45% of LBP)",
    ),
    (
        ["anterior_shoulder:right"],
        "infraspinatus",
        1,
        "Bron2011",
        "anterior shoulder pain: infraspinatus first (the commonest muscle in shoulder pain)",
    ),
    (
        ["heel:right", "plantar_heel:right"],
        "soleus",
        1,
        "Thummar2020",
        "heel pain: soleus first (69% in plantar fasciopathy)",
    ),
]

# (regions, muscle that must not rank first, source, picture)
NOT_FIRST = [
    (["sacroiliac:right"], "soleus", "TS1992", "sacroiliac pain: soleus TrP3 possible, not first"),
    (["anterior_shoulder:right"], "coracobrachialis", "Bron2011", "anterior shoulder pain"),
]


def _ranked(regions: list[str], top: int = 8):
    return suggest(PainDrawing.from_regions(default_atlas(), regions), default_referral_index(), top=top)


@pytest.mark.parametrize(
    ("regions", "muscle", "rank", "source", "picture"), PICTURES, ids=[p[1] for p in PICTURES]
)
def test_common_causes_rank_near_the_top(regions, muscle, rank, source, picture):
    muscles = [s.muscle for s in _ranked(regions)]
    assert muscle in muscles[:rank], f"{picture} [{source}]: got {muscles}"


@pytest.mark.parametrize(("regions", "muscle", "source", "picture"), NOT_FIRST, ids=[p[1] for p in NOT_FIRST])
def test_a_small_exact_fit_no_longer_wins(regions, muscle, source, picture):
    results = _ranked(regions)
    assert results[0].muscle != muscle, f"{picture} [{source}]"


def test_the_prior_not_the_geometry_moves_coracobrachialis_down():
    by_muscle = {s.muscle: s for s in _ranked(["anterior_shoulder:right"])}
    cb, isp = by_muscle["coracobrachialis"], by_muscle["infraspinatus"]
    assert cb.fit > isp.fit and cb.score < isp.score and cb.prior < isp.prior


def test_fit_prior_and_score_are_shown_and_consistent():
    for s in _ranked(["anterior_shoulder:right"]):
        assert s.score == pytest.approx(s.fit * s.prior, abs=2e-4)
        doc = s.to_json()
        assert {"muscle", "sides", "trigger_point", "score", "fit", "prior", "explanation"} <= set(doc)
        assert f"Fit {s.fit:.2f}" in s.explanation and f"prior {s.prior:.2f}" in s.explanation
        if s.prior_source is None:
            assert s.prior == DEFAULT_PRIOR.rate and "no published prevalence figure" in s.explanation
        else:
            assert f"[{s.prior_source}]" in s.explanation


def test_every_prior_is_sourced_and_bounded():
    from dn_bodymap.atlas.sources import read_sources
    from dn_bodymap.atlas.trigger_points import read_library_tables

    priors = read_priors(read_library_tables())
    keys = set(read_sources())
    assert len(priors) >= 15
    for tid, prior in priors.items():
        assert prior.source in keys, tid
        assert 0 < prior.rate <= 1 and prior.basis, tid
    assert DEFAULT_PRIOR.rate < min(p.rate for p in priors.values())  # documented in prior.py


@pytest.mark.parametrize(
    "spec",
    [
        {"rate": 0, "source": "NA", "basis": "x"},
        {"rate": 0.3, "basis": "x"},
        {"rate": "3", "source": "NA"},
        0.4,
    ],
)
def test_a_bad_prevalence_entry_is_refused_with_its_id(spec):
    with pytest.raises(PriorError, match=r"'m\.1'"):
        read_priors([{"id": "m.1", "prevalence": spec}])


def test_a_midline_drawing_lists_each_muscle_once_with_both_sides():
    results = _ranked(["sacral"], top=20)
    muscles = [s.muscle for s in results]
    assert len(muscles) == len(set(muscles))
    both = [s for s in results if len(s.sides) == 2]
    assert both and all({str(x) for x in s.sides} == {"left", "right"} for s in both)
    assert all(s.side in s.sides for s in results)
    one_sided = _ranked(["temple:right"])
    assert all(tuple(map(str, s.sides)) == ("right",) for s in one_sided[:5])


@pytest.mark.parametrize(
    "regions",
    [
        ["temple:right"],
        ["sacroiliac:right"],
        ["anterior_shoulder:right"],
        ["calf:right"],
        ["lumbar", "buttock"],
    ],
)
def test_simplifying_the_drawing_keeps_the_top_five(regions, monkeypatch):
    import importlib

    module = importlib.import_module("dn_bodymap.charting.referral.suggest")
    simplified = [s.muscle for s in _ranked(regions, top=5)]
    monkeypatch.setattr(module, "simplified", lambda drawing: drawing)
    exact = [s.muscle for s in _ranked(regions, top=5)]
    assert simplified == exact
