"""`atlas locate` names the muscles drawn under a point that cannot be reached through it."""

from __future__ import annotations

import json

from dn_bodymap.cli import main


def locate(capsys, view: str, x: float, y: float, *extra: str) -> tuple[int, str]:
    code = main(["atlas", "locate", "--view", view, "--x", str(x), "--y", str(y), *extra])
    return code, capsys.readouterr().out


def test_json_lists_subscapularis_as_unreachable_through_the_chest_wall(capsys):
    code, out = locate(capsys, "anterior", 60, 240, "--json")
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"view", "x", "y", "inside", "side", "region", "muscles", "unreachable"}
    (entry,) = doc["unreachable"]
    assert set(entry) == {"id", "name", "reason"}
    assert entry["id"] == "subscapularis" and entry["name"] == "Subscapularis"
    assert "through the axilla" in entry["reason"]
    assert "subscapularis" not in [m["id"] for m in doc["muscles"]]


def test_through_the_axilla_nothing_is_unreachable(capsys):
    doc = json.loads(locate(capsys, "posterior", 93, 236, "--json")[1])
    assert doc["unreachable"] == [] and "subscapularis" in [m["id"] for m in doc["muscles"]]


def test_text_output_says_why_not_here(capsys):
    code, out = locate(capsys, "anterior", 60, 240)
    line = next(line for line in out.splitlines() if "not here" in line)
    assert code == 0 and "subscapularis is reached through the axilla" in line
