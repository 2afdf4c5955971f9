"""The building blocks of a report page: text, headings, rules, key/value grids and table rows.

Text is laid out by QTextDocument (wrapping, bidirectional text, font fallback per script) and drawn
as vector text; a paragraph may split between lines, a table row never does.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPen,
    QTextDocument,
)

from dn_bodymap.report.flow import UNITS_PER_PT, Block
from dn_bodymap.report.fonts import report_font

INK = QColor("#1f2933")
MUTED = QColor("#5f6b76")
ACCENT = QColor("#1d4f73")
RULE = QColor("#c5ced6")
SHADE = QColor("#f1f4f7")
HEADER_FILL = QColor("#e3eaf1")

PT = UNITS_PER_PT
STYLE = (
    "p { margin: 0; } "
    f"ul {{ margin-top: 0; margin-bottom: 0; margin-left: {round(12 * PT)}px; "
    "-qt-list-indent: 0; } "
    f"li {{ margin-bottom: {round(1.5 * PT)}px; }} "
    f".muted {{ color: {MUTED.name()}; }} "
    f".label {{ color: {MUTED.name()}; }} "
    f".warn {{ color: #b3261e; font-weight: 600; }}"
)


def esc(text: object) -> str:
    """Plain text → HTML, keeping line breaks (names and notes are never interpreted as markup)."""
    return html.escape(str(text)).replace("\n", "<br>")


def paragraphs(text: str) -> str:
    """Prose typed by a clinician → one HTML paragraph per paragraph, spaced like a letter."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    gap = round(3 * PT)
    return "".join(f'<p style="margin-bottom:{gap}px">{esc(p)}</p>' for p in parts)


def text_document(html_text: str, width: float, size_pt: float = 9.0) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(report_font(size_pt))
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(f'<div style="color:{INK.name()}">{html_text}</div>')
    doc.setTextWidth(width)
    return doc


def draw_document(
    painter: QPainter, doc: QTextDocument, x: float, y: float, clip: QRectF | None = None
) -> None:
    """Draw ``doc`` with its top-left at (x, y); only lines inside ``clip`` (document coordinates)."""
    painter.save()
    painter.translate(x, y)
    ctx = QAbstractTextDocumentLayout.PaintContext()
    if clip is not None:
        ctx.clip = clip
    doc.documentLayout().draw(painter, ctx)
    painter.restore()


@dataclass(frozen=True, slots=True)
class LineSpan:
    top: float
    bottom: float
    first_in_paragraph: bool
    last_in_paragraph: bool


def line_spans(doc: QTextDocument) -> list[LineSpan]:
    """Every laid-out line, in document coordinates, top to bottom."""
    layout = doc.documentLayout()
    out: list[LineSpan] = []
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        text_layout = block.layout()
        count = text_layout.lineCount()
        for k in range(count):
            line = text_layout.lineAt(k)
            top = rect.top() + line.y()
            out.append(LineSpan(top, top + line.height(), k == 0, k == count - 1))
        block = block.next()
    return sorted(out, key=lambda span: span.top)


class TextBlock(Block):
    """Rich text of a fixed width; splits between lines when it reaches the foot of a page."""

    def __init__(
        self,
        html_text: str,
        width: float,
        size_pt: float = 9.0,
        *,
        space_before: float = 0.0,
        breakable: bool = True,
        keep_with_next: bool = False,
    ) -> None:
        self.doc = text_document(html_text, width, size_pt)
        self.width = width
        self.space_before = space_before
        self.breakable = breakable
        self.keep_with_next = keep_with_next
        self._height = self.doc.size().height()
        self._lines = line_spans(self.doc)
        self._breaks = self._split_points() if breakable else []

    def _split_points(self) -> list[float]:
        """Line bottoms where a page may end: two lines at least on either side (no widows or
        orphans), and the next line either opens a paragraph or has a paragraph line after it
        (what ``paint`` needs to clip a slice exactly)."""
        lines = self._lines
        out = []
        for i in range(1, len(lines) - 2):
            nxt = lines[i + 1]
            if nxt.first_in_paragraph or not nxt.last_in_paragraph:
                out.append(lines[i].bottom)
        return [b for b in out if 0 < b < self._height - 0.5]

    def height(self) -> float:
        return self._height

    def breaks(self) -> Sequence[float]:
        return self._breaks

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        # Qt draws the lines that meet the clip plus the line above them in the same paragraph, so
        # a slice that starts inside a paragraph is clipped from the bottom of its first line;
        # no line is then drawn, unseen, on both sides of a cut.
        inset = 1.5 * PT
        clip_top = top + inset
        if top > 0:
            first = next((span for span in self._lines if span.top >= top - 0.5), None)
            if first is not None and not first.first_in_paragraph:
                clip_top = first.bottom + inset
        clip = QRectF(0, clip_top, self.width, max(0.0, bottom - inset - clip_top))
        draw_document(painter, self.doc, x, y - top, clip)


def heading(text: str, width: float, *, level: int = 1) -> Block:
    """A section title, kept with what follows it; level-1 titles get a hairline under them."""
    block = TextBlock(
        f'<p style="font-weight:700; color:{ACCENT.name()}">{esc(text)}</p>',
        width,
        11.5 if level == 1 else 9.5,
        space_before=(14 if level == 1 else 8) * PT,
        breakable=False,
        keep_with_next=True,
    )
    return _Underlined(block) if level == 1 else block


class _Underlined(Block):
    """A level-1 heading with a hairline under it (QTextDocument paragraphs have no borders)."""

    def __init__(self, inner: TextBlock) -> None:
        self.inner = inner
        self.keep_with_next = True
        self.space_before = inner.space_before
        self._gap = 3 * PT

    def height(self) -> float:
        return self.inner.height() + self._gap + 3 * PT

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        self.inner.paint(painter, x, y, 0, self.inner.height())
        pen = QPen(RULE)
        pen.setWidthF(0.8 * PT)
        painter.setPen(pen)
        ly = y + self.inner.height() + self._gap
        painter.drawLine(QPointF(x, ly), QPointF(x + self.inner.width, ly))


class Spacer(Block):
    def __init__(self, height_pt: float) -> None:
        self._h = height_pt * PT

    def height(self) -> float:
        return self._h

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    weight: float  # share of the table width
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


class _Cells:
    """A row of cells laid out once: documents, x offsets and the row height."""

    PAD_X = 3.0 * PT
    PAD_Y = 2.6 * PT

    def __init__(self, cells: Sequence[str], widths: Sequence[float], size_pt: float) -> None:
        self.docs: list[QTextDocument] = []
        self.xs: list[float] = []
        x = 0.0
        for text, w in zip(cells, widths, strict=True):
            self.docs.append(text_document(text, max(1.0, w - 2 * self.PAD_X), size_pt))
            self.xs.append(x)
            x += w
        self.widths = list(widths)
        self.height = max((d.size().height() for d in self.docs), default=0) + 2 * self.PAD_Y

    def paint(self, painter: QPainter, x: float, y: float) -> None:
        for doc, cx in zip(self.docs, self.xs, strict=True):
            draw_document(painter, doc, x + cx + self.PAD_X, y + self.PAD_Y)


class Table:
    """Columns by weight over a width; builds its header block and one block per row."""

    def __init__(self, columns: Sequence[Column], width: float, size_pt: float = 7.6) -> None:
        self.columns = list(columns)
        total = sum(c.weight for c in columns)
        self.widths = [width * c.weight / total for c in columns]
        self.width = width
        self.size_pt = size_pt
        titles = [f"<b>{esc(c.title)}</b>" for c in columns]
        self.header = TableHeader(_Cells(titles, self.widths, size_pt - 0.4), width)
        self._rows = 0

    def row(self, cells: Sequence[str], detail: str = "") -> TableRow:
        """One row, with an optional full-width detail line under it (kept with the row)."""
        shaded = self._rows % 2 == 1
        self._rows += 1
        main = _Cells(cells, self.widths, self.size_pt)
        extra = None
        if detail:
            indent = self.widths[0]
            extra = _Cells([detail], [self.width - indent], self.size_pt)
            extra_x = indent
        else:
            extra_x = 0.0
        return TableRow(main, extra, extra_x, self.width, shaded, self.header)

    def rows(self, cells: Sequence[str], detail: str, max_height: float) -> list[Block]:
        """The row as one block, or, when its detail would make it taller than ``max_height``
        (pages of notes), the row followed by its detail as text that flows over pages."""
        row = self.row(cells, detail)
        if row.height() <= max_height or not detail:
            return [row]
        self._rows -= 1
        indent = self.widths[0] + _Cells.PAD_X
        return [self.row(cells), Indented(TextBlock(detail, self.width - indent, self.size_pt), indent)]


class Indented(Block):
    """A text block drawn ``dx`` in from the content's left edge (a row's overflowing detail)."""

    def __init__(self, inner: TextBlock, dx: float) -> None:
        self.inner = inner
        self.dx = dx
        self.space_before = 2 * PT

    def height(self) -> float:
        return self.inner.height()

    def breaks(self) -> Sequence[float]:
        return self.inner.breaks()

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        self.inner.paint(painter, x + self.dx, y, top, bottom)


class TableHeader(Block):
    def __init__(self, cells: _Cells, width: float) -> None:
        self.cells = cells
        self.width = width

    def height(self) -> float:
        return self.cells.height

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        painter.fillRect(QRectF(x, y, self.width, self.cells.height), HEADER_FILL)
        self.cells.paint(painter, x, y)
        pen = QPen(ACCENT)
        pen.setWidthF(0.8 * PT)
        painter.setPen(pen)
        ly = y + self.cells.height
        painter.drawLine(QPointF(x, ly), QPointF(x + self.width, ly))


class TableRow(Block):
    """One table row and its detail line: never split across pages."""

    def __init__(
        self,
        main: _Cells,
        extra: _Cells | None,
        extra_x: float,
        width: float,
        shaded: bool,
        header: TableHeader,
    ) -> None:
        self.main = main
        self.extra = extra
        self.extra_x = extra_x
        self.width = width
        self.shaded = shaded
        self.header = header

    def height(self) -> float:
        extra = self.extra.height - _Cells.PAD_Y if self.extra is not None else 0.0
        return self.main.height + extra

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        h = self.height()
        if self.shaded:
            painter.fillRect(QRectF(x, y, self.width, h), SHADE)
        self.main.paint(painter, x, y)
        if self.extra is not None:
            self.extra.paint(painter, x + self.extra_x, y + self.main.height - _Cells.PAD_Y)
        pen = QPen(RULE)
        pen.setWidthF(0.5 * PT)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, y + h), QPointF(x + self.width, y + h))


class KeyValues(Block):
    """Label/value pairs in columns (the patient and session identification grid)."""

    def __init__(
        self, pairs: Sequence[tuple[str, str]], width: float, columns: int = 3, size_pt: float = 8.6
    ) -> None:
        self.width = width
        self.rows: list[_Cells] = []
        col_w = width / columns
        for start in range(0, len(pairs), columns):
            chunk = list(pairs[start : start + columns])
            while len(chunk) < columns:
                chunk.append(("", ""))
            cells = [(f'<span class="label">{esc(k)}</span><br><b>{v}</b>' if k else "") for k, v in chunk]
            self.rows.append(_Cells(cells, [col_w] * columns, size_pt))

    def height(self) -> float:
        return sum(r.height for r in self.rows)

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        for r in self.rows:
            r.paint(painter, x, y)
            y += r.height


class Boxed(Block):
    """A block inside a tinted, outlined box (signature, urgent-symptom panels)."""

    def __init__(
        self, inner: Block, width: float, fill: QColor, border: QColor, *, space_before: float = 0.0
    ) -> None:
        self.inner = inner
        self.width = width
        self.fill = fill
        self.border = border
        self.pad = 6 * PT
        self.space_before = space_before

    def height(self) -> float:
        return self.inner.height() + 2 * self.pad

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        rect = QRectF(x, y, self.width, self.height())
        pen = QPen(self.border)
        pen.setWidthF(0.8 * PT)
        painter.setPen(pen)
        painter.setBrush(self.fill)
        painter.drawRoundedRect(rect, 3 * PT, 3 * PT)
        self.inner.paint(painter, x + self.pad, y + self.pad, 0, self.inner.height())


def document_title(title: str, width: float) -> TextBlock:
    """The large title that opens an attached document (handout, consent form) on a page of its own;
    it also names the pages that follow in the running header."""
    block = TextBlock(
        f'<p style="font-size:{round(17 * PT)}px; font-weight:700; color:#1d4f73">{esc(title)}</p>',
        width,
        breakable=False,
    )
    block.page_break_before = True
    block.section_title = title
    return block
