"""Reasoning from a pain drawing: describe it, and suggest muscles whose referral patterns fit it."""

from dn_bodymap.charting.referral.describe import Description, describe
from dn_bodymap.charting.referral.drawing import DrawingError, PainDrawing
from dn_bodymap.charting.referral.suggest import Suggestion, suggest

__all__ = ["Description", "DrawingError", "PainDrawing", "Suggestion", "describe", "suggest"]
