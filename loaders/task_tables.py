"""Measures written as the rows of a task table (重点任务分工表): a header row names a task column
and one or more owners' columns (责任单位, 牵头单位, 配合单位 …); each row under it is a measure, owned
by the agencies its owners' cells name, in the role their column says.

Readers write a table's row as one line, its cells apart by a tab (Word and HTML tables; text copied
out of either has them so too). A measure's id is its table's ordinal and its row's number:
``表1.3`` for the row numbered 3 (its 序号 cell, else its place) in the document's first task table.

>>> text = "附件:任务分工表\\n序号\\t重点任务\\t牵头单位\\t配合单位\\n1\\t建设智慧园区。\\t市工信局\\t市财政局、市大数据局"
>>> from policykg.loaders.blocks import parse_page
>>> [(m.measure_id, m.heading, [(a.name, a.role, a.clause) for a in m.agencies])
...  for m in table_measures(list(parse_page(text).blocks), MappedText.identity(text))]  # doctest: +NORMALIZE_WHITESPACE
[('表1.1', '建设智慧园区', [('市工信局', 'lead', '牵头单位:市工信局'), ('市财政局', 'support', '配合单位:市财政局、市大数据局'),
                           ('市大数据局', 'support', '配合单位:市财政局、市大数据局')])]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import looks_like_agency, spaces_as_separators, split_agencies
from .blocks import Block, is_table_row
from .measures import unique_owners
from .outline import heading_of
from .patterns import OWNER_LABEL
from .records import AgencyMention, Measure
from .responsibilities import Owner, parse_owner_text, role_of_label
from .textmap import MappedText

BRACKETED = re.compile(r"[(（][^()（）]*[)）]")  # 牵头单位（部门）: a header's note
OWNER_COLUMN = re.compile(OWNER_LABEL)
TASK_COLUMN = re.compile(r"^.{0,6}(?:任务|措施|举措|事项|内容|工作)(?:及.{1,4}|名称)?$")  # 工作任务及目标
SERIAL_COLUMN = re.compile(r"^(?:序号|编号)$")
SERIAL = re.compile(r"[(（]?(\d{1,4})[)）.．、]?")  # a row's number as a 序号 cell writes it: 3, 3., (3), 3、
ROLE_NOTE = re.compile(r"\s*[(（](?P<role>牵头|主责|配合|协办|协助|协同|参与|负责)[)）]$")  # 市发改委（牵头）
MAX_GROUP_ROW = 40  # a line this short between rows names a group of the rows below it (一、优化布局)

CELLS_SHOWN_APART = " | "  # a row's text as a measure's: its cells, tabs left out of what tables and terminals show
LINE_ENDS = "\n\r"
Cell = tuple[int, str]  # where a cell starts in its row's line, and its text


@dataclass(frozen=True)
class _Header:
    """The columns of a task table that matter: the task's, the serial's, the owners' (index, role, label)."""

    cells: int
    task: int
    serial: int | None
    owners: tuple[tuple[int, str, str], ...]


def table_measures(blocks: list[Block], text: MappedText) -> tuple[Measure, ...]:
    """The measures of every task table among a document's paragraphs, in reading order."""
    measures: list[Measure] = []
    header: _Header | None = None
    tables = rows = 0
    for index, block in enumerate(blocks):
        if header is None and "\t" not in block.text:
            continue  # no table begins here: the most of every document
        line_start, line = _line_of(block, text.text)
        cells = row_cells(line)
        if header is not None and _header(cells) == header:
            continue  # the header again, atop the table's next page (a PDF's)
        if header is not None and len(cells) == header.cells:
            rows += 1
            measures.append(_row_measure(block, line_start, cells, header, f"表{tables}.", rows, text))
        elif (found := _header(cells)) is not None:
            header, tables, rows = found, tables + 1, 0
        elif header is not None and not cells and not _groups_rows_below(block, blocks[index + 1:index + 2], header,
                                                                          text.text):
            header = None  # a paragraph after the table (a row of other cells, merged ones, is passed over)
    return tuple(measures)


def _line_of(block: Block, working: str) -> tuple[int, str]:
    """The whole line a paragraph is, white space at its ends included: a row's empty cells at its
    ends are tabs its text left out. Only a paragraph holding a tab is looked at (a row with one cell
    written, the others empty, names no task anyway), so a page of one long line costs nothing."""
    if "\t" not in block.text:
        return block.start, block.text
    start, end = block.start, block.end
    while start > 0 and working[start - 1] not in LINE_ENDS and working[start - 1].isspace():
        start -= 1
    while end < len(working) and working[end] not in LINE_ENDS and working[end].isspace():
        end += 1
    return start, working[start:end]


def row_cells(line: str) -> list[Cell]:
    """A table row's cells, empty ones included; none for a line that is no row.

    >>> row_cells("1\\t\\t市工信局")
    [(0, '1'), (2, ''), (3, '市工信局')]
    """
    if not is_table_row(line):
        return []
    cells, at = [], 0
    for part in line.split("\t"):
        cells.append((at, part))
        at += len(part) + 1
    return cells


def _header(cells: list[Cell]) -> _Header | None:
    """The task table a row heads: it names a task column and an owners' column at least."""
    names = [BRACKETED.sub("", cell).replace(" ", "").replace("\u3000", "") for _, cell in cells]
    owners = tuple((i, role, name) for i, name in enumerate(names)
                   if OWNER_COLUMN.fullmatch(name) and (role := role_of_label(name)) is not None)
    tasks = [i for i, name in enumerate(names) if TASK_COLUMN.match(name) and not OWNER_COLUMN.fullmatch(name)]
    if not tasks or not owners:
        return None
    task = tasks[-1]  # of 重点任务 | 具体措施, the measure is the second: the first groups them
    serial = next((i for i, name in enumerate(names) if SERIAL_COLUMN.match(name)), None)
    return _Header(len(cells), task, serial, owners)


def _groups_rows_below(block: Block, following: list[Block], header: _Header, working: str) -> bool:
    """Whether a line inside a table names a group of rows: short, and a row follows it."""
    return (len(block.text) <= MAX_GROUP_ROW and bool(following)
            and len(row_cells(_line_of(following[0], working)[1])) == header.cells)


def _row_measure(block: Block, line_start: int, cells: list[Cell], header: _Header, table: str, ordinal: int,
                 text: MappedText) -> Measure:
    serial = cells[header.serial][1].strip() if header.serial is not None else ""
    owners = [owner for column, role, label in header.owners
              for owner in _owners(line_start, cells[column], role, label)]
    agencies = tuple(
        AgencyMention(owner.as_written, owner.name, owner.role, order, text.span(owner.start, owner.end), clause)
        for order, (owner, clause) in enumerate(unique_owners(owners), start=1))
    number = SERIAL.fullmatch(serial)
    return Measure(table + (number[1] if number else str(ordinal)), heading_of(cells[header.task][1].strip()),
                   text.span(block.start, block.end), agencies, CELLS_SHOWN_APART.join(c.strip() for _, c in cells))


def _owners(line_start: int, cell: Cell, role: str, label: str) -> list[tuple[Owner, str]]:
    """The agencies an owners' cell names, in its column's role unless the cell says another
    (市发改委牵头,市财政局配合); each with the clause an auditor reads: the column and the cell."""
    at, written = cell
    offset = line_start + at + len(written) - len(written.lstrip())
    written = written.strip()
    owners = parse_owner_text(written, offset) or _listed_owners(written, offset, role)
    return [(owner, f"{label}:{written}") for owner in owners]


def _listed_owners(written: str, offset: int, role: str) -> list[Owner]:
    """The agencies a cell lists, apart by 、，; or one per paragraph; one whose role is noted after
    it (市发改委（牵头）) has that role, its note left out of its name.

    >>> [(o.name, o.role) for o in _listed_owners("市发改委（牵头） 市财政局", 0, "responsible")]
    [('市发改委', 'lead'), ('市财政局', 'responsible')]
    """
    owners = []
    for agency in split_agencies(spaces_as_separators(written), offset):
        note = ROLE_NOTE.search(agency.as_written)
        if note is None:
            owners.append(Owner.of(agency, role))
            continue
        as_written = agency.as_written[:note.start()]
        owners.append(Owner(as_written, agency.name[:len(agency.name) - len(note[0])], agency.start,
                            agency.start + len(as_written), role_of_label(note["role"]) or role))
    return owners
