"""`dn-bodymap atlas …`: check, stats, muscles, regions, locate and render the anatomical atlas."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dn_bodymap.charting.enums import View
from dn_bodymap.cli.common import CliError, finite_float, print_json

if TYPE_CHECKING:
    from dn_bodymap.atlas.model import Atlas

# The view names without importing the atlas (shapely): `dn-bodymap patients` never pays for it.
VIEWS: tuple[str, ...] = tuple(v.value for v in View)


def register(sub: argparse._SubParsersAction) -> None:
    atlas = sub.add_parser("atlas", help="the anatomical atlas: check, list, locate, render")
    asub = atlas.add_subparsers(dest="atlas_command", metavar="ATLAS_COMMAND", required=True)

    p = asub.add_parser("check", help="validate the atlas; exit 1 with a list of problems")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_check)

    p = asub.add_parser("stats", help="counts of views, landmarks, regions, muscles, …")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_stats)

    p = asub.add_parser("muscles", help="every muscle with its shapes per view and side")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_muscles)

    p = asub.add_parser("regions", help="every surface region")
    p.add_argument("--view", choices=VIEWS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_regions)

    p = asub.add_parser("landmarks", help="every named landmark")
    p.add_argument("--view", choices=VIEWS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_landmarks)

    p = asub.add_parser("locate", help="side, region and muscles under a point")
    p.add_argument("--view", required=True, choices=VIEWS)
    p.add_argument("--x", required=True, type=finite_float)
    p.add_argument("--y", required=True, type=finite_float)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_locate)

    p = asub.add_parser("render", help="draw a view to PNG, SVG or PDF")
    p.add_argument("--view", required=True, choices=VIEWS)
    p.add_argument(
        "--layers",
        help="comma-separated: silhouette, details, regions, superficial, intermediate, deep, "
        "muscles, hazards, labels, landmarks, sides, all (default: the clinical chart look)",
    )
    p.add_argument("--height", type=int, default=2000, help="image height in pixels (PNG/SVG)")
    p.add_argument("--greyscale", action="store_true", help="print-style greyscale")
    p.add_argument("--dark", action="store_true", help="dark palette")
    p.add_argument("--legend", action="store_true", help="add the chart's key (colours, conventions) below")
    p.add_argument("--highlight", default="", help="comma-separated muscle ids to outline")
    p.add_argument(
        "--pattern",
        metavar="TRIGGER_POINT[:SIDE][,…]",
        help="draw one to four library trigger points and their referral zones (essential solid, "
        "spillover hatched), each in its own colour; a muscle id stands for its first trigger point",
    )
    p.add_argument(
        "--muscles",
        choices=("normal", "faded", "hidden"),
        default="normal",
        help="with --pattern: fade or hide the muscles so the pattern reads on its own",
    )
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(handler=_render)

    p = asub.add_parser("export-svg", help="write the authored curves as SVG for a vector editor")
    p.add_argument("--out", required=True, type=Path, help="folder for atlas-<frame>.svg")
    p.set_defaults(handler=_export_svg)

    # Sub-commands that belong to other packages register themselves here when present.
    import importlib

    for module_name in ("dn_bodymap.cli.safety_cmd", "dn_bodymap.cli.referral_cmd"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register_atlas(asub)


def load() -> Atlas:
    from dn_bodymap.atlas.build import AtlasDataError
    from dn_bodymap.atlas.loader import default_atlas

    try:
        return default_atlas()
    except AtlasDataError as exc:
        raise CliError(f"the atlas data is broken: {exc}", 1) from None


def require_view(atlas: Atlas, view: str) -> None:
    """A detail view whose assets are not authored yet is a clear one-line refusal."""
    if view not in atlas.views:
        raise CliError(f"the {view} view is not in this atlas yet (views: {', '.join(atlas.views)})")


def _check(args: argparse.Namespace) -> int:
    from dn_bodymap.atlas.validate import check_atlas, measure

    atlas = load()
    problems = check_atlas(atlas)
    m = measure(atlas)
    if args.json:
        print_json(
            {
                "ok": not problems,
                "problems": problems,
                "superficial_coverage": m.superficial_coverage,
                "partition_error": m.partition_error,
            }
        )
    else:
        for text in problems:
            print(f"- {text}")
        cov = ", ".join(f"{v} {c:.1%}" for v, c in m.superficial_coverage.items())
        print(f"superficial coverage: {cov}")
        print(f"atlas {atlas.version}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def stats_document(atlas: Atlas) -> dict[str, Any]:
    return {
        "atlas_version": atlas.version,
        "views": list(atlas.views),
        "landmarks": {v: len(d.landmarks) for v, d in atlas.views.items()},
        "regions": {v: len(d.regions) for v, d in atlas.views.items()},
        "muscles": len(atlas.muscles),
        "muscle_shapes": {v: len(d.muscle_shapes) for v, d in atlas.views.items()},
        "trigger_points": _count_trigger_points(),
        "hazards": _count_hazards(),
    }


def _count_trigger_points() -> int:
    try:
        from dn_bodymap.atlas.trigger_points import default_library
    except ModuleNotFoundError:
        return 0
    return len(default_library().trigger_points)


def _count_hazards() -> int:
    try:
        from dn_bodymap.safety.hazards import default_hazards
    except ModuleNotFoundError:
        return 0
    return len(default_hazards().zones)


def _stats(args: argparse.Namespace) -> int:
    doc = stats_document(load())
    if args.json:
        print_json(doc)
    else:
        for key, value in doc.items():
            print(f"{key}: {value}")
    return 0


def _muscles(args: argparse.Namespace) -> int:
    atlas = load()
    doc = []
    for muscle in atlas.muscles.values():
        shapes = [
            {"view": s.view, "side": str(s.side), "layer": s.layer, "anchor": list(s.anchor)}
            for v in atlas.views.values()
            for s in v.muscle_shapes
            if s.muscle_id == muscle.id
        ]
        doc.append(
            {
                "id": muscle.id,
                "name": muscle.name,
                "latin": muscle.latin,
                "group": muscle.group,
                "layer": muscle.layer,
                "shapes": shapes,
            }
        )
    if args.json:
        print_json(doc)
    else:
        for m in doc:
            views = sorted({s["view"] for s in m["shapes"]})
            print(f"{m['id']:<34} {m['name']:<44} {m['layer']:<12} {', '.join(views)}")
    return 0


def _regions(args: argparse.Namespace) -> int:
    atlas = load()
    doc = [
        {
            "id": r.id,
            "label": r.label,
            "view": r.view,
            "side": str(r.side),
            "anchor": list(r.anchor),
        }
        for name, v in atlas.views.items()
        if args.view in (None, name)
        for r in v.regions
    ]
    if args.json:
        print_json(doc)
    else:
        for r in doc:
            print(f"{r['view']:<14} {r['side']:<8} {r['id']:<28} {r['label']}")
    return 0


def _landmarks(args: argparse.Namespace) -> int:
    atlas = load()
    doc = [
        {
            "id": lm.id,
            "label": lm.label,
            "view": lm.view,
            "side": str(lm.side),
            "x": lm.x,
            "y": lm.y,
        }
        for name, v in atlas.views.items()
        if args.view in (None, name)
        for lm in v.landmarks.values()
    ]
    if args.json:
        print_json(doc)
    else:
        for lm in doc:
            print(f"{lm['view']:<14} {lm['side']:<8} {lm['id']:<30} {lm['x']:>8.1f} {lm['y']:>8.1f}")
    return 0


def locate_document(view: str, x: float, y: float) -> dict[str, Any]:
    from dn_bodymap.atlas.locate import AtlasIndex

    atlas = load()
    result = AtlasIndex(atlas).locate(view, x, y)
    return {
        "view": view,
        "x": x,
        "y": y,
        "inside": result.inside,
        "side": str(result.side) if result.side else None,
        "region": {"id": result.region.id, "label": result.region.label} if result.region else None,
        "muscles": [
            {"id": m.muscle_id, "name": atlas.muscles[m.muscle_id].name, "layer": m.layer}
            for m in result.muscles
        ],
        "unreachable": [
            {"id": muscle, "name": atlas.muscles[muscle].name, "reason": reason}
            for muscle, reason in result.unreachable
        ],
    }


def _locate(args: argparse.Namespace) -> int:
    require_view(load(), args.view)
    doc = locate_document(args.view, args.x, args.y)
    if args.json:
        print_json(doc)
    elif not doc["inside"]:
        print(f"({args.x:g}, {args.y:g}) is outside the figure on the {args.view} view")
    else:
        region = doc["region"]["label"] if doc["region"] else "no named region"
        print(f"{doc['side']} side, {region}")
        for m in doc["muscles"]:
            print(f"  {m['layer']:<12} {m['name']}")
        for m in doc["unreachable"]:
            print(f"  {'not here':<12} {m['reason']}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from dn_bodymap.render.export import render_to_file
    from dn_bodymap.render.layers import parse_layers
    from dn_bodymap.render.style import DARK, LIGHT
    from dn_bodymap.render.view_painter import RenderOptions

    try:
        layers = parse_layers(args.layers)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if not 50 <= args.height <= 12000:
        raise CliError("--height must be between 50 and 12000 pixels")
    if not args.out.parent.exists():
        raise CliError(f"folder {args.out.parent} does not exist")
    atlas = load()
    require_view(atlas, args.view)
    overlays = []
    if "hazards" in layers:
        overlays = _hazard_overlays(args.view)
    highlight = {h.strip() for h in args.highlight.split(",") if h.strip()}
    if unknown := sorted(highlight - atlas.muscles.keys()):
        raise CliError(f"--highlight: unknown muscle {unknown[0]!r} (see `dn-bodymap atlas muscles`)")
    palette = DARK if args.dark else LIGHT
    legend: list[str] = []
    if args.pattern:
        from dn_bodymap.render.referral_overlay import muscle_layers, veil_overlay

        pattern, muscles, legend = _pattern_overlays(args.pattern, args.view, palette)
        if args.muscles == "faded":
            overlays = [veil_overlay(atlas, args.view, palette), *overlays]
        overlays = [*overlays, *pattern]
        layers = muscle_layers(layers, args.muscles)
        if args.muscles != "hidden":
            highlight.update(muscles)
    options = RenderOptions(
        layers=layers,
        palette=palette,
        greyscale=args.greyscale,
        overlays=overlays,
        highlight=frozenset(highlight),
    )
    try:
        render_to_file(atlas, args.view, options, args.out, args.height, legend=args.legend)
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from None
    print(args.out)
    for line in legend:
        print(line)
    return 0


def _export_svg(args: argparse.Namespace) -> int:
    from dn_bodymap.atlas.build import AtlasDataError
    from dn_bodymap.atlas.loader import read_tables
    from dn_bodymap.atlas.svg_export import export_svgs

    try:
        paths = export_svgs(read_tables(), args.out)
    except AtlasDataError as exc:
        raise CliError(f"the atlas data is broken: {exc}", 1) from None
    except OSError as exc:
        raise CliError(f"cannot write to {args.out}: {exc}") from None
    for path in paths:
        print(path)
    return 0


def _pattern_overlays(spec: str, view: str, palette) -> tuple[list, set[str], list[str]]:
    """Overlays, muscles to outline and legend lines for 'trapezius.1:right,levator_scapulae.1'."""
    from dn_bodymap.atlas.model import Side
    from dn_bodymap.atlas.trigger_points import default_library
    from dn_bodymap.render.referral_overlay import comparison_overlays
    from dn_bodymap.render.style import pattern_colour_name

    library = default_library()
    items = [part.strip() for part in spec.split(",") if part.strip()]
    if not 1 <= len(items) <= 4:
        raise CliError("--pattern takes one to four trigger points, comma-separated")
    chosen: list[tuple[str, Side, int]] = []
    for index, item in enumerate(items):
        tid, _, side_text = item.partition(":")
        try:
            side = Side(side_text or "right")
        except ValueError:
            raise CliError(f"unknown side {side_text!r}; use left or right") from None
        if "." not in tid:
            own = sorted(t for t in library.trigger_points if t.startswith(f"{tid}."))
            if own:
                tid = own[0]
        if (tid, side) not in library.instances:
            raise CliError(f"no trigger point {tid!r} in the library (see `atlas trigger-points`)")
        chosen.append((tid, side, index))
    overlays = comparison_overlays(library, chosen, view, palette)
    muscles = {library.instances[(tid, side)].muscle for tid, side, _ in chosen}
    legend = [
        f"{pattern_colour_name(i)}: {library.instances[(tid, side)].label} ({side})"
        for tid, side, i in chosen
    ]
    return overlays, muscles, legend


def _hazard_overlays(view: str) -> list:
    try:
        from dn_bodymap.render.hazard_overlay import hazard_overlays
    except ModuleNotFoundError:
        raise CliError("the hazard layer is not part of this build yet") from None
    return hazard_overlays(view)
