"""Failures of the clinic server, each with a sentence a clinic's administrator can act on."""

from __future__ import annotations


class SyncError(Exception):
    """The server could not be reached, refused us, or is not prepared; nothing local was lost."""
