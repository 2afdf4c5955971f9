"""Property tests: assess never fails, for any point, view and patient factors."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dn_bodymap.atlas.model import VIEWS
from dn_bodymap.safety.assess import assess, assess_document
from dn_bodymap.safety.levels import LEVELS, highest
from dn_bodymap.safety.patient import SITE_CONDITIONS, Patient
from dn_bodymap.safety.screening import QUESTIONS

_conditions = st.lists(
    st.one_of(
        st.sampled_from(sorted(SITE_CONDITIONS) + [q.id for q in QUESTIONS]),
        st.text(max_size=20),
    ),
    max_size=6,
)
_bmi = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5))
_sex = st.one_of(st.none(), st.sampled_from(["female", "male", "other", "x"]), st.integers())
_coord = st.floats(min_value=-400, max_value=1400, allow_nan=False)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.sampled_from(VIEWS), _coord, _coord, _sex, _bmi, _conditions)
def test_assess_never_fails(view, x, y, sex, bmi, conditions):
    doc = assess_document(view, x, y, sex=sex, bmi=bmi, conditions=conditions)
    json.dumps(doc, allow_nan=False)
    assert doc["level"] in LEVELS
    if doc["inside"]:
        own = [h["level"] for h in doc["hazards"]] + [m["level"] for m in doc["modifiers"] if m["level"]]
        assert doc["level"] == highest(own)
        assert doc["outside_message"] is None
    else:
        message = doc["outside_message"]
        assert message and ("outside" in message or "finite" in message)
        assert doc["hazards"] == [] and doc["level"] == "none"


@_SETTINGS
@given(st.sampled_from(VIEWS), st.floats(), st.floats())
def test_any_float_pair_is_answered(view, x, y):
    result = assess(view, (x, y), Patient())
    assert result.level in LEVELS
    if not result.inside:
        assert result.outside_message


@_SETTINGS
@given(st.sampled_from(VIEWS), _coord, _coord, _conditions, st.floats(min_value=8, max_value=100))
def test_patient_factors_never_lower_a_level(view, x, y, conditions, bmi):
    plain = assess(view, (x, y))
    factored = assess(view, (x, y), Patient.from_values(bmi=bmi, conditions=conditions))
    assert LEVELS.index(factored.level) >= LEVELS.index(plain.level)
    assert {h.id for h in factored.hazards} == {h.id for h in plain.hazards}
