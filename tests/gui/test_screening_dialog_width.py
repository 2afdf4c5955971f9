"""The screening questions are readable without scrolling sideways (walkthrough finding, helper Q).

At a fixed 620 px the longest questions (bleeding, immune system) were cut off behind a horizontal
scroll bar; the dialog now asks for the width they need, which the screen may cap.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QApplication


def test_at_the_width_it_asks_for_no_question_hides_sideways(qtbot, monkeypatch):
    import dn_bodymap.gui.session.screening_dialog as module

    asked: list[int] = []
    monkeypatch.setattr(module, "resize_within_screen", lambda widget, width, height: asked.append(width))
    dialog = module.ScreeningDialog(SimpleNamespace(screening_answers={}))
    qtbot.addWidget(dialog)
    assert asked
    dialog.resize(asked[-1], 640)  # as on a screen wide enough not to cap it
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    widest = max(box.sizeHint().width() for box in dialog.boxes.values())
    assert widest > 560  # longer than the old fixed 620-px dialog could show with its margins
    assert dialog.scroll.horizontalScrollBar().maximum() == 0
    assert dialog.scroll.viewport().width() >= widest
