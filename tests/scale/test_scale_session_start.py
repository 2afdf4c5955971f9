"""Starting straight into the last session (issue #14): the first paint needs neither the hazard
assessment (safety.assess, the locate index), the acknowledgement dialog nor the trigger-point
library; the session rules over the marks already there are shown as being checked, and right after
the paint they are checked, equal to an eager computation. A click before that still runs the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from app_child import start_app
from hypothesis import given, settings
from hypothesis import strategies as st

BUILD = r"""
import sys
from dn_bodymap.charting.editing import AddPainArea, EditingSession, PlaceMark
from dn_bodymap.charting.geometry import geometry_from_value
from dn_bodymap.charting.records import Clinician, Mark, PainArea, Patient, Session
from dn_bodymap.store import open_store

with open_store(sys.argv[1], backups=False) as repo:
    repo.set_clinician(Clinician(name="Demo Clinician Robin Hale"))
    patient = repo.add_patient(Patient(display_name="Demo Patient Start", height_cm=170, weight_kg=65))
    session = repo.create_session(Session(patient_id=patient.id, clinician="Demo Clinician Robin Hale"))
    editing = EditingSession(repo, session.id)
    for x, side in ((60.0, "right"), (-60.0, "left")):  # both sides of the thorax: a session warning
        mark = Mark(session_id=session.id, atlas_version="1.0", view="posterior", x=x, y=180.0,
                    side=side, muscle_id="trapezius")
        need = editing.rule.need(mark)
        editing.execute(PlaceMark(mark, need.acknowledge("Demo Clinician Robin Hale", "Pincer grip")))
    ring = [(20.0, 60.0), (60.0, 60.0), (60.0, 100.0), (20.0, 100.0), (20.0, 60.0)]  # a temple
    hole = [(35.0, 75.0), (45.0, 75.0), (45.0, 85.0), (35.0, 85.0), (35.0, 75.0)]
    editing.execute(AddPainArea(PainArea(session_id=session.id, view="anterior", atlas_version="1.0",
                                         geometry=geometry_from_value("geometry", [ring, hole]))))
    print(session.id)
"""
CHILD = r"""
import json, sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
QSettings("dn-bodymap", "dn-bodymap").setValue("last_session", sys.argv[2])
LATER = ("dn_bodymap.safety.assess", "dn_bodymap.safety.hazards", "dn_bodymap.atlas.locate",
         "dn_bodymap.gui.session.ack_dialog", "dn_bodymap.charting.referral.suggest",
         "dn_bodymap.atlas.trigger_points", "shapely", "numpy")
report = {}

def window():
    from dn_bodymap.gui.main_window import MainWindow
    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

def first_turn():
    w = window()
    page = w.session_page
    report["on_session"] = w.controller is not None
    report["at_first_paint"] = sorted(m for m in LATER if m in sys.modules)
    report["library_loaded"] = not callable(w.controller._library)
    report["banner_at_first_paint"] = page.session_banner.text()
    report["patients_at_first_paint"] = w._patients is not None
    report["atlas_decoded_at_first_paint"] = w.controller.atlas.decoded
    report["referral_at_first_paint"] = page.referral.summary.text()
    item = next(iter(page.canvas.scenes["anterior"].areas.values()))
    report["area_at_first_paint"] = [[p.x(), p.y()] for p in item.path().toFillPolygon()]
    if sys.argv[3] == "click":  # before the check: the rule runs now, loading what it needs
        asked = []
        w.controller.ack_provider = lambda needs: asked.append([n.level for n in needs]) or None
        page.canvas.views["posterior"].placeRequested.emit("posterior", 45.0, 280.0)
        report["asked"] = asked
        report["after_click"] = sorted(m for m in LATER if m in sys.modules)
    QTimer.singleShot(0, wait_for_check)

def wait_for_check():
    w = window()
    page = w.session_page
    warm = "dn_bodymap.gui.session.ack_dialog" in sys.modules and w._patients is not None
    if not page.after_paint.done or not warm:
        QTimer.singleShot(20, wait_for_check)
        return
    from dn_bodymap.charting.editing import HazardRule
    review = HazardRule(w.repo, sys.argv[2]).live_review()  # eager, from the store
    report["eager"] = "<br>".join(f"{x.message} [{', '.join(x.sources)}]" for x in review.warnings)
    report["banner_after"] = page.session_banner.text()
    report["banner_visible"] = page.session_banner.isVisibleTo(page)
    report["after"] = sorted(m for m in LATER if m in sys.modules)
    report["library_after"] = w.controller.library is not None
    report["patient_rows_after"] = w.patients.patients.count()  # built by the warm-up
    report["atlas_decoded_after"] = w.controller.atlas.decoded
    report["referral_after"] = page.referral.summary.text()
    from dn_bodymap.charting.editing.sketch import from_record
    from dn_bodymap.render.paths import polygon_path
    area = w.controller.pain_areas()[0]
    drawn = polygon_path(from_record(area.geometry)).toFillPolygon()
    report["area_by_shapely"] = [[p.x(), p.y()] for p in drawn]
    w.show_patients()
    report["list_shown"] = w.stack.currentWidget() is w.patients
    print(json.dumps(report))
    app.quit()

QTimer.singleShot(0, first_turn)
QTimer.singleShot(120_000, app.quit)  # a failure ends the child (no report) instead of hanging it
import dn_bodymap.gui.app as gui_app
gui_app.install_excepthook = lambda app: None  # an error is a traceback on stderr, not a modal box
gui_app.run_app(db=sys.argv[1])
"""


def _start(tmp_path: Path, click: bool = False) -> dict:
    return start_app(tmp_path, BUILD, CHILD, session=True, extra="click" if click else "")


def test_the_session_paints_before_the_assessment_and_checks_its_rules_right_after(tmp_path: Path) -> None:
    from dn_bodymap.gui.session.page import CHECKING_TEXT

    report = _start(tmp_path)
    assert report["on_session"]
    assert report["at_first_paint"] == [] and not report["library_loaded"]  # nor shapely, nor numpy
    assert not report["atlas_decoded_at_first_paint"] and report["atlas_decoded_after"]
    assert report["referral_at_first_paint"] == "Describing the pain drawing…"
    assert "temple" in report["referral_after"]  # described just after the paint
    # The pain area as drawn at the first paint (from its stored rings) covers what shapely's does.
    assert sorted(map(tuple, report["area_at_first_paint"])) == sorted(map(tuple, report["area_by_shapely"]))
    assert report["banner_at_first_paint"] == CHECKING_TEXT  # never "no warnings" before the check
    assert not report["patients_at_first_paint"]  # the list is built after the paint, by the warm-up
    assert report["patient_rows_after"] == 1 and report["list_shown"]
    assert "both the left and the right" in report["eager"]
    assert report["banner_after"] == report["eager"] and report["banner_visible"]
    assert set(report["after"]) >= {"dn_bodymap.safety.assess", "dn_bodymap.gui.session.ack_dialog"}
    assert report["library_after"]


def test_a_click_before_the_check_loads_the_rule_and_asks(tmp_path: Path) -> None:
    report = _start(tmp_path, click=True)
    assert report["at_first_paint"] == []
    assert report["asked"] and report["asked"][0][0] in ("high", "very_high")
    assert "dn_bodymap.safety.assess" in report["after_click"]
    assert report["banner_after"] == report["eager"]


# -- the first paint keys the figure's cached paths by the atlas read, not by its shapes -------------


def _elements(path) -> tuple | None:
    if path is None:
        return None
    points = tuple((e.type, e.x, e.y) for e in (path.elementAt(i) for i in range(path.elementCount())))
    return path.fillRule(), points


def _all_paths(view) -> list:
    paths = [view.silhouette, view.details, *(p for _, p in view.regions)]
    for m in view.muscles:
        paths += [m.outline, m.fibres, m.tendons]
    return [_elements(p) for p in paths]


@pytest.fixture
def atlas_cache(tmp_path: Path, monkeypatch) -> Path:
    """A cache folder holding only the atlas file as the app wrote it (copied, not built again)."""
    from dn_bodymap.atlas import loader

    loader.default_atlas()  # the user cache's file exists (built there once at most)
    source = loader.cache_file(loader.assets_fingerprint())
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copyfile(source, folder / source.name)
    monkeypatch.setenv("DN_BODYMAP_CACHE", str(folder))
    return folder


def test_an_atlas_read_from_the_cache_has_an_identity_of_its_bytes(atlas_cache: Path) -> None:
    from dn_bodymap.atlas import loader

    read = loader.load_atlas()
    identity = loader.atlas_identity(read)
    assert identity is not None and loader.atlas_identity(loader.load_atlas()) == identity
    (file,) = atlas_cache.glob("atlas-*.pickle")
    other = loader.load_atlas()
    loader.write_cached(file, other, split_shapes=True)  # the same shapes again: same bytes, same identity
    assert loader.atlas_identity(loader.load_atlas()) == identity
    other.version = "rewritten"  # other bytes under the same file name: another identity
    loader.write_cached(file, other, split_shapes=True)
    changed = loader.load_atlas()
    assert changed.version == "rewritten" and loader.atlas_identity(changed) not in (None, identity)


def test_an_atlas_not_read_from_the_cache_is_keyed_by_its_shapes(atlas_cache: Path, monkeypatch) -> None:
    import dataclasses

    from dn_bodymap.atlas import loader
    from dn_bodymap.render import prepared

    atlas = loader.load_atlas()
    copy = dataclasses.replace(atlas, views=dict(atlas.views))  # same shapes, another object
    assert loader.atlas_identity(copy) is None
    calls = []
    monkeypatch.setattr(prepared, "paths_fingerprint", lambda view: calls.append(view.name) or "x" * 24)
    assert prepared._paths_key(copy, copy.view("anterior")) == "x" * 24 and calls == ["anterior"]


def test_paths_keyed_by_the_atlas_identity_are_exactly_the_built_ones(
    atlas_cache: Path, monkeypatch, qapp
) -> None:
    from dn_bodymap.atlas import loader
    from dn_bodymap.render import prepared
    from dn_bodymap.render.export import render_image
    from dn_bodymap.render.view_painter import RenderOptions

    atlas = loader.load_atlas()
    assert loader.atlas_identity(atlas) is not None
    build, fingerprint = prepared._build_paths, prepared.paths_fingerprint
    for name in ("anterior", "posterior"):
        monkeypatch.setattr(prepared, "_cache", {})
        monkeypatch.setattr(prepared, "_build_paths", build)
        first = prepared.prepared_view(atlas, name)  # built and written under the identity key
        monkeypatch.setattr(prepared, "_cache", {})
        monkeypatch.setattr(prepared, "paths_fingerprint", _not_hashed)  # read: no shape encoded
        monkeypatch.setattr(prepared, "_build_paths", _not_hashed)
        read = prepared.prepared_view(atlas, name)
        monkeypatch.setattr(prepared, "paths_fingerprint", fingerprint)
        assert read is not first
        assert _all_paths(read) == _all_paths(first) == _all_paths(build(atlas.view(name)))
    monkeypatch.setattr(prepared, "_build_paths", build)
    options = RenderOptions(frozenset({"silhouette", "regions", "superficial", "deep", "details"}))
    monkeypatch.setattr(prepared, "_cache", {})
    monkeypatch.setattr(prepared, "_tones", {})
    by_identity = render_image(atlas, "anterior", options, 400)
    monkeypatch.setattr(prepared, "_cache", {})
    monkeypatch.setattr(prepared, "_tones", {})
    monkeypatch.setattr(loader, "atlas_identity", lambda atlas: None)  # the same atlas keyed by its shapes
    assert render_image(atlas, "anterior", options, 400) == by_identity


def _not_hashed(*_: object) -> None:
    raise AssertionError("the shapes were encoded or built again instead of keyed by the atlas read")


# -- the atlas's file stores its shapes apart, decoded in one call -------------------------------------

_coords = st.tuples(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@st.composite
def _shapes(draw):
    from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

    kind = draw(st.sampled_from(["point", "line", "polygon", "boxes", "empty"]))
    if kind == "point":
        return Point(draw(_coords))
    if kind == "line":
        return LineString(draw(st.lists(_coords, min_size=2, max_size=12)))
    if kind == "polygon":
        return Polygon(draw(st.lists(_coords, min_size=3, max_size=12)))
    if kind == "boxes":
        corners = draw(st.lists(_coords, min_size=1, max_size=4))
        return MultiPolygon([box(x, y, x + 1.5, y + 2.5) for x, y in corners])
    return Polygon()


@given(shapes=st.lists(_shapes(), min_size=0, max_size=8), shared=st.integers(0, 7))
@settings(max_examples=60)
def test_shapes_stored_apart_read_back_exactly_as_pickled_whole(tmp_path_factory, shapes, shared) -> None:
    """Same types, same WKB bytes (so the same coordinates) and the same sharing as a whole pickle."""
    import shapely

    from dn_bodymap.atlas import loader

    value = {"shapes": shapes, "pairs": [(s, i) for i, s in enumerate(shapes)], "label": "x"}
    if shapes:  # one object referenced from two places stays one object
        value["again"] = shapes[shared % len(shapes)]
    folder = tmp_path_factory.mktemp("split")
    loader.write_cached(folder / "split.pickle", value, split_shapes=True)
    loader.write_cached(folder / "whole.pickle", value)
    split = loader.read_cached(folder / "split.pickle", dict)
    whole = loader.read_cached(folder / "whole.pickle", dict)
    assert split is not None and whole is not None

    def wkb(geoms) -> list:
        return shapely.to_wkb(list(geoms), include_srid=True).tolist() if geoms else []

    assert [type(g) for g in split["shapes"]] == [type(g) for g in whole["shapes"]]
    assert wkb(split["shapes"]) == wkb(whole["shapes"]) == wkb(shapes)
    assert all(a is b for a, (b, _) in zip(split["shapes"], split["pairs"], strict=True))
    if shapes:
        assert split["again"] is split["shapes"][shared % len(shapes)]
    assert split["label"] == "x"


def test_the_atlas_file_holds_its_shapes_apart_and_reads_as_the_whole_pickle(atlas_cache: Path) -> None:
    import pickle

    import shapely

    from dn_bodymap.atlas import loader

    (file,) = atlas_cache.glob("atlas-*.pickle")
    assert file.read_bytes().startswith(loader.ATLAS_TAG)
    atlas = loader.load_atlas()
    whole = pickle.loads(pickle.dumps(atlas))

    def shapes(a) -> list:
        out = []
        for view in a.views.values():
            out += [view.silhouette, *view.details, *(r.geometry for r in view.regions)]
            for s in view.muscle_shapes:
                out += [s.geometry, *(g for g, _ in s.fibre_parts), *s.tendon_parts]
        return out

    assert len(shapes(atlas)) > 1000
    assert shapely.to_wkb(shapes(atlas)).tolist() == shapely.to_wkb(shapes(whole)).tolist()
    assert atlas.muscles == whole.muscles and atlas.view_meta == whole.view_meta
