"""The Library shows a detail view for a trigger point located on it (quadratus plantae on the
soles), and not for a body-view point whose zone the detail view only repeats (soleus)."""

from __future__ import annotations

from test_library_page import click_muscle, page  # noqa: F401  (the fixture)


def test_the_soles_show_for_a_plantar_muscle_only(qtbot, page):  # noqa: F811
    assert "plantar" in page.views
    click_muscle(qtbot, page, "quadratus_plantae")
    assert "plantar" in page.visible_views()
    click_muscle(qtbot, page, "soleus")
    assert "plantar" not in page.visible_views()
    assert "posterior" in page.visible_views()


def test_reverse_lookup_can_be_drawn_on_a_detail_view(qtbot, page):  # noqa: F811
    """A trainer asking "which muscles refer pain to the heel?" picks the soles and clicks there."""
    page.set_mode("lookup")
    assert page.lookup_views_box.isVisibleTo(page)
    assert set(page.visible_views()) == {"anterior", "posterior", "lateral_right", "lateral_left"}
    page.lookup_views_box.setCurrentIndex(page.lookup_views_box.findData("plantar"))
    assert page.visible_views() == ["plantar"]
    heel = next(r for r in page.atlas.view("plantar").regions if r.id.endswith("heel_pad") or "heel" in r.id)
    page.lookup.toggle_at("plantar", *heel.anchor)
    names = [page.lookup.candidates.item(i).text() for i in range(page.lookup.candidates.count())]
    assert names, "no candidates for a heel picked on the soles"
    page.set_mode("pattern")
    assert not page.lookup_views_box.isVisibleTo(page)
