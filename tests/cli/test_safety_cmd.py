"""`dn-bodymap assess`, `dn-bodymap atlas hazards` and the hazard layer of `atlas render`."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from dn_bodymap.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_atlas_hazards_lists_every_zone(capsys):
    doc = run_json(capsys, "atlas", "hazards", "--json")
    assert isinstance(doc, list) and len(doc) >= 20
    for zone in doc:
        assert {"id", "kind", "level", "structure", "views", "sources"} <= zone.keys()
        assert zone["level"] in ("caution", "high", "very_high", "no_needle")
        assert zone["views"] and zone["sources"]
    by_id = {z["id"]: z for z in doc}
    assert by_id["pleura_apex"]["kind"] == "pneumothorax"
    assert set(by_id["pleura_chest_wall"]["views"]) == {
        "anterior",
        "posterior",
        "lateral_right",
        "lateral_left",
    }
    assert by_id["kidney"]["views"] == ["posterior"]
    posterior_only = run_json(capsys, "atlas", "hazards", "--view", "posterior", "--json")
    assert "eye" not in {z["id"] for z in posterior_only} and "kidney" in {z["id"] for z in posterior_only}
    stats = run_json(capsys, "atlas", "stats", "--json")
    assert stats["hazards"] == len(doc)


def test_assess_json(capsys):
    doc = run_json(
        capsys, "assess", "--view", "posterior", "--x", "62", "--y", "172", "--sex", "female",
        "--bmi", "17.5", "--condition", "lung_disease,anticoagulants", "--condition", "pregnancy",
        "--json",
    )  # fmt: skip
    assert doc["inside"] is True and doc["level"] == "very_high"
    (hit,) = doc["hazards"]
    assert {"id", "kind", "level", "structure", "message", "guidance", "sources"} <= hit.keys()
    assert hit["kind"] == "pneumothorax" and hit["raised_by"] == ["low_bmi", "lung_disease"]
    assert {m["id"] for m in doc["modifiers"]} == {
        "low_bmi",
        "lung_disease",
        "anticoagulants",
        "pregnancy",
    }
    assert doc["advice"] and doc["outside_message"] is None
    assert doc["patient"]["conditions"] == [
        "anticoagulants",
        "low_bmi",
        "lung_disease",
        "pregnancy",
    ]


def test_assess_outside_and_plain_text(capsys):
    doc = run_json(capsys, "assess", "--view", "anterior", "--x", "400", "--y", "10", "--json")
    assert doc["inside"] is False and doc["level"] == "none" and doc["hazards"] == []
    assert "outside" in doc["outside_message"]
    assert main(["assess", "--view", "anterior", "--x", "0", "--y", "400"]) == 0
    out = capsys.readouterr().out
    assert "do not needle" in out.lower() and "Umbilicus" in out


def test_assess_depth_warns_beyond_the_published_depth(capsys):
    site = ["assess", "--view", "posterior", "--x", "30", "--y", "232.5"]
    doc = run_json(capsys, *site, "--depth", "35", "--json")
    warning = doc["depth_warning"]
    assert warning["hazard_id"] == "pleura_interscapular" and warning["limit_mm"] == 19
    assert warning["depth_mm"] == 35 and warning["sources"] == ["Wada-2025"]
    shallow = run_json(capsys, *site, "--depth", "12", "--json")
    assert shallow["depth_warning"] is None and shallow["depth_mm"] == 12
    assert main([*site, "--depth", "35"]) == 0
    assert "35 mm is deeper than" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--depth", "0"], "--depth"),
        (["--depth", "900"], "--depth"),
        (["--condition", "imaginary"], "unknown condition"),
        (["--bmi", "nan"], "number"),
        (["--bmi", "500"], "--bmi"),
        (["--sex", "robot"], "invalid choice"),
    ],
)
def test_assess_refuses_bad_input(capsys, argv, message):
    with pytest.raises(SystemExit) if message in ("number", "invalid choice") else contextlib.nullcontext():
        code = main(["assess", "--view", "anterior", "--x", "0", "--y", "300", *argv, "--json"])
        assert code == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_render_hazard_layer_differs(tmp_path: Path, capsys):
    from PySide6.QtGui import QImage

    plain, hazards = tmp_path / "plain.png", tmp_path / "hazards.png"
    assert main(["atlas", "render", "--view", "posterior", "--layers", "muscles", "--height", "400",
                 "--out", str(plain)]) == 0  # fmt: skip
    assert main(["atlas", "render", "--view", "posterior", "--layers", "muscles,hazards",
                 "--height", "400", "--out", str(hazards)]) == 0  # fmt: skip
    capsys.readouterr()
    a, b = QImage(str(plain)), QImage(str(hazards))
    assert a.size() == b.size()
    differing = sum(
        a.pixel(x, y) != b.pixel(x, y) for x in range(0, a.width(), 4) for y in range(0, a.height(), 4)
    )
    assert differing > 200


def test_hazard_overlays_are_graded_for_greyscale():
    from dn_bodymap.render.hazard_overlay import LEVEL_STYLES, hazard_overlays

    overlays = hazard_overlays("anterior")
    assert overlays
    assert LEVEL_STYLES["very_high"].hatch and LEVEL_STYLES["no_needle"].hatch
    assert LEVEL_STYLES["caution"].dashed and not LEVEL_STYLES["high"].dashed
    assert all(0 < s.fill.alpha() < 255 for s in LEVEL_STYLES.values())
    lightness = [LEVEL_STYLES[k].fill.lightness() for k in ("caution", "high", "very_high", "no_needle")]
    assert lightness == sorted(lightness, reverse=True)
