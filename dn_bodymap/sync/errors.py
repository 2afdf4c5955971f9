"""Failures of the clinic server, each with a sentence a clinic's administrator can act on."""

from __future__ import annotations


class SyncError(Exception):
    """The server could not be reached, refused us, or is not prepared; nothing local was lost."""


class ServerUnreachable(SyncError):
    """No answer from the server (network down, server stopped): the workstation is offline and
    keeps working; a refusal (wrong password, no rights) is a plain ``SyncError`` instead."""
