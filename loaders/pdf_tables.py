"""Ruled tables on a PDF's pages, read as the other readers write a table: a row of data a line,
its cells apart by a tab (:mod:`.task_tables` reads a 重点任务分工表 from such lines).

pdfminer.six gives a page's characters and where they lie, but a table's cells side by side run
into one line. pdfplumber, on the same pdfminer page, finds the grid a table's rules draw and its
cells; each cell's text is read from the characters inside it. A cell's lines are one text where a
line had no room left for the next one's first character (wrapped: Chinese needs no space there),
else apart by a space (市财政局 / 市商务局, a name a line, set left or centred); a cell's room is
its width less the table's padding, the least gap before any cell's text. A cell merged with the cells below it reads beside each row
it spans, as a page shows it; a row that is not one of data (a group's name across the table)
gives its cells' texts as lines of their own.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from pdfminer.layout import LTCurve, LTPage
from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils import cluster_objects

from .blocks import holds_data

Bbox = tuple[float, float, float, float]  # x0, top, x1, bottom: pdfplumber's, from the page's top
Char = dict[str, Any]  # a character as pdfplumber gives it: text, x0, x1, top, bottom, size
RULE_SLACK = 1.0  # points: a drawing taller (wider) than this rules upright (level); a cell reaching this far
# below a row's top spans it
WORD_GAP = 0.5  # a gap of this many characters' widths within a cell's line is a space


def has_rules_both_ways(page: LTPage) -> bool:
    """Whether a page draws a rule upright and one level (a rectangle is both): a grid may be there.
    Most pages have none, or a level rule alone under a red header, and are not looked at further."""
    upright = level = False
    for item in page:
        if isinstance(item, LTCurve):  # LTLine and LTRect are curves too
            upright |= item.height > RULE_SLACK
            level |= item.width > RULE_SLACK
            if upright and level:
                return True
    return False


def ruled_tables(page: Page) -> list[tuple[Bbox, list[str]]]:
    """Each ruled table on the page, by where it lies, with the lines it gives, top to bottom: a
    row of data, its cells apart by tabs, or each cell's text of another row."""
    tables = [table for table in page.find_tables() if len(table.rows) > 1 and len(table.columns) > 1]
    if not tables:  # one of a row or a column is a frame (round the page, ruled across under its head)
        return []
    chars = page.chars
    return [(table.bbox, list(_table_lines(table, chars))) for table in tables]


def _table_lines(table: Table, chars: list[Char]) -> Iterator[str]:
    inside = {cell: _inside(cell, chars) for cell in table.cells}
    padding = max(min((min(char["x0"] for char in found) - cell[0] for cell, found in inside.items() if found),
                      default=0.0), 0.0)
    above: dict[int, tuple[float, list[str]]] = {}  # a column's last cell: its bottom, its lines
    for row in table.rows:
        top = row.bbox[1]
        cells: list[list[str]] = []
        for column, cell in enumerate(row.cells):
            if cell is not None:
                above[column] = (cell[3], _cell_lines(cell, inside[cell], padding))
                cells.append(above[column][1])
            elif column in above and above[column][0] > top + RULE_SLACK:  # merged with the cell above
                cells.append(above[column][1])
        if holds_data(cells):
            yield "\t".join(_joined(cell).replace("\t", " ") for cell in cells)
        else:
            yield from (_joined(cell) for cell in cells if cell)


def _cell_lines(cell: Bbox, chars: list[Char], padding: float) -> list[str]:
    """A cell's lines of text, each joined to the one before it where that one had no room left for
    this one's first character (wrapped), the cells' ``padding`` left out on both sides; the cell's
    paragraphs, then."""
    lines = [sorted(line, key=lambda char: char["x0"]) for line in cluster_objects(chars, "top", 2)]
    room = cell[2] - cell[0] - 2 * padding
    paragraphs: list[str] = []
    for before, line in zip([None, *lines], lines):
        if before is not None and room - (before[-1]["x1"] - before[0]["x0"]) < line[0]["x1"] - line[0]["x0"]:
            paragraphs[-1] += _text(line)
        else:
            paragraphs.append(_text(line))
    return [paragraph for paragraph in paragraphs if paragraph.strip()]


def _text(line: list[Char]) -> str:
    """A line's characters in order, a space where a gap parts them."""
    text = line[0]["text"]
    for before, char in zip(line, line[1:]):
        gap = char["x0"] - before["x1"]
        text += (" " if gap > WORD_GAP * char["size"] and not char["text"].isspace() else "") + char["text"]
    return text


def _joined(paragraphs: list[str]) -> str:
    return " ".join(paragraph.strip() for paragraph in paragraphs)


def middle_inside(box: Bbox, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether the middle of what lies from ``x0`` to ``x1`` and ``top`` to ``bottom`` is inside ``box``."""
    return box[0] <= (x0 + x1) / 2 <= box[2] and box[1] <= (top + bottom) / 2 <= box[3]


def _inside(box: Bbox, chars: Iterable[Char]) -> list[Char]:
    return [char for char in chars if middle_inside(box, char["x0"], char["top"], char["x1"], char["bottom"])]
