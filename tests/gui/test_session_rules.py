"""Session-level safety rules in the workstation: bilateral thorax, screening block, linking."""

from __future__ import annotations

from dn_bodymap.charting.records import Patient
from dn_bodymap.gui.session.controller import AcknowledgementAnswer


def _trapezius(atlas, side: str) -> tuple[float, float]:
    post = atlas.view("posterior")
    c7, acr = post.landmark("c7"), post.landmark("acromion", side)
    return (c7.x + acr.x) / 2, (c7.y + acr.y) / 2 + 3


def _session(window, repo):
    patient = repo.add_patient(Patient(display_name="Demo Patient Rules", height_cm=170, weight_kg=65))
    window.start_session(patient.id)
    return window.controller, window.session_page


def test_second_side_of_the_thorax_raises_the_bilateral_warning(qtbot, make_window):
    window, repo = make_window()
    controller, page = _session(window, repo)
    seen = []

    def accept(needs):
        seen.append(needs)
        return [AcknowledgementAnswer("Pincer grip", "discussed")] * len(needs)

    controller.ack_provider = accept
    assert controller.place_mark("posterior", *_trapezius(window.atlas, "right"))
    assert not seen[-1][0].warnings
    assert not page.session_banner.isVisible()
    assert controller.place_mark("posterior", *_trapezius(window.atlas, "left"))
    (need,) = seen[-1]
    assert [w.id for w in need.warnings] == ["bilateral_thorax"]
    assert "both the left and the right" in need.message
    assert need.level == "very_high"
    (ack,) = [a for a in controller.acknowledgements() if a.mark_id == need.mark.id]
    assert "bilateral_thorax" in ack.hazard_ids and ack.technique_chosen == "Pincer grip"
    assert (
        page.session_banner.isVisibleTo(page) and "both the left and the right" in page.session_banner.text()
    )


def test_absolute_contraindication_blocks_recording_needling(qtbot, make_window):
    window, repo = make_window()
    controller, _ = _session(window, repo)
    mark = controller.place_mark("anterior", 60.0, 620.0)  # left thigh, no hazard
    assert mark is not None
    refusals = []
    controller.refused.connect(refusals.append)
    controller.edit_session(None, "Screening", screening_answers={"needle_phobia": True})
    assert not controller.edit_mark(mark.id, needled=True)
    assert refusals and "absolute contraindication" in refusals[-1]
    assert not repo.get_mark(mark.id).needled
    controller.edit_session(
        None,
        "Screening",
        screening_answers={
            "needle_phobia": True,
            "override_reason": "Patient insists; desensitised",
        },
    )
    assert controller.edit_mark(mark.id, needled=True)
    assert repo.get_mark(mark.id).needled


def test_pain_area_links_to_the_selected_mark(qtbot, make_window):
    window, repo = make_window()
    controller, page = _session(window, repo)
    mark = controller.place_mark("anterior", 60.0, 620.0)
    page.select_mark(mark.id)
    page.canvas.link_box.setChecked(True)
    assert stroke(qtbot, controller, "anterior", "brush", [(55.0, 600.0), (58.0, 640.0)])
    (area,) = controller.pain_areas()
    assert area.mark_id == mark.id


def test_one_eraser_stroke_over_two_areas_is_one_undo_step(qtbot, make_window):
    window, repo = make_window()
    controller, _ = _session(window, repo)
    controller.pain_quality = "ache"
    assert stroke(qtbot, controller, "anterior", "brush", [(50.0, 600.0), (50.0, 640.0)])
    controller.pain_quality = "sharp"
    assert stroke(qtbot, controller, "anterior", "brush", [(62.0, 600.0), (62.0, 640.0)])
    before = {a.id: from_geo(a).area for a in controller.pain_areas()}
    controller.brush_width = 10.0
    assert stroke(qtbot, controller, "anterior", "eraser", [(40.0, 620.0), (72.0, 620.0)])
    areas = controller.pain_areas()
    assert len(areas) == 2 and all(from_geo(a).area < before[a.id] for a in areas)
    controller.undo()
    assert sum(from_geo(a).area for a in controller.pain_areas()) > sum(from_geo(a).area for a in areas)
    controller.undo()  # the sharp stroke
    assert len(controller.pain_areas()) == 1


def stroke(qtbot, controller, view, tool, points) -> bool:
    """A finished stroke, waited for: its geometry is worked out on a worker thread."""
    with qtbot.waitSignal(controller.sketches.settled) as settled:
        assert controller.finish_stroke(view, tool, points)
    return settled.args[0]


def from_geo(area):
    from dn_bodymap.charting.editing.sketch import from_record

    return from_record(area.geometry)


def test_an_outline_the_core_refuses_in_a_merge_is_a_message_not_a_crash(qtbot, make_window, monkeypatch):
    """``to_record`` may refuse a merged outline (too many pieces): the clinician is told why and
    the stored area stays as it was."""
    from dn_bodymap.charting.editing import sketch
    from dn_bodymap.charting.editing.sketch import SketchError

    window, repo = make_window()
    controller, _ = _session(window, repo)
    controller.pain_quality = "ache"
    assert stroke(qtbot, controller, "anterior", "brush", [(50.0, 600.0), (50.0, 640.0)])
    (before,) = controller.pain_areas()
    messages: list[str] = []
    controller.message.connect(messages.append)

    def refuse(_geom):
        raise SketchError("That outline crosses itself too often to keep: draw it again more simply.")

    monkeypatch.setattr(sketch, "to_record", refuse)
    assert not stroke(qtbot, controller, "anterior", "brush", [(52.0, 600.0), (52.0, 640.0)])  # merges
    assert not stroke(qtbot, controller, "anterior", "brush", [(-60.0, 300.0), (-60.0, 340.0)])  # new
    assert len(messages) == 2 and "crosses itself" in messages[-1]
    assert controller.pain_areas() == [before]
