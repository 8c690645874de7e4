"""Agency names in a written list: split, cleaned, elided prefixes and suffixes restored.

>>> [(a.as_written, a.name) for a in split_agencies("省科技厅、财政厅,各区人民政府〈含开发区管委会,下同〉", 0)]
[('省科技厅', '省科技厅'), ('财政厅', '省财政厅'), ('各区人民政府', '各区人民政府')]
>>> [a.name for a in split_agencies("市经信局,各区、县(市)政府", 0)]
['市经信局', '各区、县(市)政府']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .gazetteer import PLACE_TAIL, SHORTENABLE, gazetteer
from .patterns import CLOSE, LIST_SEPARATORS, OPEN

OPENERS, CLOSERS = set(OPEN.replace("\\", "")), set(CLOSE.replace("\\", ""))
# a jurisdiction prefix that an elided list item shares with the one before it (not 市场…, 区域…)
SHARED_PREFIX = re.compile(r"^(省委|市委|区委|县委|州委|省|市|区|县|州)(?![场域级属内外])")
COLLECTIVE = re.compile(r"^(各|相关|有关|全|本|其他|中共|中国)")
DIVISION_CHARS = "省市区县乡镇"
COLLECTIVE_DIVISIONS = re.compile(rf"^\s*各[{DIVISION_CHARS}](、[{DIVISION_CHARS}])*$")
ZONE_BODY = re.compile(r"^[\u4e00-\u9fff]{2,}?(新区|开发区|高新区|园区|试验区|实验区|片区|保税区)")
DEPARTMENT = re.compile(r"(局|厅|委|办|部|中心|公司|室|会|院|所|处|站|署|行|集团|海关)$")
ORG_SUFFIX = re.compile(
    r"(局|厅|委|办|部|府|政府|会|院|中心|公司|集团|海关|银行|支行|所|站|室|处|署|社|团|馆|区|县|市|乡镇|街道|园区|板块|单位|部门|机构|小组|队)$"
)
NOTE = re.compile(r"[(（〈<\[【〔](?:含|包括|不含|下同)[^)）〉>\]】〕]*[)）〉>\]】〕]|[(（〈<\[【〔][^)）〉>\]】〕]*下同[)）〉>\]】〕]")
TRAILING_NOTE = re.compile(r"[(（〈<\[【〔][^)）〉>\]】〕]*[)）〉>\]】〕]$")
TRAILING_WORDS = re.compile(r"(等单位|等部门|等|按职责分工|按职责)$")


@dataclass(frozen=True)
class NamedAgency:
    """One list item: the surface form, the restored name, and its offsets in the working text."""

    as_written: str
    name: str
    start: int
    end: int


def split_agencies(text: str, offset: int) -> list[NamedAgency]:
    """Split a list of agencies at separators outside brackets; restore elided prefixes and suffixes."""
    cleaned = (_clean(piece, start + offset) for piece, start in split_outside_brackets(text, _list_separator))
    items = [item for item in cleaned if item]
    return _restore_suffixes(_restore_prefixes(items))


def spaces_as_separators(written: str) -> str:
    """A list naming its agencies apart by spaces (a cell with one per paragraph, read as one line;
    配合单位:市财政局 市商务局) with each space as a 、, one character for one, so that offsets stay; a
    name written with spaces in it stays whole.

    >>> spaces_as_separators("市财政局 市商务局"), spaces_as_separators("福州 市商务局")
    ('市财政局、市商务局', '福州 市商务局')
    """
    chunks = written.split()
    if len(chunks) > 1 and all(looks_like_agency(chunk.strip("、，,；;")) for chunk in chunks):
        return re.sub(r"\s", "、", written)
    return written


def looks_like_agency(name: str) -> bool:
    """True when a name ends like a body that can own work.

    >>> looks_like_agency("市发展改革委"), looks_like_agency("各县(市、区)"), looks_like_agency("加快推进")
    (True, True, False)
    """
    return 2 <= len(name) <= 40 and bool(ORG_SUFFIX.search(TRAILING_NOTE.sub("", name)))


def split_outside_brackets(text: str, splits_at: Callable[[str, int, int], bool]) -> list[tuple[str, int]]:
    """``(piece, offset)`` of ``text`` cut where ``splits_at(text, piece_start, i)`` holds, never
    inside brackets of any style.

    >>> split_outside_brackets("甲、乙(丙、丁)", lambda t, b, i: t[i] == "、")
    [('甲', 0), ('乙(丙、丁)', 2)]
    """
    pieces, depth, begin = [], 0, 0
    for i, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and splits_at(text, begin, i):
            pieces.append((text[begin:i], begin))
            begin = i + 1
    pieces.append((text[begin:], begin))
    return pieces


def _list_separator(text: str, begin: int, at: int) -> bool:
    return text[at] in LIST_SEPARATORS and not _joins_divisions(text, begin, at)


def _joins_divisions(text: str, begin: int, at: int) -> bool:
    """``各区、县(市)政府`` is one collective body: 、 between division characters after 各 joins."""
    return bool(COLLECTIVE_DIVISIONS.match(text[begin:at])) and text[at + 1:at + 2] in DIVISION_CHARS


def _clean(piece: str, start: int) -> NamedAgency | None:
    lead = len(piece) - len(piece.lstrip())
    name = NOTE.sub("", piece).strip()
    name = TRAILING_WORDS.sub("", name).strip()
    if len(name) < 2:
        return None
    begin = start + lead
    return NamedAgency(name, name, begin, begin + len(piece.strip()))


def _restore_prefixes(items: list[NamedAgency]) -> list[NamedAgency]:
    """``省科技厅、财政厅`` → ``省财政厅``: an item with no prefix of its own takes the previous item's."""
    restored: list[NamedAgency] = []
    previous_prefix: str | None = None
    for item in items:
        own = SHARED_PREFIX.match(item.name)
        if own:
            previous_prefix = own.group(1)
        elif previous_prefix and _elides_prefix(item.name):
            item = NamedAgency(item.as_written, previous_prefix + item.name, item.start, item.end)
        else:
            previous_prefix = None
        restored.append(item)
    return restored


def _elides_prefix(name: str) -> bool:
    return (
        bool(DEPARTMENT.search(name))
        and not COLLECTIVE.match(name)
        and not ZONE_BODY.match(name)
        and not _names_a_place(name)
    )


def _names_a_place(name: str) -> bool:
    """True when the name starts with a place: 武汉市科技局, 凉州区发展和改革局; a county's bare short
    name does not count (公安局 is not 公安县's bureau)."""
    place = gazetteer().resolve_prefix(name)
    return place is not None and (place.level != "county" or place.name.endswith(tuple(PLACE_TAIL)))


def _restore_suffixes(items: list[NamedAgency]) -> list[NamedAgency]:
    """``福州、厦门、宁德市人民政府`` → ``福州市人民政府 …``: bare places share the next item's suffix."""
    restored = list(items)
    for i in range(len(items) - 2, -1, -1):
        item = restored[i]
        if not _is_bare_place(item.name):
            continue
        suffix = _place_suffix(restored[i + 1].name)
        if suffix:
            name = SHORTENABLE.sub("", item.name) + suffix
            restored[i] = NamedAgency(item.as_written, name, item.start, item.end)
    return restored


def _is_bare_place(name: str) -> bool:
    place = gazetteer().resolve_prefix(name)
    return place is not None and place.name == name


def _place_suffix(name: str) -> str | None:
    """``宁德市人民政府`` → ``市人民政府``: what follows the place's short name."""
    place = gazetteer().resolve_prefix(name)
    if place is None or place.name == name:
        return None
    short = SHORTENABLE.sub("", place.name)
    return name[len(short):] if name.startswith(short) else None
