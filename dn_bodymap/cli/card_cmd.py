"""`pattern-card`: a trigger point's pattern card (PNG or PDF) for handouts."""

from __future__ import annotations

import argparse
from pathlib import Path

from dn_bodymap.cli.common import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pattern-card", help="a trigger point's referral pattern as a handout card")
    p.add_argument("--trigger-point", required=True, metavar="ID", help="library trigger point id")
    p.add_argument("--side", default="right", choices=("left", "right"), help="the patient's side")
    p.add_argument("--out", required=True, type=Path, help="FILE.png or FILE.pdf")
    p.add_argument("--width", type=int, default=2000, help="PNG width in pixels (default 2000)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_pattern_card)


def _pattern_card(args: argparse.Namespace) -> int:
    from dn_bodymap.cli.atlas_cmd import load
    from dn_bodymap.cli.referral_cmd import _library
    from dn_bodymap.report.pattern_card import CardError, build_card, write_card

    if args.out.suffix.lower() not in (".png", ".pdf"):
        raise CliError(f"cannot write {args.out.name}: use a .png or .pdf file name")
    if not 400 <= args.width <= 8000:
        raise CliError("--width must be between 400 and 8000 pixels")
    if not args.out.parent.is_dir():
        raise CliError(f"no folder {args.out.parent} to write {args.out.name} into")
    atlas = load()
    library = _library()
    try:
        card = build_card(atlas, library, args.trigger_point, args.side)
        write_card(atlas, library, card, args.out, args.width)
    except CardError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc}") from None
    if args.json:
        print_json(
            {
                "trigger_point": card.trigger_point.id,
                "side": str(card.trigger_point.side),
                "muscle": card.trigger_point.muscle,
                "views": list(card.views),
                "out": str(args.out),
            }
        )
    else:
        print(args.out)
    return 0
