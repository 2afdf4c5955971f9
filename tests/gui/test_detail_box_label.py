"""The closed "Detail…" drop-down shows a name that fits it (walkthrough finding, helper Q).

The box is kept narrow so the view switcher fits a 1280-px window; with the face chosen it read
"Face and front of t". Closed, it now shows the full label when it fits and the short name when not;
the list keeps the full labels.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QStyleOptionComboBox


def _field_width(box) -> int:
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    return (
        box.style()
        .subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
        )
        .width()
    )


def test_every_detail_view_name_fits_the_closed_box(canvas):
    from dn_bodymap.gui.session.canvas_panel import DETAIL_SHORT

    box = canvas.detail_box
    assert box.closed_text() == "Detail…"
    cut = []
    for view in canvas.detail_views:
        canvas.show_view(view)
        assert box.currentData() == view
        shown = box.closed_text()
        if box.fontMetrics().horizontalAdvance(shown) > _field_width(box):
            cut.append(shown)
        label = canvas.atlas.view_meta[view].label
        assert box.currentText() == label  # the list and accessibility keep the full label
        assert shown in (label, DETAIL_SHORT[view])
    assert not cut, cut
    canvas.show_view("face")
    assert box.closed_text() != "Face and front of the head"  # too long for the closed box
    assert box.closed_text() == "Face"
