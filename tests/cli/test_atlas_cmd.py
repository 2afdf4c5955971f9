"""`dn-bodymap atlas …` and the referral commands through the real entry point."""

import json
import xml.etree.ElementTree as ET

import pytest

from dn_bodymap.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_shape(capsys):
    code, out, _ = run(capsys, "atlas", "stats", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["views"][:4] == ["anterior", "posterior", "lateral_right", "lateral_left"]
    assert "plantar" in doc["views"][4:]  # the detail views follow (docs/atlas-detail-views.md)
    assert doc["muscles"] >= 90 and doc["trigger_points"] >= 90
    assert set(doc["landmarks"]) == set(doc["regions"]) == set(doc["views"])


def test_muscles_and_regions_json(capsys):
    _, out, _ = run(capsys, "atlas", "muscles", "--json")
    muscles = json.loads(out)
    trap = next(m for m in muscles if m["id"] == "trapezius")
    assert {"id", "name", "latin", "group", "layer", "shapes"} <= set(trap)
    assert {(s["view"], s["side"]) for s in trap["shapes"]} >= {
        ("posterior", "right"),
        ("posterior", "left"),
    }
    _, out, _ = run(capsys, "atlas", "regions", "--json", "--view", "anterior")
    regions = json.loads(out)
    assert all({"id", "label", "view", "side", "anchor"} <= set(r) for r in regions)


def test_locate_json_and_outside(capsys):
    code, out, _ = run(capsys, "atlas", "locate", "--view", "anterior", "--x", "-60", "--y", "270", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["inside"] and doc["side"] == "right"
    assert doc["muscles"][0]["id"] == "pectoralis_major"
    _, out, _ = run(capsys, "atlas", "locate", "--view", "anterior", "--x", "500", "--y", "270", "--json")
    assert json.loads(out) == {
        "view": "anterior",
        "x": 500.0,
        "y": 270.0,
        "inside": False,
        "side": None,
        "region": None,
        "muscles": [],
        "unreachable": [],
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["atlas", "locate", "--view", "anterior", "--x", "nan", "--y", "1"],
        ["atlas", "locate", "--view", "top", "--x", "1", "--y", "1"],
    ],
)
def test_bad_numbers_and_views_are_refused(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_render_refuses_unknown_layer_and_format(capsys, tmp_path):
    code, _, err = run(
        capsys,
        "atlas",
        "render",
        "--view",
        "anterior",
        "--layers",
        "bones",
        "--out",
        str(tmp_path / "a.png"),
    )
    assert code == 2 and "unknown layer" in err and err.count("\n") == 1
    code, _, err = run(capsys, "atlas", "render", "--view", "anterior", "--out", str(tmp_path / "a.bmp"))
    assert code == 2 and ".png, .svg or .pdf" in err
    assert not list(tmp_path.iterdir())


def test_render_pattern_png(capsys, tmp_path, qapp):
    out = tmp_path / "p.png"
    code, _, _ = run(
        capsys,
        "atlas",
        "render",
        "--view",
        "posterior",
        "--pattern",
        "trapezius.1:right",
        "--height",
        "300",
        "--out",
        str(out),
    )
    assert code == 0 and out.stat().st_size > 1000
    code, _, err = run(
        capsys, "atlas", "render", "--view", "posterior", "--pattern", "nobody.1", "--out", str(out)
    )
    assert code == 2 and "no trigger point" in err


def test_export_svg_has_ided_paths(capsys, tmp_path):
    code, _out, _ = run(capsys, "atlas", "export-svg", "--out", str(tmp_path))
    assert code == 0
    root = ET.parse(tmp_path / "atlas-posterior.svg").getroot()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert any(i.startswith("muscle:trapezius:") for i in ids)
    assert any(i.startswith("region:interscapular") for i in ids)


def test_suggest_and_describe(capsys):
    code, out, _ = run(capsys, "suggest", "--regions", "temple:right", "--top", "5", "--json")
    doc = json.loads(out)
    assert code == 0 and len(doc["suggestions"]) == 5
    assert {"muscle", "trigger_point", "score", "explanation"} <= set(doc["suggestions"][0])
    code, out, _ = run(capsys, "describe", "--regions", "temple:right,posterior_neck:right", "--json")
    doc = json.loads(out)
    assert doc["summary"] and not doc["bilateral"] and "body" in doc["extent"]


def test_suggest_refuses_bad_input(capsys, tmp_path):
    code, _, err = run(capsys, "suggest", "--regions", "moon", "--json")
    assert code == 2 and "unknown region" in err
    bad = tmp_path / "d.json"
    bad.write_text(
        '{"type": "Feature", "properties": {"view": "anterior"}, "geometry": {"type": "Polygon", '
        '"coordinates": [[[NaN, 1], [2, 2], [3, 1], [NaN, 1]]]}}'
    )
    code, _, err = run(capsys, "suggest", "--geojson", str(bad))
    assert code == 2 and "not a number" in err
    code, _, err = run(capsys, "suggest", "--geojson", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_trigger_points_json_shape(capsys):
    _, out, _ = run(capsys, "atlas", "trigger-points", "--muscle", "infraspinatus", "--json")
    doc = json.loads(out)
    tp = doc[0]
    assert {"id", "muscle", "locations", "essential", "spillover", "sources"} <= set(tp)
    views = {z["view"] for entry in doc for z in entry["essential"]}
    assert "anterior" in views  # infraspinatus refers to the front of the shoulder
