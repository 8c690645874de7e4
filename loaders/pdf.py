"""PDF documents to text, a paragraph a line, as the page lays them out.

A PDF holds lines placed on pages, not paragraphs: pdfminer.six reads the lines and where they lie,
and a line is joined to the one before it where that one runs to the right margin and this one
starts at the left margin, not indented, a page break between them or not (Chinese needs no space
where a line wraps). A centred line of a larger size than the body's goes on a centred line of that
size before it: a title set over two lines. Page numbers (— 3 —, 第3页, 3/12) are left out. Offsets
of facts found in a PDF point into this text.

A scanned PDF, an image of each page, has no text to read, and is reported so.
"""
from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass
from typing import Iterable, Iterator

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTComponent, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.psexceptions import PSException

from .errors import UnsupportedFormatError

MAX_PAGES = 2000  # a policy runs to tens of pages; past this, a file is not one
PAGE_NUMBER = re.compile(r"^\s*(?:[—\-－–_·\s]*\d{1,4}[—\-－–_·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                         r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
FULL_LINE_SLACK = 2.5  # a line ending within this many characters of the right margin runs to it
INDENT = 0.5  # a line starting this many characters right of the left margin is indented
# lines read as the page lays them out: characters closer than four of their widths are one line;
# text boxes in order from the top of the page (a policy is set in one column), not by pdfminer's
# reading-order analysis, which cost a third of the time (173 ms against 121 ms for four pages)
LAYOUT = LAParams(line_margin=0.3, char_margin=4.0, boxes_flow=None)


@dataclass(frozen=True)
class Line:
    """A line of text on a page and where it lies, in points."""

    text: str
    left: float
    right: float
    size: float  # the median size of its characters

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


def pdf_text(data: bytes, path: str) -> str:
    """The text of a PDF, a paragraph a line; an :class:`UnsupportedFormatError` naming the file for
    one that cannot be read or holds no text."""
    try:
        lines = [line for line in _lines(data) if not PAGE_NUMBER.match(line.text)]
    except PDFEncryptionError as exc:
        raise UnsupportedFormatError(path, f"the PDF is encrypted: it needs a password to be read ({exc})") from exc
    except (PSException, ValueError, KeyError, TypeError) as exc:
        raise UnsupportedFormatError(path, f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    if not lines:
        raise UnsupportedFormatError(path, "the PDF holds no text (a scan, an image of each page?)")
    return "\n".join(_paragraphs(lines))


def _lines(data: bytes) -> Iterator[Line]:
    for page in extract_pages(io.BytesIO(data), laparams=LAYOUT, maxpages=MAX_PAGES):
        for line in _text_lines(page):
            text = line.get_text().strip()
            if text:
                sizes = [char.size for char in line if isinstance(char, LTChar)]
                yield Line(text, line.x0, line.x1, statistics.median(sizes) if sizes else 0.0)


def _text_lines(component: LTComponent) -> Iterator[LTTextLine]:
    if isinstance(component, LTTextLine):
        yield component
    elif isinstance(component, Iterable):
        for child in component:
            yield from _text_lines(child)


def _paragraphs(lines: list[Line]) -> Iterator[str]:
    """The lines joined into paragraphs (:meth:`_Margins.continues`)."""
    margins = _Margins.of(lines)
    paragraph = [lines[0].text]
    for before, line in zip(lines, lines[1:]):
        if not margins.continues(before, line):
            yield "".join(paragraph)
            paragraph = []
        paragraph.append(line.text)
    yield "".join(paragraph)


@dataclass(frozen=True)
class _Margins:
    """Where the body's lines start and end, and the size of its characters: their width too, for
    Chinese characters are square."""

    left: float
    right: float
    size: float

    @classmethod
    def of(cls, lines: list[Line]) -> "_Margins":
        """The body's margins: most lines start at the left one; lines of the body end at the right
        one, but for the last of each paragraph (so the ninth of ten, ends sorted)."""
        size = max(statistics.mode(round(line.size, 1) for line in lines), 1.0)
        left = statistics.mode(round(line.left) for line in lines)
        body = sorted(line.right for line in lines if abs(line.left - left) < 1)
        right = body[int(len(body) * 0.9)] if body else max(line.right for line in lines)
        return cls(left, right, size)

    def continues(self, before: Line, line: Line) -> bool:
        """Whether ``line`` goes on the paragraph of the line ``before`` it."""
        if self._centred(before) and self._centred(line) and line.size == before.size > self.size:
            return True  # a title set over two lines
        full = before.right >= self.right - FULL_LINE_SLACK * self.size
        flush = line.left <= self.left + INDENT * self.size
        return full and flush and abs(line.size - before.size) < 0.5

    def _centred(self, line: Line) -> bool:
        return abs(line.middle - (self.left + self.right) / 2) < self.size
