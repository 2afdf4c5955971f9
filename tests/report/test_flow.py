"""Pagination: every block placed once, in order, rows and maps never cut, table headers repeated."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.report.flow import A4, Block, paginate

CONTENT_H = A4.content.height()


class Fake(Block):
    def __init__(self, h: float, breaks: Sequence[float] = (), header: Block | None = None, keep=False):
        self._h = h
        self._breaks = list(breaks)
        self.header = header
        self.keep_with_next = keep
        self.space_before = 40.0

    def height(self) -> float:
        return self._h

    def breaks(self) -> Sequence[float]:
        return self._breaks

    def paint(self, painter, x, y, top, bottom) -> None:
        return None


@st.composite
def documents(draw):
    headers = [Fake(250.0), Fake(300.0)]
    blocks: list[Fake] = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["text", "row", "map", "heading"]))
        if kind == "text":
            lines = draw(st.integers(1, 120))
            blocks.append(Fake(lines * 120.0, [120.0 * k for k in range(2, lines - 1)]))
        elif kind == "row":
            blocks.append(Fake(draw(st.floats(200, 2000)), header=draw(st.sampled_from(headers))))
        elif kind == "map":
            blocks.append(Fake(draw(st.floats(1000, CONTENT_H))))
        else:
            blocks.append(Fake(220.0, keep=True))
    return blocks, headers


@settings(deadline=None, max_examples=150)
@given(documents())
def test_every_block_is_placed_whole_and_in_order(doc):
    blocks, headers = doc
    pages = paginate(blocks, A4)
    content = A4.content
    seen: list[Block] = []
    covered: dict[int, float] = {}
    for page in pages:
        assert page.placements, "no empty page"
        for placed in page.placements:
            assert placed.y >= content.top() - 1e-6
            assert placed.y + (placed.bottom - placed.top) <= content.bottom() + 1e-6
            if placed.block in headers:
                continue
            key = id(placed.block)
            # Slices of one block follow each other without gap or overlap.
            assert placed.top == pytest.approx(covered.get(key, 0.0))
            covered[key] = placed.bottom
            if not seen or seen[-1] is not placed.block:
                seen.append(placed.block)
            if not placed.block.breaks():
                assert (placed.top, placed.bottom) == (0, placed.block.height())
    assert seen == blocks
    for block in blocks:
        assert covered[id(block)] == pytest.approx(block.height())


@settings(deadline=None, max_examples=100)
@given(documents())
def test_a_table_row_always_has_its_header_above_it_on_the_page(doc):
    blocks, headers = doc
    for page in paginate(blocks, A4):
        current = None
        for placed in page.placements:
            if placed.block in headers:
                current = placed.block
            elif placed.block.header is not None:
                assert current is placed.block.header
            else:
                current = None


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page():
    filler = Fake(CONTENT_H - 300.0)
    heading = Fake(220.0, keep=True)
    row = Fake(400.0, header=Fake(250.0))
    pages = paginate([filler, heading, row], A4)
    assert [p.block for p in pages[0].placements] == [filler]
    assert [p.block for p in pages[1].placements] == [heading, row.header, row]


def test_text_split_over_pages_prints_every_line_once(tmp_path):
    """Qt draws the line above a clip too; the slices must still hold each line exactly once."""
    from PySide6.QtGui import QPainter, QPdfWriter

    from dn_bodymap.render.export import ensure_gui_app
    from dn_bodymap.report.blocks import TextBlock, paragraphs

    ensure_gui_app()
    text = "\n\n".join(" ".join(f"p{p}w{w}" for w in range(120)) for p in range(4))
    block = TextBlock(paragraphs(text), 3000)
    cuts = [0.0, *block.breaks()[::3], block.height()]
    out = tmp_path / "slices.pdf"
    writer = QPdfWriter(str(out))
    writer.setResolution(720)
    painter = QPainter(writer)
    for i, (a, b) in enumerate(itertools.pairwise(cuts)):
        if i:
            writer.newPage()
        block.paint(painter, 0, 500, a, b)
    painter.end()
    del writer
    words = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    expected = [f"p{p}w{w}" for p in range(4) for w in range(120)]
    assert sorted(words) == sorted(expected)
