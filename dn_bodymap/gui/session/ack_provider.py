"""The controller's acknowledgement provider, without loading the dialog (issue #14).

The dialog's widgets (check box, combo box, text browser, button box) make PySide create ~100 enum
classes when first imported; the session screen's first paint needs none of them, so the dialog
module is imported when the first acknowledgement is asked (or by the warm-up after the paint).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from dn_bodymap.charting.editing import AcknowledgementNeed
    from dn_bodymap.gui.session.controller import AcknowledgementAnswer


def ask_acknowledgement(
    parent: QWidget | None,
) -> Callable[[Sequence[AcknowledgementNeed]], list[AcknowledgementAnswer] | None]:
    """The real dialog's provider (``ack_dialog.ask_acknowledgement``), its module loaded on first use."""

    def provider(needs: Sequence[AcknowledgementNeed]) -> list[AcknowledgementAnswer] | None:
        from dn_bodymap.gui.session import ack_dialog

        return ack_dialog.ask_acknowledgement(parent)(needs)

    return provider
