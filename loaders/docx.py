"""Word documents (.docx, Office Open XML) to text: the body's paragraphs a line each, in order.

Numbers Word draws in front of a list's paragraphs (一、 (一) 1.) are not in the paragraph's text:
they come from ``word/numbering.xml``, so they are rendered here as Word shows them, for the
outline to see. Tables give a line per paragraph of each cell; page headers and footers, notes,
comments, deleted text and field codes are left out. Offsets of facts found in a Word document
point into this text, the document as text.

A package is read with limits, since a small file can unpack to a lot: at most
:data:`MAX_PART_BYTES` for a part, and no part with a document type declaration (Office never
writes one; it is what an entity expansion needs).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Iterator, cast
from xml.etree import ElementTree

from .blocks import holds_data
from .errors import UnsupportedFormatError

DOCUMENT_PART = "word/document.xml"
MAX_PART_BYTES = 100_000_000
# the local names of WordprocessingML elements, whatever the namespace (transitional or strict)
SKIPPED = {"del", "moveFrom", "instrText", "delInstrText", "AlternateContent", "drawing", "pict", "object",
           "footnoteReference", "endnoteReference", "commentReference", "fldChar"}
BREAKS = {"br": "\n", "cr": "\n", "tab": "\t", "noBreakHyphen": "-", "softHyphen": ""}
SUFFIXES = {"tab": "\t", "space": " ", "nothing": ""}
CHINESE_DIGITS = "一二三四五六七八九"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
LEVEL_FIELD = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Level:
    """One level of a list's numbering: how its numbers are written, and from what number."""

    format: str
    text: str  # the label, %1 … %9 standing for the numbers of levels 1 … 9: "（%1）"
    start: int
    suffix: str


def docx_text(data: bytes, path: str) -> str:
    """The text of a Word document's body; an :class:`UnsupportedFormatError` naming the file for a
    ZIP archive that is no Word document, or a damaged one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if DOCUMENT_PART not in package.namelist():
                raise UnsupportedFormatError(path, "the file is a ZIP archive (XLSX, PPTX ...), not a Word document")
            body = _part(package, DOCUMENT_PART, path)
            numbering = Numbering(_part(package, "word/numbering.xml", path), _part(package, "word/styles.xml", path))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise UnsupportedFormatError(
            path, f"the file is a damaged ZIP archive, not a readable Word document ({exc})") from exc
    return "\n".join(_paragraph_texts(cast(ElementTree.Element, body), numbering))


def _part(package: zipfile.ZipFile, name: str, path: str) -> ElementTree.Element | None:
    """A part of the package parsed, or ``None`` when it has none of that name."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise UnsupportedFormatError(path, f"{name} unpacks to {info.file_size:,} bytes, above the limit of "
                                           f"{MAX_PART_BYTES:,}")
    with package.open(info) as member:
        xml = member.read(MAX_PART_BYTES + 1)
    if len(xml) > MAX_PART_BYTES or b"<!DOCTYPE" in xml:
        raise UnsupportedFormatError(
            path, f"{name} is not a part Word writes (too large, or a document type declaration)")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise UnsupportedFormatError(path, f"{name} is not well-formed XML ({exc})") from exc


def _local(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element | None, name: str) -> str | None:
    """A ``w:`` attribute's value by its local name."""
    if element is None:
        return None
    return next((value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == name), None)


def _child(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    return next(_children(element, name), None)


def _children(element: ElementTree.Element | None, name: str) -> Iterator[ElementTree.Element]:
    return (child for child in (element if element is not None else ()) if _local(child) == name)


def _value(element: ElementTree.Element | None, child: str) -> str | None:
    """The ``w:val`` of an element's child: ``<w:start w:val="3"/>`` in a level."""
    return _attribute(_child(element, child), "val")


def _whole(value: str | None, default: int) -> int:
    """A number written in an attribute; ``default`` where it is missing or no number."""
    return int(value) if value and value.isdigit() else default


def _paragraph_texts(element: ElementTree.Element, numbering: "Numbering") -> Iterator[str]:
    """Each paragraph's text in document order, tables' cells included, the list number first; a
    table's row of two cells or more is one line, its cells apart by a tab (:mod:`.task_tables`)."""
    for child in element:
        name = _local(child)
        if name == "p":
            yield numbering.label(_child(child, "pPr")) + "".join(_run_texts(child))
        elif name == "tbl":
            yield from _table_lines(child, numbering)
        elif name not in SKIPPED and name not in ("sectPr", "pPr"):
            yield from _paragraph_texts(child, numbering)


def _table_lines(table: ElementTree.Element, numbering: "Numbering") -> Iterator[str]:
    """A table's rows: each row of data (:func:`~.blocks.holds_data`) a line, its cells apart by a
    tab; a cell merged with the one above it (``w:vMerge``) reads as that one, as Word shows a merged
    cell beside each row it spans. Any other row gives its paragraphs' lines."""
    merged: dict[int, str] = {}  # the text of a cell that starts a merge down its column
    for row in _children(table, "tr"):
        if any(_local(node) == "tbl" for node in row.iter()):  # a table in a cell: one that lays a page out
            yield from _paragraph_texts(row, numbering)
            continue
        paragraphs = [list(_paragraph_texts(cell, numbering)) for cell in _children(row, "tc")]
        cells, column = [], 0
        for cell, texts in zip(_children(row, "tc"), paragraphs):
            text = " ".join(texts).replace("\t", " ")
            merge = _child(_child(cell, "tcPr"), "vMerge")
            if merge is None:
                merged.pop(column, None)
            elif _attribute(merge, "val") == "restart":
                merged[column] = text
            else:
                text = merged.get(column, text)
            cells.append(text)
            column += _whole(_value(_child(cell, "tcPr"), "gridSpan"), 1)
        if holds_data([[text for text in texts if text.strip()] for texts in paragraphs]):
            yield "\t".join(cells)
        else:
            yield from (text for texts in paragraphs for text in texts)


def _run_texts(element: ElementTree.Element) -> Iterator[str]:
    """The text of a paragraph's runs: hyperlinks, insertions and fields' results included."""
    for child in element:
        name = _local(child)
        if name == "t":
            yield child.text or ""
        elif name in BREAKS:
            yield BREAKS[name]
        elif name not in SKIPPED and name != "pPr":
            yield from _run_texts(child)


class Numbering:
    """The numbers Word draws before list paragraphs, counted as the paragraphs come.

    A paragraph is in a list by its own ``w:numPr`` or by its style's (followed through
    ``w:basedOn``); each list (``w:num``) counts apart, and a number at one level starts the
    levels below it again.
    """

    def __init__(self, numbering: ElementTree.Element | None, styles: ElementTree.Element | None) -> None:
        self.lists = _lists(numbering)
        self.styles = {_attribute(style, "styleId") or "": style for style in _children(styles, "style")}
        self.counts: dict[str, list[int]] = {}

    def label(self, properties: ElementTree.Element | None) -> str:
        """The number of the paragraph with these ``w:pPr``, as Word draws it, or ``""``."""
        number, level = self._list_and_level(properties)
        levels = self.lists.get(number or "", {})
        if level not in levels:
            return ""
        counts = self.counts.setdefault(number or "", [levels[n].start - 1 if n in levels else 0 for n in range(9)])
        counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = levels[deeper].start - 1 if deeper in levels else 0
        shown = levels[level]
        if shown.format in ("none", "bullet"):  # a bullet is no number: the outline has nothing to read in it
            return ""
        text = LEVEL_FIELD.sub(lambda field: _written(counts[int(field[1]) - 1], levels.get(int(field[1]) - 1, shown)),
                               shown.text)
        return text + shown.suffix if text else ""

    def _list_and_level(self, properties: ElementTree.Element | None) -> tuple[str | None, int]:
        """The list (``w:numId``) and level of a paragraph, its own or its style's."""
        own = _child(properties, "numPr")
        number, level = _value(own, "numId"), _value(own, "ilvl")
        style, seen = _value(properties, "pStyle"), set()
        while (number is None or level is None) and style and style not in seen:
            seen.add(style)
            node = self.styles.get(style)
            numbered = _child(_child(node, "pPr"), "numPr")
            number, level = number or _value(numbered, "numId"), level or _value(numbered, "ilvl")
            style = _value(node, "basedOn")
        return number, _whole(level, 0)


def _lists(numbering: ElementTree.Element | None) -> dict[str, dict[int, Level]]:
    """Each list's levels by its ``w:numId``: those of its abstract list, with its own starts."""
    abstract = {_attribute(node, "abstractNumId"): _levels(node) for node in _children(numbering, "abstractNum")}
    lists = {}
    for node in _children(numbering, "num"):
        levels = dict(abstract.get(_value(node, "abstractNumId"), {}))
        for override in _children(node, "lvlOverride"):
            level, start = _whole(_attribute(override, "ilvl"), 0), _value(override, "startOverride")
            if level in levels and start is not None:
                levels[level] = replace(levels[level], start=_whole(start, 1))
        lists[_attribute(node, "numId") or ""] = levels
    return lists


def _levels(abstract: ElementTree.Element) -> dict[int, Level]:
    return {_whole(_attribute(node, "ilvl"), 0): Level(
                _value(node, "numFmt") or "decimal", _value(node, "lvlText") or "", _whole(_value(node, "start"), 1),
                SUFFIXES.get(_value(node, "suff") or "tab", "\t"))
            for node in _children(abstract, "lvl")}


def _written(count: int, level: Level) -> str:
    """A list number in a level's format.

    >>> [_written(n, Level(f, "", 1, "")) for n, f in [(12, "chineseCounting"), (3, "ideographTraditional"),
    ...     (2, "decimalEnclosedCircle"), (4, "upperRoman"), (28, "lowerLetter")]]
    ['十二', '丙', '②', 'IV', 'bb']
    """
    if level.format in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
                        "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand") and 0 < count < 100:
        return chinese_numeral(count)
    if level.format == "ideographTraditional" and 0 < count <= len(HEAVENLY_STEMS):
        return HEAVENLY_STEMS[count - 1]
    if level.format.startswith("decimalEnclosedCircle") and 0 < count <= 20:
        return chr(ord("①") + count - 1)
    if level.format == "decimalFullWidth":
        return "".join(chr(ord(digit) + 0xFEE0) for digit in str(count))
    if level.format in ("lowerLetter", "upperLetter") and count > 0:
        letter = chr(ord("a") + (count - 1) % 26) * ((count - 1) // 26 + 1)
        return letter.upper() if level.format == "upperLetter" else letter
    if level.format in ("lowerRoman", "upperRoman") and 0 < count < 4000:
        return roman(count).lower() if level.format == "lowerRoman" else roman(count)
    return str(count)


def chinese_numeral(number: int) -> str:
    """1 to 99 in Chinese numerals, as outlines write them.

    >>> [chinese_numeral(n) for n in (1, 10, 11, 20, 22, 99)]
    ['一', '十', '十一', '二十', '二十二', '九十九']
    """
    tens, ones = divmod(number, 10)
    written = ("" if tens < 2 else CHINESE_DIGITS[tens - 1]) + ("十" if tens else "")
    return written + (CHINESE_DIGITS[ones - 1] if ones else "")


def roman(number: int) -> str:
    """A number in Roman numerals.

    >>> roman(1994)
    'MCMXCIV'
    """
    written = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        written += numeral * count
    return written
