"""The installed package finds every asset (a plain, non-editable install ships them inside)."""

from pathlib import Path

import dn_bodymap
from dn_bodymap.assets import assets_dir


def test_assets_are_found_next_to_the_code():
    root = assets_dir()
    assert (root / "atlas" / "atlas.toml").is_file()
    assert list((root / "atlas" / "muscles").glob("*.toml"))
    assert list((root / "trigger_points").glob("*.toml"))
    package = Path(dn_bodymap.__file__).resolve().parent
    if "site-packages" in package.parts:  # installed from a wheel: the assets are inside it
        assert root == package / "assets"


def test_every_cli_sub_command_is_documented_in_the_readme():
    from dn_bodymap.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"dn-bodymap {name}" in readme or f"`{name}`" in readme, name
        nested = [a for a in p._actions if getattr(a, "choices", None) and a.dest.endswith("_command")]
        for action in nested:
            for child in action.choices:
                assert f"{name} {child}" in readme, f"{name} {child}"
