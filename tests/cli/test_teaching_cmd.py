"""`dn-bodymap pattern-score`, `lessons` and the comparison render through the real entry point."""

from __future__ import annotations

import json

from PySide6.QtGui import QColor, QImage
from shapely.geometry import mapping

from dn_bodymap.atlas.trigger_points import default_library
from dn_bodymap.cli import main
from dn_bodymap.teaching.lessons import Lesson, save_lessons
from dn_bodymap.teaching.score import main_view


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def score(capsys, tid: str, side: str, *rest: str):
    return run(capsys, "pattern-score", "--trigger-point", tid, "--side", side, *rest)


def _geojson_of_essential(tmp_path, tid: str):
    tp = default_library().instances[(tid, "right")]
    view = main_view(tp)
    doc = {
        "type": "Feature",
        "properties": {"view": view},
        "geometry": mapping(tp.zone_geometry("essential", view)),
    }
    path = tmp_path / "drawing.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_pattern_score_of_the_exact_essential_zone(capsys, tmp_path):
    path = _geojson_of_essential(tmp_path, "infraspinatus.1")
    code, out, _ = score(capsys, "infraspinatus.1", "right", "--geojson", str(path), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["score"] >= 0.9
    assert {"essential_overlap", "spillover_overlap", "outside", "explanation", "views"} <= set(doc)
    code, out, _ = score(capsys, "infraspinatus.1", "left", "--geojson", str(path))
    assert code == 0 and out.startswith("Score 0%")


def test_pattern_score_from_regions_far_away_is_near_zero(capsys):
    code, out, _ = score(capsys, "soleus.1", "right", "--regions", "forehead", "--json")
    assert code == 0 and json.loads(out)["score"] < 0.05


def test_pattern_score_errors_are_one_line(capsys, tmp_path):
    code, _, err = score(capsys, "nobody.1", "right", "--regions", "temple")
    assert code == 2 and "no trigger point" in err and err.count("\n") == 1
    code, _, err = score(capsys, "soleus.1", "right", "--regions", "elbowz")
    assert code == 2 and "unknown region" in err
    bad = tmp_path / "bad.geojson"
    bad.write_text("{nope", encoding="utf-8")
    code, _, err = score(capsys, "soleus.1", "right", "--geojson", str(bad))
    assert code == 2 and "not valid JSON" in err


def test_lessons_json_lists_builtin_and_own_lessons(capsys, tmp_path):
    path = tmp_path / "mine.json"
    save_lessons(path, [Lesson("calf_class", "Calf class", ("soleus", "gastrocnemius"))])
    code, out, _ = run(capsys, "lessons", "--file", str(path), "--json")
    doc = json.loads(out)
    assert code == 0
    ids = [lesson["id"] for lesson in doc]
    assert ids[0] == "headache" and ids[-1] == "calf_class"
    assert doc[-1]["muscles"] == ["soleus", "gastrocnemius"] and doc[-1]["builtin"] is False
    assert all({"id", "title", "muscles", "description"} <= set(lesson) for lesson in doc)
    code, out, _ = run(capsys, "lessons", "--builtin", "--json")
    assert "calf_class" not in out and len(json.loads(out)) == 7
    code, _, err = run(capsys, "lessons", "--file", str(tmp_path / "missing.json"))
    assert code == 2 and "no lesson file" in err


def _pixels(path, colour: str) -> int:
    image = QImage(str(path))
    target = QColor(colour)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            diff = abs(c.red() - target.red()) + abs(c.green() - target.green())
            if diff + abs(c.blue() - target.blue()) < 60:
                count += 1
    return count


def test_render_compares_patterns_in_distinct_colours(capsys, tmp_path, qapp):
    from dn_bodymap.render.style import PATTERN_COLOURS_LIGHT

    out = tmp_path / "cmp.png"
    code, text, _ = run(
        capsys,
        "atlas",
        "render",
        "--view",
        "posterior",
        "--pattern",
        "trapezius.1,levator_scapulae,quadratus_lumborum.1:right",
        "--muscles",
        "faded",
        "--height",
        "500",
        "--out",
        str(out),
    )
    assert code == 0 and "blue:" in text and "green:" in text and "purple:" in text
    # the essential zones' edges are drawn in each pattern's own dark tone
    for colour in PATTERN_COLOURS_LIGHT[:3]:
        dark = QColor(colour).darker(135).name()
        assert _pixels(out, dark) > 0, colour
    five = "a.1,b.1,c.1,d.1,e.1"
    code, _, err = run(capsys, "atlas", "render", "--view", "posterior", "--pattern", five, "--out", str(out))
    assert code == 2 and "one to four" in err
