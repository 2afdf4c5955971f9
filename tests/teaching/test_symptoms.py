"""The symptom index and the muscle search of the Library screen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.atlas.sources import default_sources
from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.teaching.symptoms import (
    check_symptoms,
    matching_symptoms,
    normalise,
    search_muscles,
    symptom_index,
)

ATLAS, LIBRARY = default_atlas(), default_library()


def found(query: str) -> list[str]:
    return [m.muscle for m in search_muscles(query, ATLAS, LIBRARY)]


def test_the_index_resolves_against_the_atlas_library_and_sources():
    symptoms = symptom_index()
    assert check_symptoms(symptoms, ATLAS, LIBRARY) == []
    for s in symptoms:
        assert s.sources and all(key in default_sources() for key in s.sources), s.id


@pytest.mark.parametrize(
    "query, expected",
    [
        ("headache", {"trapezius", "sternocleidomastoid", "temporalis"}),
        ("sciatica", {"gluteus_minimus", "piriformis"}),
        ("tennis elbow", {"extensor_carpi_radialis_brevis", "supinator"}),
        ("heel pain", {"soleus", "abductor_hallucis"}),
        ("Plantar fasciitis", {"soleus"}),
        ("golfer's elbow", {"pronator_teres"}),
    ],
)
def test_symptom_words_find_the_muscles_that_refer_there(query, expected):
    muscles = found(query)
    assert expected <= set(muscles)
    assert all(m.reason for m in search_muscles(query, ATLAS, LIBRARY))


def test_names_latin_and_group():
    assert found("trapez")[0] == "trapezius"
    assert found("Musculus gluteus") == ["gluteus_maximus", "gluteus_medius", "gluteus_minimus"]
    by_group = search_muscles("forearm", ATLAS, LIBRARY)
    assert by_group and all(m.kind in ("group", "name", "mimics", "symptom", "refers") for m in by_group)
    assert "supinator" in [m.muscle for m in by_group if m.kind == "group"]


def test_name_matches_come_before_symptom_matches():
    kinds = [m.kind for m in search_muscles("soleus", ATLAS, LIBRARY)]
    assert kinds[0] == "name"


def test_empty_query_lists_every_muscle_with_trigger_points_by_name():
    everything = search_muscles("", ATLAS, LIBRARY)
    names = [m.name.lower() for m in everything]
    assert names == sorted(names)
    assert {m.muscle for m in everything} == {tp.muscle for tp in LIBRARY.instances.values()}


def test_short_or_unknown_words_find_no_symptom():
    assert matching_symptoms("he") == []
    assert found("zzzz-not-a-muscle") == []


def test_mimics_match_at_word_starts_only():
    assert not any(m.kind == "mimics" for m in search_muscles("trap", ATLAS, LIBRARY))


@settings(deadline=None, max_examples=60)
@given(st.text(max_size=40))
def test_any_text_searches_without_error_and_stays_in_the_library(text):
    with_points = {tp.muscle for tp in LIBRARY.instances.values()}
    results = search_muscles(text, ATLAS, LIBRARY)
    assert {m.muscle for m in results} <= with_points
    assert len({m.muscle for m in results}) == len(results)
    assert normalise(normalise(text)) == normalise(text)
