"""`dn-bodymap assess` (hazard assessment of a needling site) and `dn-bodymap atlas hazards`."""

from __future__ import annotations

import argparse
from typing import Any

from dn_bodymap.cli.atlas_cmd import VIEWS
from dn_bodymap.cli.common import CliError, finite_float, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess",
        help="hazard assessment of a needling site",
        description="Hazards under a point of a view (pleura, vessels, nerves, organs, no-needle "
        "zones), raised or annotated by patient factors. Supports clinical judgement; it does "
        "not replace it.",
    )
    p.add_argument("--view", required=True, choices=VIEWS)
    p.add_argument("--x", required=True, type=finite_float)
    p.add_argument("--y", required=True, type=finite_float)
    p.add_argument("--sex", choices=("female", "male", "other", "unspecified"))
    p.add_argument("--bmi", type=finite_float, help="body-mass index (kg/m²)")
    p.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="ID[,ID…]",
        help="patient condition (repeatable or comma-separated), e.g. lung_disease, "
        "thoracic_surgery, anticoagulants, pregnancy, lymphoedema_left_arm, breast_implants; "
        "any screening question id is accepted",
    )
    p.add_argument(
        "--depth",
        type=finite_float,
        metavar="MM",
        help="needle depth or length in mm: warns when it is beyond the shallowest published "
        "skin-to-structure depth at the site",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_assess)


def register_atlas(asub: argparse._SubParsersAction) -> None:
    p = asub.add_parser("hazards", help="every hazard zone: id, kind, level, views, sources")
    p.add_argument("--view", choices=VIEWS, help="only the zones shown on this view")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_hazards)


def _load_hazards():
    from dn_bodymap.atlas.build import AtlasDataError
    from dn_bodymap.safety.hazards import HazardDataError, default_hazards

    try:
        return default_hazards()
    except (AtlasDataError, HazardDataError) as exc:
        raise CliError(f"the hazard data is broken: {exc}", 1) from None


def _conditions(values: list[str]) -> list[str]:
    from dn_bodymap.safety.patient import known_conditions, normalise_condition

    known = set(known_conditions())
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            cid = normalise_condition(part)
            if not cid:
                continue
            if cid not in known:
                raise CliError(f"unknown condition {part.strip()!r}; choose from {', '.join(sorted(known))}")
            out.append(cid)
    return out


def _assess(args: argparse.Namespace) -> int:
    from dn_bodymap.safety.assess import assess_document

    if args.bmi is not None and not 8 <= args.bmi <= 100:
        raise CliError("--bmi must be between 8 and 100")
    if args.depth is not None and not 0 < args.depth <= 300:
        raise CliError("--depth must be more than 0 and at most 300 mm")
    conditions = _conditions(args.condition)
    hazards = _load_hazards()
    if args.view not in hazards.atlas.views:
        raise CliError(f"the {args.view} view is not in this atlas yet")
    doc = assess_document(
        args.view,
        args.x,
        args.y,
        sex=args.sex,
        bmi=args.bmi,
        conditions=conditions,
        hazards=hazards,
        depth_mm=args.depth,
    )
    if args.json:
        print_json(doc)
    else:
        _print_assessment(doc)
    return 0


def _print_assessment(doc: dict[str, Any]) -> None:
    if not doc["inside"]:
        print(doc["outside_message"])
        return
    where = doc["region"] or "no named region"
    print(f"{doc['view']} ({doc['x']:g}, {doc['y']:g}) {doc['side'] or ''} {where}".strip())
    print(f"level: {doc['level'].replace('_', ' ')}")
    for h in doc["hazards"]:
        print(f"- [{h['level'].replace('_', ' ')}] {h['message']}")
        print(f"  technique: {h['guidance']}")
        for d in h["depth"]:
            print(f"  depth: {d['text']} [{', '.join(d['sources'])}]")
        print(f"  sources: {', '.join(h['sources'])}")
    if doc.get("depth_warning"):
        w = doc["depth_warning"]
        print(f"! depth: {w['message']} [{', '.join(w['sources'])}]")
    elif "depth_mm" in doc:
        print(
            f"depth {doc['depth_mm']:g} mm: no published figure at this site is shallower; "
            "individual anatomy still varies."
        )
    for m in doc["modifiers"]:
        print(f"* {m['text']} [{', '.join(m['sources'])}]")
    for line in doc["advice"]:
        print(f"> {line}")
    for note in doc["notes"]:
        print(f"note: {note}")
    if not doc["hazards"]:
        print("No mapped hazard zone here; anatomy varies, so this does not mean the site is without risk.")
    print(doc["disclaimer"])


def _hazards(args: argparse.Namespace) -> int:
    from dn_bodymap.safety.hazards import summary

    hazards = _load_hazards()
    doc = [summary(z) for z in hazards.zones.values() if args.view is None or args.view in z.views]
    if args.json:
        print_json(doc)
    else:
        for z in doc:
            print(f"{z['id']:<28} {z['kind']:<14} {z['level']:<10} {', '.join(z['views'])}")
    return 0
