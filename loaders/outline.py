"""The numbered structure of a document (一、 (一) 1. (1) ①) as a tree of items.

Levels are not fixed per marker style: the first style met is the top level, and a style met again
closes every deeper level, so 1…19 numbered straight through (一)…(七) stay children of each (…).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from .blocks import Block
from .patterns import NOT_TASK_SECTION, OUTLINE_MARKERS, TASK_SECTION

HEADING_END = "。"


@dataclass(frozen=True)
class OutlineItem:
    """A numbered paragraph: ``path`` holds the labels from the top, e.g. ``('二', '(一)', '1')``."""

    style: str
    path: tuple[str, ...]
    heading: str
    block: Block
    in_task_section: bool  # below a heading such as 二、主要任务
    heading_only: bool  # the paragraph is a title line with no sentence of its own
    number: int | None = None  # the label's value, for numbering styles that count

    @property
    def measure_id(self) -> str:
        return ".".join(self.path)


def parse_marker(text: str) -> tuple[str, str, int] | None:
    """``(style, label, length)`` of the number that starts a paragraph.

    >>> parse_marker("(三)推进绿色发展。"), parse_marker("12、推进"), parse_marker("2020年")
    (('paren_cn', '(三)', 3), ('arabic', '12', 3), None)
    """
    for style, pattern in OUTLINE_MARKERS:
        match = pattern.match(text)
        if match:
            return style, _label(style, match.group()), match.end()
    return None


def _label(style: str, marker: str) -> str:
    """The number a marker writes, in one form: （三） and (三) → (三), ⑴ and （１） → (1), ⒈ and １． → 1.

    >>> [parse_marker(text)[1] for text in ("（三）甲", "⑴甲", "（１）甲", "⒈甲", "１２．甲", "③甲")]
    ['(三)', '(1)', '(1)', '1', '12', '③']
    """
    core = marker.strip() if style == "circled" else unicodedata.normalize("NFKC", marker.strip())
    core = core.rstrip("、.．").strip()
    if style.startswith("paren"):
        return "(" + core.strip("()") + ")"
    return core


def heading_of(text: str) -> str:
    """The lead phrase: text up to the first 。 (without it).

    >>> heading_of("准确把握功能定位。切实发挥开发区作用。")
    '准确把握功能定位'
    """
    return text.split(HEADING_END, 1)[0].strip()


def is_task_heading(heading: str) -> bool:
    """True for a section whose items are measures by definition (主要任务, 工作措施 …).

    >>> is_task_heading("主要任务"), is_task_heading("保障措施"), is_task_heading("目标任务")
    (True, False, False)
    """
    return bool(TASK_SECTION.search(heading)) and not NOT_TASK_SECTION.search(heading)


def number_value(label: str) -> int | None:
    """The value of a label: (二十二) → 22, 12 → 12, 一 → 1; ``None`` for other labels.

    >>> number_value("(二十二)"), number_value("12"), number_value("(十)"), number_value("③")
    (22, 12, 10, 3)
    """
    core = label.strip("()")
    if core.isascii() and core.isdigit():
        return int(core)
    if len(core) == 1 and "①" <= core <= "⑳":
        return ord(core) - ord("①") + 1
    digits = "一二三四五六七八九"
    if not core or any(c not in digits + "十" for c in core):
        return None
    if "十" not in core:
        return digits.index(core) + 1 if len(core) == 1 else None
    tens, _, ones = core.partition("十")
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)


class OutlineBuilder:
    """Feeds paragraphs in order; each numbered one becomes an :class:`OutlineItem`.

    Numbering that runs backwards among siblings (3. then 2. 3. 4. 5.) is a fragment pasted in, a
    box or a table, not the outline: its items stay plain paragraphs until the outline's own sequence
    resumes. A new 1. is a restart under a parent heading the scrape lost, and is kept.
    """

    def __init__(self) -> None:
        self._stack: list[OutlineItem] = []
        self._fragment_next: dict[str, int] = {}

    @property
    def open_items(self) -> tuple[OutlineItem, ...]:
        """The items the last paragraph fed is under, outermost first (itself, if numbered)."""
        return tuple(self._stack)

    def feed(self, block: Block) -> OutlineItem | None:
        """The item a paragraph opens, or ``None`` for an unnumbered paragraph."""
        marker = parse_marker(block.text)
        if marker is None:
            return None
        style, label, length = marker
        number = number_value(label)
        styles = [item.style for item in self._stack]
        if style in styles:
            if self._out_of_sequence(style, number, self._stack[styles.index(style)]):
                return None
            del self._stack[styles.index(style):]
        body = block.text[length:]
        heading = heading_of(body)
        parent_task = any(
            item.in_task_section or is_task_heading(item.heading) for item in self._stack
        )
        item = OutlineItem(
            style=style,
            path=tuple(i.path[-1] for i in self._stack) + (label,),
            heading=heading,
            block=block,
            in_task_section=parent_task,
            heading_only=HEADING_END not in body.rstrip("。").rstrip() and len(body) < 60,
            number=number,
        )
        self._stack.append(item)
        return item

    def _out_of_sequence(self, style: str, number: int | None, sibling: OutlineItem) -> bool:
        if number is None or sibling.number is None:
            return False
        restart = number == 1 and style not in self._fragment_next  # a parent heading lost in the scrape
        if not restart and (self._fragment_next.get(style) == number or number <= sibling.number):
            self._fragment_next[style] = number + 1
            return True
        self._fragment_next.pop(style, None)
        return False


@dataclass(frozen=True)
class OutlineStep:
    """A paragraph as the outline reads it: the item it opens (None for an unnumbered paragraph)
    and the items it is under, outermost first (its own included)."""

    block: Block
    item: OutlineItem | None
    open_items: tuple[OutlineItem, ...]

    @property
    def current(self) -> OutlineItem | None:
        """The innermost item the paragraph is under."""
        return self.open_items[-1] if self.open_items else None


def walk_outline(blocks: Iterable[Block]) -> list[OutlineStep]:
    """Each paragraph in order with its place in the outline: read once for a document's measures
    and its targets.

    >>> steps = walk_outline([Block(0, 6, "二、主要任务"), Block(7, 12, "(一)优化布局"), Block(13, 17, "加快建设")])
    >>> [(s.item and s.item.measure_id, [i.heading for i in s.open_items]) for s in steps]
    [('二', ['主要任务']), ('二.(一)', ['主要任务', '优化布局']), (None, ['主要任务', '优化布局'])]
    """
    builder = OutlineBuilder()
    return [OutlineStep(block, builder.feed(block), builder.open_items) for block in blocks]

