"""Reasoning from a pain drawing: describe it (``describe``), and suggest muscles whose referral
patterns fit it (``suggest``: imported from its module where it is used, so describing a drawing at
the session screen's first paint does not load the ranking and the trigger-point library, issue #14)."""

from dn_bodymap.charting.referral.describe import Description, describe
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing

__all__ = ["Description", "DrawingError", "PainDrawing", "describe"]
