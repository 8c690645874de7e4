"""Split a page's text into paragraphs ("blocks"), set page furniture aside, keep what it tells.

A block is a paragraph of body text with its offsets in the working text. Scraped pages sometimes
collapse a whole document onto one line: there, white space between sentences starts a new block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import LOOK_BACK, BOILERPLATE_LINE, OUTLINE_MARKERS, PUBLISHED, SITE_OWNER

LINE = re.compile(r"[^\n\r]+")
# white space that separates paragraphs on a collapsed page: after a sentence or before a number
COLLAPSED_BREAK = re.compile(r"(?<=[。！？；;:：”\u4e00-\u9fff])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff(（“《])")
COLLAPSED_LINE_LENGTH = 300
MAX_ROW_CELLS = 16  # a line parted by more tabs is a page run together, not a table's row
MAX_CELL_CHARS = 500  # a cell holding more, or more paragraphs, is a page's, in a table that lays
MAX_CELL_PARAGRAPHS = 4  # the page out beside a menu
# a numbered item that follows a finished sentence on the same line: …建设项目。 4.加紧谋划…
INLINE_ITEM_BREAK = re.compile(
    r"(?<=[。！？；;])[ \t\u3000\xa0]+(?=[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,3}[、.．]\D)"
)
JUNK = re.compile(r"^[\s|｜\-—_=*·•]*$")


@dataclass(frozen=True)
class Block:
    """A paragraph: ``text`` is ``working[start:end]`` with surrounding white space removed."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Page:
    """The body paragraphs of a page and what its furniture says about it."""

    blocks: tuple[Block, ...]
    published: str | None  # the page's publication date (发布日期), not the signing date
    site_owner: str | None  # the body that runs the site (主办:…)


def parse_page(text: str) -> Page:
    """Body blocks of a page, with boilerplate lines set aside.

    >>> page = parse_page("首页 公开目录\\n发布日期:2017-11-07\\n一、目标任务\\n主办:凉州区发展和改革局")
    >>> [b.text for b in page.blocks], page.published, page.site_owner
    (['一、目标任务'], '2017-11-07', '凉州区发展和改革局')
    """
    blocks: list[Block] = []
    published = owner = None
    for line in LINE.finditer(text):
        content = line.group()
        stripped = content.strip()
        if JUNK.match(stripped):
            continue
        if is_boilerplate(stripped):
            published = published or _published(stripped)
            owner = owner or _owner(stripped)
            continue
        blocks.extend(_split_line(content, line.start()))
    return Page(tuple(blocks), published, owner)


def is_boilerplate(line: str) -> bool:
    """True for page furniture: counters, links, footers, navigation, download prompts.

    >>> is_boilerplate("本文链接://www.example.com/rule/77677.html")
    True
    >>> is_boilerplate("(一)准确把握功能定位。")
    False
    """
    if any(marker.match(line) for _, marker in OUTLINE_MARKERS):
        return False
    if len(line) > 120 and "。" in line:
        return False
    return bool(BOILERPLATE_LINE.search(line))


def _published(line: str) -> str | None:
    match = PUBLISHED.search(line)
    return re.sub(r"[年月/.]", "-", match.group("date")) if match else None


def _owner(line: str) -> str | None:
    match = SITE_OWNER.search(line)
    return match.group("owner") if match else None


def _split_line(content: str, offset: int) -> list[Block]:
    """One block per line; a collapsed page's long line splits at white space between sentences,
    but not a table's row (its cells apart by tabs: .task_tables reads it whole)."""
    breaks = COLLAPSED_BREAK if len(content) > COLLAPSED_LINE_LENGTH else INLINE_ITEM_BREAK
    found = () if is_table_row(content.strip()) else breaks.finditer(content)  # (an indenting tab makes no row)
    cuts = [0, *(m.start() for m in found if not _inside_title(content, m.start())), len(content)]
    blocks = []
    for begin, end in zip(cuts, cuts[1:]):
        piece = content[begin:end]
        stripped = piece.strip().rstrip("|｜ ")
        if JUNK.match(stripped) or is_boilerplate(stripped):
            continue
        lead = len(piece) - len(piece.lstrip())
        start = offset + begin + lead
        blocks.append(Block(start, start + len(stripped), stripped))
    return blocks


def is_table_row(line: str) -> bool:
    """Whether a line is a table's row as the readers write one, its cells apart by tabs (a line of
    many tabs is a page run together).

    >>> is_table_row("1\\t建设智慧园区\\t市工信局"), is_table_row("建设智慧园区"), is_table_row("甲\\t" * 20)
    (True, False, False)
    """
    return 0 < line.count("\t") < MAX_ROW_CELLS


def holds_data(cells: list[list[str]]) -> bool:
    """Whether a table's row, by each cell's paragraphs, is one of a table of data, which the
    readers write as one line: two cells or more, each short. A table that lays a page out holds
    the page in one cell of many paragraphs, beside a menu: its lines stay lines.

    >>> holds_data([["1"], ["建设智慧园区"], ["市工信局"]]), holds_data([["首页"], ["标题", "一、主要任务"] * 3])
    (True, False)
    """
    return len(cells) >= 2 and all(len(cell) <= MAX_CELL_PARAGRAPHS and sum(map(len, cell)) <= MAX_CELL_CHARS
                                   for cell in cells)


def _inside_title(text: str, at: int) -> bool:
    """True when position ``at`` lies inside 《…》."""
    start = max(0, at - LOOK_BACK)
    return text.rfind("《", start, at) > text.rfind("》", start, at)
