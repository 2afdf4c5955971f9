"""A small flow layout for paged documents: blocks stacked down pages, never cut mid-row.

Units are decipoints (1/720 inch), so fonts get integer pixel sizes with 0.1 pt steps and the same
layout paints onto a PDF writer, a printer or a preview image by one scale factor. A block tells
where it may be split (between lines of a paragraph; nowhere in a table row or a body map); the
paginator moves whatever does not fit to the next page and repeats a table's header there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

UNITS_PER_PT = 10.0
UNITS_PER_MM = 72.0 / 25.4 * UNITS_PER_PT


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """Page size and the content box, in decipoints."""

    width: float
    height: float
    left: float = 42 * UNITS_PER_PT
    right: float = 42 * UNITS_PER_PT
    top: float = 62 * UNITS_PER_PT
    bottom: float = 52 * UNITS_PER_PT

    @property
    def content(self) -> QRectF:
        return QRectF(
            self.left,
            self.top,
            self.width - self.left - self.right,
            self.height - self.top - self.bottom,
        )


A4 = PageGeometry(595.276 * UNITS_PER_PT, 841.89 * UNITS_PER_PT)


class Block:
    """Something drawn in the flow: a fixed width, a height and the offsets where it may split."""

    keep_with_next = False
    page_break_before = False
    space_before = 0.0
    #: A table row names its table's header, painted again at the top of a continuation page.
    header: Block | None = None
    #: A block that opens a new part (the handout, the consent form) names it for the page header.
    section_title = ""

    def height(self) -> float:
        raise NotImplementedError

    def breaks(self) -> Sequence[float]:
        """Offsets (ascending, inside 0..height) where the block may be split across pages."""
        return ()

    def paint(self, painter: QPainter, x: float, y: float, top: float, bottom: float) -> None:
        """Paint the slice [top, bottom) of the block with its top-left at (x, y - top)."""
        raise NotImplementedError


@dataclass(slots=True)
class Placement:
    block: Block
    y: float  # where the slice's top lands on the page
    top: float
    bottom: float


@dataclass(slots=True)
class Page:
    placements: list[Placement] = field(default_factory=list)
    title: str = ""  # the part of the document this page belongs to ("" for the main one)


def paginate(blocks: Sequence[Block], page: PageGeometry) -> list[Page]:
    """Place blocks down the pages; what does not fit moves (or, between lines, splits) to the next."""
    content = page.content
    bottom = content.bottom()
    pages = [Page()]
    y = content.top()
    running: Block | None = None  # the table header already painted on this page
    filled = False  # the page holds something other than a repeated header

    def new_page() -> None:
        nonlocal y, running, filled
        pages.append(Page(title=pages[-1].title))
        y = content.top()
        running = None
        filled = False

    def place(block: Block, gap: float, top: float, end: float) -> None:
        nonlocal y
        if block.section_title:
            pages[-1].title = block.section_title
        pages[-1].placements.append(Placement(block, y + gap, top, end))
        y += gap + end - top

    def place_header(block: Block) -> float:
        """Paint the block's table header if this page lacks it; returns the gap still to apply."""
        nonlocal running
        if block.header is None or block.header is running:
            return -1.0
        place(block.header, 0.0 if not filled else block.space_before, 0.0, block.header.height())
        running = block.header
        return 0.0

    for i, block in enumerate(blocks):
        if block.page_break_before and filled:
            new_page()
        h = block.height()
        breaks = list(block.breaks())
        first = breaks[0] if breaks else h
        need = first
        if block.keep_with_next and i + 1 < len(blocks):
            nxt = blocks[i + 1]
            nb = nxt.breaks()
            need = h + nxt.space_before + (nb[0] if nb else nxt.height())
            if nxt.header is not None:
                need += nxt.header.height()
        header_h = block.header.height() if block.header is not None and block.header is not running else 0
        gap = block.space_before if filled else 0.0
        if filled and y + gap + header_h + need > bottom:
            new_page()
            gap = 0.0
        if block.header is None:
            running = None
        elif place_header(block) == 0.0:
            gap = 0.0
        start = 0.0
        while True:
            avail = bottom - (y + gap)
            if h - start <= avail:
                place(block, gap, start, h)
                break
            fits = [b for b in breaks if start < b <= start + avail]
            if not fits and filled:
                new_page()
                gap = 0.0
                place_header(block)
                continue
            if not fits:  # taller than an empty page and no break inside: clipped by the page
                place(block, gap, start, h)
                break
            place(block, gap, start, fits[-1])
            start = fits[-1]
            new_page()
            gap = 0.0
            place_header(block)
        filled = True
    return pages


PagePainter = Callable[[QPainter, int, int], None]


def paint_pages(
    painter: QPainter,
    pages: Sequence[Page],
    page: PageGeometry,
    *,
    scale: float,
    new_page: Callable[[], None],
    decorate: PagePainter | None = None,
    offset: QPointF | None = None,
) -> None:
    """Paint every page: the placed blocks, then the decorations (header, footer, watermark).

    ``offset`` (device units) moves each page, to centre it on paper of another size."""
    total = len(pages)
    for n, content in enumerate(pages, start=1):
        if n > 1:
            new_page()
        painter.save()
        if offset is not None:
            painter.translate(offset)
        painter.scale(scale, scale)
        for placed in content.placements:
            painter.save()
            painter.setClipRect(QRectF(0, placed.y, page.width, placed.bottom - placed.top + 1))
            placed.block.paint(painter, page.left, placed.y, placed.top, placed.bottom)
            painter.restore()
        if decorate is not None:
            decorate(painter, n, total)
        painter.restore()
