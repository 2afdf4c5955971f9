"""`suggest`, `describe` and `atlas trigger-points`: the referral library from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dn_bodymap.cli.common import CliError, print_json


def _drawing_arguments(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--regions", help="region ids, comma-separated (e.g. temple:right,posterior_neck)")
    src.add_argument("--geojson", type=Path, help="GeoJSON file of painful areas (properties.view)")
    p.add_argument("--json", action="store_true")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("suggest", help="muscles whose referral patterns best explain a pain drawing")
    _drawing_arguments(p)
    p.add_argument("--top", type=int, default=10)
    p.set_defaults(handler=_suggest)
    p = sub.add_parser("describe", help="regions, extent and a one-line summary of a pain drawing")
    _drawing_arguments(p)
    p.set_defaults(handler=_describe)


def register_atlas(asub: argparse._SubParsersAction) -> None:
    p = asub.add_parser("trigger-points", help="the trigger-point library with referral zones")
    p.add_argument("--muscle", help="only this muscle's trigger points")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_trigger_points)


def _drawing(args: argparse.Namespace):
    from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing
    from dn_bodymap.cli.atlas_cmd import load

    atlas = load()
    try:
        if args.regions is not None:
            return atlas, PainDrawing.from_regions(atlas, _region_refs(args.regions))
        try:
            text = args.geojson.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {args.geojson}: {exc}") from None
        return atlas, PainDrawing.from_geojson_text(atlas, text)
    except DrawingError as exc:
        raise CliError(str(exc)) from None


def _region_refs(text: str) -> list[str]:
    """Distinct region references in order (15,000 repeats cost one lookup); ``temple:`` is refused."""
    refs = list(dict.fromkeys(ref.strip() for ref in text.split(",") if ref.strip()))
    for ref in refs:
        if ref.endswith(":"):
            raise CliError(f"--regions: {ref!r} names no side after ':' (left or right)")
    return refs


def _library():
    from dn_bodymap.atlas.build import AtlasDataError
    from dn_bodymap.atlas.trigger_points import default_library

    try:
        return default_library()
    except AtlasDataError as exc:
        raise CliError(f"the trigger-point library is broken: {exc}", 1) from None


def _suggest(args: argparse.Namespace) -> int:
    from dn_bodymap.charting.referral.index_cache import default_referral_index
    from dn_bodymap.charting.referral.suggest import suggest

    if not 1 <= args.top <= 200:
        raise CliError("--top must be between 1 and 200")
    _, drawing = _drawing(args)
    _library()
    results = suggest(drawing, default_referral_index(), top=args.top)
    doc = {"suggestions": [s.to_json() for s in results]}
    if args.json:
        print_json(doc)
    else:
        if not results:
            print("no referral pattern in the library overlaps this drawing")
        for i, s in enumerate(results, 1):
            sides = ", ".join(str(side) for side in s.sides)
            print(f"{i:>2}. {s.muscle_name} ({sides})  score {s.score:.2f}  — {s.explanation}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    from dn_bodymap.charting.referral.describe import describe

    atlas, drawing = _drawing(args)
    d = describe(drawing, atlas)
    doc = {
        "regions": [{"id": r.id, "label": r.label, "view": r.view, "side": str(r.side)} for r in d.regions],
        "extent": d.extent,
        "bilateral": d.bilateral,
        "widespread": d.widespread,
        "summary": d.summary,
    }
    if args.json:
        print_json(doc)
    else:
        print(d.summary)
        print("extent: " + ", ".join(f"{k} {v:.1f}%" for k, v in d.extent.items()))
        print(f"bilateral: {'yes' if d.bilateral else 'no'}; widespread: {'yes' if d.widespread else 'no'}")
    return 0


def trigger_point_document(tid: str, instances: list) -> dict[str, Any]:
    from shapely.geometry import mapping

    first = instances[0]

    def zones(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "view": z.view,
                "side": str(z.side),
                "regions": list(z.regions),
                "geometry": mapping(z.geometry),
            }
            for tp in instances
            for z in tp.zones(kind)
        ]

    return {
        "id": tid,
        "muscle": first.muscle,
        "label": first.label,
        "description": first.description,
        "mimics": list(first.mimics),
        "needling": dict(first.needling),
        "hazard_note": first.hazard_note,
        "locations": [
            {"view": loc.view, "side": str(loc.side), "x": loc.x, "y": loc.y}
            for tp in instances
            for loc in tp.locations
        ],
        "essential": zones("essential"),
        "spillover": zones("spillover"),
        "sources": list(first.sources),
    }


def _trigger_points(args: argparse.Namespace) -> int:
    library = _library()
    grouped = library.trigger_points
    if args.muscle is not None:
        grouped = {k: v for k, v in grouped.items() if v[0].muscle == args.muscle}
        if not grouped:
            raise CliError(f"no trigger points for muscle {args.muscle!r}")
    if args.json:
        print_json([trigger_point_document(tid, inst) for tid, inst in sorted(grouped.items())])
    else:
        for tid, inst in sorted(grouped.items()):
            print(f"{tid:<36} {inst[0].label}")
    return 0
