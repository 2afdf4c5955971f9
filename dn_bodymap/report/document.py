"""A paged report document and the one painting path for PDF, printer and preview.

``paint_document`` paints onto any paged device (QPdfWriter here, QPrinter from the GUI): a running
header with the clinic and the patient on every page, the footer ('Page n of m', generated time,
app version) and, for an unsigned session, a DRAFT watermark on every page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPagedPaintDevice, QPageSize, QPainter, QPdfWriter, QPen

from dn_bodymap.report.blocks import ACCENT, MUTED, RULE
from dn_bodymap.report.content import ReportContext
from dn_bodymap.report.flow import A4, UNITS_PER_PT, Block, Page, PageGeometry, paginate, paint_pages
from dn_bodymap.report.fonts import report_font

PT = UNITS_PER_PT
LAYOUT_DPI = 72 * UNITS_PER_PT  # one layout unit is a decipoint
WATERMARK = QColor(198, 40, 40, 34)


@dataclass(slots=True)
class ReportDocument:
    blocks: list[Block]
    title: str
    author: str
    subject: str
    running_title: str
    patient_line: str
    context: ReportContext
    #: Across every page ("DRAFT" for an unsigned session), or nothing.
    watermark: str = ""
    page: PageGeometry = A4
    _pages: list[Page] | None = field(default=None, repr=False)

    def pages(self) -> list[Page]:
        if self._pages is None:
            self._pages = paginate(self.blocks, self.page)
        return self._pages

    @property
    def page_count(self) -> int:
        return len(self.pages())


def _generated(context: ReportContext) -> str:
    when = context.generated_at or datetime.now().astimezone()
    return f"{when.day} {when:%b %Y, %H:%M} {when:%Z}".rstrip()


def _decorate(doc: ReportDocument):
    """Running header and footer, then the watermark over everything (table rows are shaded)."""
    page = doc.page
    content = page.content
    generated = _generated(doc.context)
    version = doc.context.app_version

    watermark = _watermark(doc) if doc.watermark else None
    logo = _logo(doc.context.logo)
    middle = "Confidential patient record"
    fingerprint = (
        f"Record fingerprint {doc.context.fingerprint}: the clinic's audit log ended here when this "
        "report was made"
        if doc.context.fingerprint
        else ""
    )

    def paint(painter: QPainter, n: int, total: int) -> None:
        if watermark is not None:
            watermark(painter, n, total)
        top = content.top() - 30 * PT
        painter.setPen(QPen(ACCENT))
        painter.setFont(report_font(9.5, bold=True))
        left = QRectF(content.left(), top, content.width() * 0.55, 14 * PT)
        if logo is not None:  # a small mark before the clinic's name, aspect kept, at most 3:1
            height = 22 * PT
            width = min(height * logo.width() / max(1, logo.height()), 3 * height)
            painter.drawImage(QRectF(content.left(), top - 6 * PT, width, height), logo)
            left.adjust(width + 6 * PT, 0, 0, 0)
        painter.drawText(
            left, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, doc.context.clinic or ""
        )
        painter.setFont(report_font(7.6))
        painter.setPen(QPen(MUTED))
        right = QRectF(content.left() + content.width() * 0.3, top, content.width() * 0.7, 14 * PT)
        painter.drawText(
            right,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            doc.pages()[n - 1].title or doc.running_title,
        )
        line2 = QRectF(content.left(), top + 13 * PT, content.width(), 12 * PT)
        painter.drawText(line2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, doc.patient_line)
        pen = QPen(RULE)
        pen.setWidthF(0.8 * PT)
        painter.setPen(pen)
        y_rule = content.top() - 4 * PT
        painter.drawLine(QPointF(content.left(), y_rule), QPointF(content.right(), y_rule))
        y_foot = content.bottom() + 16 * PT
        painter.drawLine(QPointF(content.left(), y_foot), QPointF(content.right(), y_foot))
        painter.setPen(QPen(MUTED))
        painter.setFont(report_font(7.2))
        foot = QRectF(content.left(), y_foot + 3 * PT, content.width(), 12 * PT)
        made = f"Generated {generated}" + (f" · dn-bodymap {version}" if version else "")
        painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, made)
        painter.drawText(foot, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, middle)
        if fingerprint:
            below = QRectF(foot.left(), foot.bottom() + 1 * PT, foot.width(), foot.height())
            painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, fingerprint)
        painter.setFont(report_font(7.6, bold=True))
        painter.drawText(
            foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"Page {n} of {total}"
        )

    return paint


def _logo(data: bytes | None) -> QImage | None:
    """The stored logo as an image; one that will not decode is left out, never an error."""
    if not data:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


def _watermark(doc: ReportDocument):
    page = doc.page

    def paint(painter: QPainter, n: int, total: int) -> None:
        painter.save()
        painter.translate(page.width / 2, page.height / 2)
        painter.rotate(-35)
        painter.setFont(report_font(120, bold=True))
        painter.setPen(QPen(WATERMARK))
        painter.drawText(
            QRectF(-page.width, -90 * PT, 2 * page.width, 180 * PT), Qt.AlignmentFlag.AlignCenter, "DRAFT"
        )
        painter.restore()

    return paint


def paint_document(
    doc: ReportDocument, painter: QPainter, device: QPagedPaintDevice, paper: QRectF | None = None
) -> int:
    """Paint every page onto ``device`` (already opened by ``painter``); returns the page count.

    ``paper`` (device units) is the sheet when it is not the document's size, e.g. US Letter in a
    printer: the page is then scaled down to fit it whole and centred, never cut off."""
    scale = device.logicalDpiX() / LAYOUT_DPI
    offset = None
    if paper is not None:
        scale = min(scale, paper.width() / doc.page.width, paper.height() / doc.page.height)
        offset = QPointF(
            paper.x() + (paper.width() - doc.page.width * scale) / 2,
            paper.y() + (paper.height() - doc.page.height * scale) / 2,
        )
    pages = doc.pages()
    paint_pages(
        painter,
        pages,
        doc.page,
        scale=scale,
        new_page=device.newPage,
        decorate=_decorate(doc),
        offset=offset,
    )
    return len(pages)


def write_pdf(doc: ReportDocument, out: Path) -> int:
    """Write the PDF (to a temporary name, then renamed: never a half-written file); page count."""
    from dn_bodymap.render.export import ensure_gui_app

    ensure_gui_app()
    out = Path(out)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        count = _write(doc, tmp)
        finish_pdf(tmp, doc.subject)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _write(doc: ReportDocument, path: Path) -> int:
    writer = QPdfWriter(str(path))
    writer.setResolution(round(LAYOUT_DPI))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle(doc.title)
    writer.setAuthor(doc.author)
    writer.setCreator(f"dn-bodymap {doc.context.app_version}".strip())
    painter = QPainter(writer)
    try:
        return paint_document(doc, painter, writer)
    finally:
        painter.end()


def page_images(doc: ReportDocument, dpi: float = 100) -> list[QImage]:
    """Each page as an image (the GUI preview); drawn by the same painting path as the PDF."""
    from dn_bodymap.render.export import ensure_gui_app

    ensure_gui_app()
    scale = dpi / LAYOUT_DPI
    size = (round(doc.page.width * scale), round(doc.page.height * scale))
    images: list[QImage] = []
    for index in range(doc.page_count):
        image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        single = [doc.pages()[index]]
        paint_pages(
            painter,
            single,
            doc.page,
            scale=scale,
            new_page=lambda: None,
            decorate=_offset(_decorate(doc), index, doc.page_count),
        )
        painter.end()
        images.append(image)
    return images


def _offset(fn, index: int, total: int):
    return lambda painter, _n, _t: fn(painter, index + 1, total)


def _pdf_text(value: str) -> bytes:
    """A PDF text string in UTF-16BE with a byte-order mark (any script)."""
    return b"<" + ("\ufeff" + value).encode("utf-16-be").hex().upper().encode() + b">"


#: Code points a font shares with its base character: Kangxi and CJK radicals, CJK compatibility
#: ideographs, Latin/Hebrew/Arabic presentation forms. Qt's text map picks the lowest code point of
#: a glyph, so 山 would read back as the radical ⼭ and Arabic as isolated presentation forms.
_FOLDED = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFB00, 0xFDFF), (0xFE70, 0xFEFF))


def _fold_hex(match: re.Match[bytes]) -> bytes:
    import unicodedata

    raw = bytes.fromhex(match.group(1).decode())
    text = raw.decode("utf-16-be", errors="surrogatepass")
    if not any(lo <= ord(ch) <= hi for ch in text for lo, hi in _FOLDED):
        return match.group(0)
    folded = unicodedata.normalize("NFKC", text)
    return b"<" + folded.encode("utf-16-be").hex().upper().encode() + b">"


def _fixed_to_unicode(cmap: bytes) -> bytes:
    """Fold the destinations of a ToUnicode CMap (array entries and single-code ranges/chars)."""
    out = []
    for line in cmap.split(b"\n"):
        parts = re.match(rb"^(<[0-9A-Fa-f]+>\s+<[0-9A-Fa-f]+>\s*)(\[.*\])\s*$", line)
        if parts:
            line = parts.group(1) + re.sub(rb"<([0-9A-Fa-f]+)>", _fold_hex, parts.group(2))
        else:
            single = re.match(rb"^<([0-9A-Fa-f]+)>\s+(?:<\1>\s+)?<([0-9A-Fa-f]+)>\s*$", line)
            if single:
                head, dst = line[: single.start(2) - 1], line[single.start(2) - 1 :]
                line = head + re.sub(rb"<([0-9A-Fa-f]+)>", _fold_hex, dst)
        out.append(line)
    return b"\n".join(out)


def finish_pdf(path: Path, subject: str) -> None:
    """Add /Subject to the document information (QPdfWriter has no setter for it) and fold the
    fonts' text maps so names in any script are found and copied as typed.

    Appended as one incremental update that replaces those objects under their own numbers,
    which every PDF reader honours and ``qpdf --check`` accepts.
    """
    data = path.read_bytes()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    trailer = data[data.rfind(b"trailer") :]
    info = re.search(rb"/Info\s+(\d+)\s+0\s+R", trailer)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer)
    size = re.search(rb"/Size\s+(\d+)", trailer)
    if not (info and root and size):
        return
    replaced: dict[int, bytes] = {}
    num = int(info.group(1))
    body = re.search(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % num, data, re.S)
    if body is not None:
        replaced[num] = body.group(1)[:-2] + b"\n/Subject " + _pdf_text(subject) + b"\n>>"
    for ref in sorted({int(n) for n in re.findall(rb"/ToUnicode\s+(\d+)\s+0\s+R", data)}):
        obj = re.search(rb"\n%d 0 obj\s*<<\s*/Length\s+(\d+)\s*>>\s*stream\r?\n" % ref, data)
        if obj is None:  # not the plain stream Qt writes: leave it as it is
            continue
        stream = data[obj.end() : obj.end() + int(obj.group(1))]
        fixed = _fixed_to_unicode(stream)
        if fixed != stream:
            replaced[ref] = b"<< /Length %d >>\nstream\n" % len(fixed) + fixed + b"\nendstream"
    if not data.endswith(b"\n"):
        data += b"\n"
    chunks: list[bytes] = []
    offsets: dict[int, int] = {}
    at = len(data)
    for number, content in sorted(replaced.items()):
        obj_bytes = b"%d 0 obj\n" % number + content + b"\nendobj\n"
        offsets[number] = at
        chunks.append(obj_bytes)
        at += len(obj_bytes)
    xref = b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, o) for n, o in sorted(offsets.items()))
    tail = (
        b"trailer\n<< /Size "
        + size.group(1)
        + b" /Root "
        + root.group(1)
        + b" /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (num, start, at)
    )
    path.write_bytes(data + b"".join(chunks) + xref + tail)
