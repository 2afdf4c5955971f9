"""Screening: the checklist, the result and the rule that blocks recording needling."""

from __future__ import annotations

from dn_bodymap.safety.screening import (
    QUESTIONS,
    evaluate,
    is_yes,
    may_record_needling,
    needling_block,
)


def test_questions_are_plain_questions_with_unique_ids():
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    assert all(q.text.endswith("?") and q.meaning for q in QUESTIONS)
    absolute = {q.id for q in QUESTIONS if q.absolute}
    assert {"needle_phobia", "unwilling", "unable_to_consent", "medical_emergency"} <= absolute
    assert {"lymphoedema_left_arm", "lymphoedema_right_leg"} <= absolute
    precautions = {q.id for q in QUESTIONS if not q.absolute}
    assert {
        "anticoagulants",
        "pregnancy",
        "lung_disease",
        "thoracic_surgery",
        "breast_implants",
        "immunocompromised",
        "diabetes",
        "epilepsy",
        "metal_allergy",
    } <= precautions


def test_clear_precautions_contraindicated():
    assert evaluate({}).status == "clear"
    assert evaluate({q.id: False for q in QUESTIONS}).status == "clear"
    result = evaluate({"anticoagulants": True, "pregnancy": "yes"})
    assert result.status == "precautions"
    assert result.precautions == ("anticoagulants", "pregnancy")
    assert len(result.reasons) == 2 and all(r.startswith("Precaution") for r in result.reasons)
    assert not result.blocked
    worst = evaluate({"needle_phobia": True, "anticoagulants": True})
    assert worst.status == "contraindicated" and worst.absolute == ("needle_phobia",)
    assert any("Absolute contraindication" in r for r in worst.reasons)


def test_absolute_contraindication_blocks_until_a_reason_is_recorded():
    answers = {"lymphoedema_left_arm": True}
    assert evaluate(answers).blocked
    assert not may_record_needling(answers)
    assert "lymphoedema in the left arm" in needling_block(answers)
    assert needling_block({**answers, "override_reason": "   "})  # blank is not a reason
    answers["override_reason"] = "Needling the right shoulder only; left arm untouched"
    result = evaluate(answers)
    assert result.status == "contraindicated" and not result.blocked
    assert any("right shoulder only" in r for r in result.reasons)
    assert may_record_needling(answers) and needling_block(answers) is None
    assert needling_block({"diabetes": True}) is None


def test_answers_count_as_yes_only_when_clearly_yes():
    assert is_yes(True) and is_yes("yes") and is_yes(" Yes ") and is_yes(1)
    assert not any(is_yes(v) for v in (False, "no", "", None, 0, 2, 1.0, "maybe"))
    assert evaluate({"needle_phobia": "no"}).status == "clear"


def test_document_round_trip():
    doc = evaluate({"epilepsy": True}).to_document()
    assert doc["status"] == "precautions" and doc["blocked"] is False
    assert "epilepsy" in doc["precautions"]
