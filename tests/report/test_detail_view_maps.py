"""A session with a mark on a detail view shows that view in the report's body maps, with its marks
on the patient's side (the plantar view is seen like the posterior view: right foot on the right)."""

from __future__ import annotations

from report_sessions import build_session, export, pdf_text

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.report.content import numbered_marks, views_in_use
from dn_bodymap.store import open_read_only


def test_a_mark_on_the_soles_adds_the_plantar_map(tmp_path, monkeypatch):
    from PySide6.QtGui import QImage, QPainter

    from dn_bodymap.report import maps

    db = tmp_path / "records.db"
    _, sid = build_session(
        db, sites=[("quadratus_plantae.1", "right"), ("trapezius.1", "left")], extras=False
    )
    with open_read_only(db) as repo:
        record = repo.load_session(sid)
    views = views_in_use(record)
    assert views == ["posterior", "plantar"]
    atlas = default_atlas()
    block = maps.BodyMapsBlock(atlas, views, numbered_marks(record, atlas), (), (), 5000)
    figures: list[tuple[str, float, float]] = []
    drawn: list[tuple[str, float]] = []
    real_paint_view = maps.paint_view

    def spy_view(painter, atlas_, view, target, options):
        figures.append((view, target.left(), target.right()))
        return real_paint_view(painter, atlas_, view, target, options)

    def spy_mark(painter, p, text, active, level, radius=maps.MARK_RADIUS):
        if radius == maps.MARK_RADIUS:
            drawn.append((text, p.x()))

    monkeypatch.setattr(maps, "paint_view", spy_view)
    monkeypatch.setattr(maps, "paint_mark", spy_mark)
    image = QImage(600, 400, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.scale(0.1, 0.1)
    block.paint(painter, 0, 0, 0, block.height())
    painter.end()
    plantar = next(f for f in figures if f[0] == "plantar")
    middle = (plantar[1] + plantar[2]) / 2
    on_soles = [x for _, x in drawn if plantar[1] <= x <= plantar[2]]
    assert len(on_soles) == 1 and on_soles[0] > middle  # the patient's right foot, drawn on the right
    text = " ".join(pdf_text(export(db, sid, tmp_path / "report.pdf")))
    assert "Soles (plantar)" in text
