"""The session report PDF, read back with pypdf: what a referrer or an auditor will see."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from report_sessions import (
    ACK_DISCLOSED,
    ACK_TECHNIQUE,
    LONG_NOTE,
    build_session,
    export,
    pdf_text,
    poppler_text,
)

from dn_bodymap.atlas.loader import default_atlas
from dn_bodymap.report.content import calendar_date, local_time, numbered_marks
from dn_bodymap.store import open_read_only


def test_header_names_the_patient_session_and_clinic(signed_pdf):
    db, out, sid = signed_pdf
    with open_read_only(db) as repo:
        when = local_time(repo.get_session(sid).started_at)
    first = pdf_text(out)[0]
    for text in (
        "Dry-needling session report",
        "Demo Patient Alex Rivera",
        "12 Mar 1984",
        "DEMO-0042",
        "Demo Clinician Robin Hale",
        "Riverside Physiotherapy",
        when,
    ):
        assert text in first, text


def test_every_mark_is_listed_with_its_number_and_muscle(signed_pdf):
    db, out, sid = signed_pdf
    text = " ".join(pdf_text(out))
    with open_read_only(db) as repo:
        marks = numbered_marks(repo.load_session(sid), default_atlas())
    assert len(marks) == 8
    for rm in marks:
        assert f"{rm.number} {rm.muscle}" in text, rm.muscle


def test_the_acknowledgement_given_is_printed(signed_pdf):
    _, out, _ = signed_pdf
    text = " ".join(pdf_text(out))
    assert ACK_TECHNIQUE in text
    assert ACK_DISCLOSED in text
    assert "Acknowledged by Demo Clinician Robin Hale" in text


def test_signature_addendum_adverse_event_and_consent_are_printed(signed_pdf):
    db, out, sid = signed_pdf
    with open_read_only(db) as repo:
        consent_day = calendar_date(repo.get_session(sid).consent.date)
    text = " ".join(pdf_text(out))
    assert "Signed by Demo Clinician Robin Hale" in text
    assert "soreness already settling" in text  # the addendum
    assert "Bruising (mild)" in text
    assert f"written consent on {consent_day}" in text
    assert "before 6/10 → after 3/10" in text
    assert "Tight band palpable along the upper border" in text  # a note on the map
    assert "DRAFT" not in text


def test_every_page_has_page_n_of_m_and_the_metadata_is_set(signed_pdf):
    _, out, _ = signed_pdf
    pages = pdf_text(out)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "dn-bodymap" in page and "Generated" in page
    meta = PdfReader(str(out)).metadata
    assert "Demo Patient Alex Rivera" in meta.title
    assert meta.author == "Demo Clinician Robin Hale"
    assert "DEMO-0042" in meta.subject


def test_an_unsigned_session_is_marked_draft_on_every_page(draft_pdf):
    _, out, _ = draft_pdf
    pages = pdf_text(out)
    assert all("DRAFT" in page for page in pages)
    assert "Not signed." in " ".join(pages)


def test_body_maps_are_vector_paths_not_images(signed_pdf):
    _, out, _ = signed_pdf
    page = PdfReader(str(out)).pages[0]
    xobjects = page["/Resources"].get("/XObject", {})
    images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert images == []
    ops = page.get_contents().get_data()
    segments = len(re.findall(rb" [cl]\n", ops))
    assert segments > 5000  # the figures' outlines are drawn as path segments, not pictures


def test_the_export_is_audited(signed_pdf):
    db, _, sid = signed_pdf
    with open_read_only(db) as repo:
        actions = [(str(e.action), e.entity_id) for e in repo.list_audit(sid)]
    assert ("export", sid) in actions


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_no_error(signed_pdf, draft_pdf):
    for _, out, _ in (signed_pdf, draft_pdf):
        done = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_sixty_marks_and_long_notes_flow_over_pages_without_loss(tmp_path):
    db = tmp_path / "records.db"
    notes = "\n\n".join(f"Paragraph {i}. " + LONG_NOTE * 3 for i in range(8))
    _, sid = build_session(db, marks=60, notes=notes, mark_note="Band reproduces the familiar ache. " * 3)
    out = export(db, sid, tmp_path / "long.pdf")
    pages = pdf_text(out)
    assert len(pages) >= 5
    text = " ".join(pages)
    with open_read_only(db) as repo:
        marks = numbered_marks(repo.load_session(sid), default_atlas())
    for rm in marks:
        # A row is never cut: its number, muscle and needle cell sit on one page.
        holders = [p for p in pages if f"{rm.number} {rm.muscle}" in p]
        assert len(holders) == 1, rm.number
    for i in range(8):  # every paragraph of the notes printed exactly once
        assert text.count(f"Paragraph {i}.") == 1
    assert text.count("Symptoms began after a long drive") == 24
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page


SCRIPTS = {
    "accented Latin": "Zoë Griffin-Ångström Núñez",
    "Greek": "Αλέξανδρος Παπαδόπουλος",
    "Cyrillic": "Анна Сергеевна Иванова",
    "Hebrew": "דוד כהן",
    "Arabic": "محمد العلي",
    "CJK": "山田 太郎",
}


@pytest.fixture(scope="module")
def scripts_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    db = folder / "records.db"
    _, sid = build_session(
        db, marks=2, name="Zoë Griffin-Ångström 山田 太郎", notes="\n\n".join(SCRIPTS.values())
    )
    return export(db, sid, folder / "scripts.pdf")


@pytest.mark.parametrize("script", ["accented Latin", "Greek", "Cyrillic", "CJK"])
def test_left_to_right_scripts_survive_text_extraction(scripts_pdf, script):
    """pypdf reads left-to-right text as typed (CJK too: the text map is folded, never radicals)."""
    assert SCRIPTS[script] in " ".join(pdf_text(scripts_pdf))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_every_script_survives_a_bidi_aware_extraction(scripts_pdf, script):
    """Right-to-left text is stored in visual order, as in any PDF; a reader reorders it. No
    Unicode folding on the reading side: the file itself maps glyphs to the characters typed."""
    assert SCRIPTS[script] in poppler_text(scripts_pdf)


def test_fonts_are_embedded(scripts_pdf):
    reader = PdfReader(str(scripts_pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            names.add(str(font["/BaseFont"]))
    assert any("Hebrew" in n for n in names) and any("Arabic" in n for n in names)
    assert any("CJK" in n for n in names)


def test_text_maps_are_folded_to_the_characters_typed():
    from dn_bodymap.report.document import _fixed_to_unicode

    cmap = (
        b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0003> [<2F2D> <FEE3> <0041> ]\nendbfrange\n"
        b"1 beginbfchar\n<0009> <2F65>\nendbfchar"
    )
    fixed = _fixed_to_unicode(cmap)
    assert b"[<5C71> <0645> <0041> ]" in fixed  # 山, Arabic meem, A unchanged
    assert b"<0009> <7530>" in fixed  # 田
    assert b"<0000> <0000> <0000>" in fixed


def test_crowded_marks_get_an_enlarged_detail_and_sparse_ones_do_not(tmp_path):
    from make_docs_pages import SITES

    db = tmp_path / "records.db"
    _, crowded = build_session(db, sites=SITES, name="Demo Patient Crowded")
    _, sparse = build_session(db, sites=[("trapezius.1", "right"), ("gluteus_medius.1", "left")])
    first = pdf_text(export(db, crowded, tmp_path / "crowded.pdf"))[0]
    assert "Posterior, enlarged" in first
    assert "enlarged" not in " ".join(pdf_text(export(db, sparse, tmp_path / "sparse.pdf")))


def test_crowded_region_needs_two_touching_marks():
    from dn_bodymap.report.maps import crowded_region

    scale = 2.8  # layout units (decipoints) per atlas unit, as on an A4 overview
    assert crowded_region([(0, 100), (200, 400)], scale) is None
    region = crowded_region([(0, 100), (5, 104), (200, 400)], scale)
    assert region is not None and region.contains(0, 100) and region.contains(5, 104)
    assert not region.contains(200, 400)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pages_of_notes_on_one_mark_flow_below_its_row(tmp_path):
    db = tmp_path / "records.db"
    note = " ".join(f"n{i}" for i in range(2500))  # several pages of a single mark's note
    _, sid = build_session(db, marks=2, mark_note=note, extras=False)
    # poppler reads only what is on the sheet: text run off the foot of a page would be missed.
    words = poppler_text(export(db, sid, tmp_path / "long-note.pdf")).split()
    for i in (0, 1000, 2499):
        assert words.count(f"n{i}") == 2  # once under each of the two rows, nothing cut away


def test_handout_and_consent_pages_name_their_part_in_the_page_header(tmp_path):
    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=2, extras=False)
    pages = pdf_text(export(db, sid, tmp_path / "all.pdf", handout=True, consent=True))
    assert pages[0].count("Dry-needling session report") >= 1
    handout = next(p for p in pages if "What was done today" in p)
    consent = next(p for p in pages if "Your rights" in p)
    assert handout.count("After your dry-needling treatment") == 2  # running header and title
    assert consent.count("Consent to dry needling") == 2


def test_an_export_that_cannot_be_audited_leaves_no_file(tmp_path):
    from dn_bodymap.report import export_session_pdf
    from dn_bodymap.store import open_store

    db = tmp_path / "records.db"
    _, sid = build_session(db, marks=1, extras=False)

    class Unaudited:
        def __init__(self, repo):
            self.repo = repo

        def __getattr__(self, name):
            return getattr(self.repo, name)

        def record_export(self, kind, record_id):
            raise OSError("disk full")

    out = tmp_path / "report.pdf"
    with open_store(db, actor="tests") as repo, pytest.raises(OSError, match="disk full"):
        export_session_pdf(Unaudited(repo), default_atlas(), sid, out)
    assert not out.exists()
    assert list(tmp_path.glob("*.pdf*")) == [] and list(tmp_path.glob(".*partial")) == []


def test_each_mark_is_drawn_on_its_own_view_on_the_patients_side(tmp_path, monkeypatch):
    """Anteriorly the patient's right is on the viewer's left; posteriorly on the viewer's right."""
    from PySide6.QtGui import QImage, QPainter

    from dn_bodymap.report import maps

    db = tmp_path / "records.db"
    sites = [("trapezius.1", "left"), ("trapezius.1", "right"), ("pectoralis_major.1", "right")]
    _, sid = build_session(db, sites=sites, extras=False)
    with open_read_only(db) as repo:
        record = repo.load_session(sid)
    atlas = default_atlas()
    marks = numbered_marks(record, atlas)
    block = maps.BodyMapsBlock(atlas, ["anterior", "posterior"], marks, (), (), 5000)
    figures: list[tuple[str, float, float]] = []  # view, left, right of each figure on the page
    drawn: list[tuple[str, float]] = []  # number, x of each mark disc

    real_paint_view = maps.paint_view

    def spy_view(painter, atlas_, view, target, options):
        figures.append((view, target.left(), target.right()))
        return real_paint_view(painter, atlas_, view, target, options)

    def spy_mark(painter, p, text, active, level, radius=maps.MARK_RADIUS):
        if radius == maps.MARK_RADIUS:  # not the legend's sample
            drawn.append((text, p.x()))

    monkeypatch.setattr(maps, "paint_view", spy_view)
    monkeypatch.setattr(maps, "paint_mark", spy_mark)
    image = QImage(600, 400, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.scale(0.1, 0.1)
    block.paint(painter, 0, 0, 0, block.height())
    painter.end()

    assert len(drawn) == len(marks) == 3
    for rm in marks:
        x = next(x for text, x in drawn if text == str(rm.number))
        view, left, right = next(f for f in figures if f[1] <= x <= f[2])
        assert view == str(rm.mark.view)
        viewer_left = x < (left + right) / 2
        assert viewer_left == ((view == "anterior") == (str(rm.mark.side) == "right"))
