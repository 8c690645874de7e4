"""PDF documents to text, a paragraph a line, as the page lays them out.

A PDF holds lines placed on pages, not paragraphs: pdfminer.six reads the lines and where they lie,
and a line is joined to the one before it where that one runs to the right margin and this one
starts at the left margin, not indented, a page break between them or not (Chinese needs no space
where a line wraps). A centred line of a larger size than the body's goes on a centred line of that
size before it: a title set over two lines. Page numbers (— 3 —, 第3页, 3/12) are left out. A
ruled table's rows are lines of their own, their cells apart by tabs (:mod:`.pdf_tables`), where the
table lies on the page. Offsets of facts found in a PDF point into this text.

A scanned PDF, an image of each page, has no text to read, and is reported so. A PDF is read with
limits, since a small file can unpack to a lot: at most :data:`MAX_PAGES` pages, and streams
that unpack to :data:`MAX_UNPACKED_BYTES` at most, all together, measured a step at a time before
any page is read: Flate (what PDF writers compress with), LZW and run length, and those a filter
after another unpacks again.
"""
from __future__ import annotations

import io
import itertools
import re
import statistics
import zlib
from dataclasses import dataclass
from typing import Iterable, Iterator

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTComponent, LTTextLine
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE,
                               LITERALS_LZW_DECODE, LITERALS_RUNLENGTH_DECODE, PDFStream)
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from .errors import UnsupportedFormatError
from .pdf_tables import Bbox, has_rules_both_ways, middle_inside, ruled_tables

MAX_PAGES = 2000  # a policy runs to tens of pages; past this, a file is not one
MAX_UNPACKED_BYTES = 500_000_000  # what a PDF's compressed streams may unpack to, all together
UNPACK_STEP = 1 << 20  # bytes unpacked at a time while streams are measured
UNMAPPED = re.compile(r"\(cid:\d+\)")  # how pdfminer writes a character its font maps to no Unicode
MAX_UNMAPPED_SHARE = 0.5  # above this share of such characters, the text is not the document's
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
    apart: bool = False  # a table's (its size unmeasured): a paragraph of its own, not one the body's margins
    # are taken from

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


def pdf_text(data: bytes, path: str) -> str:
    """The text of a PDF, a paragraph a line; an :class:`UnsupportedFormatError` naming the file for
    one that cannot be read or holds no text."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        if (unpacked := _unpacked_size(document)) > MAX_UNPACKED_BYTES:
            raise UnsupportedFormatError(path, f"the PDF's streams unpack to more than {MAX_UNPACKED_BYTES:,} bytes "
                                               f"({unpacked:,} read before it stopped)")
        lines = [line for page in _pages(data, document) for line in page
                 if line.apart or not PAGE_NUMBER.match(line.text)]
    except PDFEncryptionError as exc:
        raise UnsupportedFormatError(path, f"the PDF is encrypted: it needs a password to be read ({exc})") from exc
    except (PSException, PdfminerException, ValueError, KeyError, TypeError) as exc:
        raise UnsupportedFormatError(path, f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    if not lines:
        raise UnsupportedFormatError(path, "the PDF holds no text (a scan, an image of each page?)")
    text = "\n".join(_paragraphs(lines))
    if (share := _unmapped_share(text)) > MAX_UNMAPPED_SHARE:
        raise UnsupportedFormatError(path, f"the PDF's fonts give no characters for {share:.0%} of its text, only "
                                           f"codes (fonts without a Unicode map, or named by strings left encrypted)")
    return text


def _unmapped_share(text: str) -> float:
    """The share of a PDF's characters its fonts gave no character for (pdfminer writes each as
    ``(cid:N)``).

    >>> _unmapped_share("园区(cid:12)(cid:7)")
    0.5
    """
    unmapped = UNMAPPED.findall(text)
    return len(unmapped) / max(len(text) - sum(map(len, unmapped)) + len(unmapped), 1)


def _unpacked_size(document: PDFDocument) -> int:
    """What the document's compressed streams unpack to, counted a step at a time and no further
    than just past :data:`MAX_UNPACKED_BYTES` (the streams inside object streams are counted in
    theirs). Nothing unpacked is kept: the pages read their streams themselves."""
    unpacked = 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            if xref.get_pos(objid)[0] is not None:  # an object inside an object stream
                continue
            try:
                stream = document.getobj(objid)
            except PSException:  # a damaged object: pages that need it say so when they are read
                continue
            if isinstance(stream, PDFStream):
                unpacked += _stream_unpacked_size(stream, MAX_UNPACKED_BYTES - unpacked)
            if unpacked > MAX_UNPACKED_BYTES:
                return unpacked
    return unpacked


def _stream_unpacked_size(stream: PDFStream, limit: int) -> int:
    """What a stream's filters that unpack (Flate, LZW, run length) give, each one's output counted,
    up to just past ``limit``: a filter unpacking what another unpacked counts too (zeros packed
    twice over). The last of them is measured a step at a time, not kept; what one before it gives
    is kept to feed the next, as far as ``limit`` allows. The count stops at a filter of images
    (DCT, JBIG2, CCITT), which the text is not read through.

    >>> from pdfminer.psparser import LIT
    >>> stream = PDFStream({"Filter": [LIT("FlateDecode")] * 2}, zlib.compress(zlib.compress(bytes(10**6))))
    >>> _stream_unpacked_size(stream, 10**9), _stream_unpacked_size(stream, 10)  # 991 bytes, then their 10**6
    (1000991, 991)
    """
    filters = [name for name, _ in stream.get_filters()]
    unpacking = [index for index, name in enumerate(filters) if _unpacks(name)]
    if not unpacking:
        return 0
    *before, last = filters[:unpacking[-1] + 1]
    data, counted = _deciphered(stream), 0
    for name in before:
        chunks = _decoded_chunks(name, data)
        if chunks is None:
            return counted
        data = _kept(chunks, limit - counted)
        counted += len(data) if _unpacks(name) else 0
        if counted > limit:
            return counted
    return counted + _measured(_unpacked_chunks(last, data), limit - counted)


def _deciphered(stream: PDFStream) -> bytes:
    """A stream's data as its filters take it: decrypted, in a PDF encrypted with an empty user
    password (readable by anyone; an owner password only restricts copying or printing, as many
    government PDFs do)."""
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        return stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    return data


def _unpacks(name: object) -> bool:
    """Whether a filter unpacks data to more than it was: Flate, LZW, run length."""
    return name in LITERALS_FLATE_DECODE or name in LITERALS_LZW_DECODE or name in LITERALS_RUNLENGTH_DECODE


def _decoded_chunks(name: object, data: bytes) -> Iterator[bytes] | None:
    """What a filter makes of ``data``, a step at a time; ``None`` for a filter of images."""
    if name in LITERALS_ASCII85_DECODE:
        return iter((ascii85decode(data),))
    if name in LITERALS_ASCIIHEX_DECODE:
        return iter((asciihexdecode(data),))
    return _unpacked_chunks(name, data) if _unpacks(name) else None


def _unpacked_chunks(name: object, data: bytes) -> Iterator[bytes]:
    """What a filter that unpacks (:func:`_unpacks`) makes of ``data``, a step at a time."""
    if name in LITERALS_FLATE_DECODE:
        return _inflated(data)
    if name in LITERALS_LZW_DECODE:
        return LZWDecoder(io.BytesIO(data)).run()  # a step for each code (4,096 bytes at most); stops where damaged
    return _run_length_decoded(data)


def _measured(chunks: Iterable[bytes], limit: int) -> int:
    """How many bytes ``chunks`` give, up to just past ``limit``; none of them kept."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            break
    return size


def _kept(chunks: Iterable[bytes], limit: int) -> bytes:
    """The bytes ``chunks`` give, up to just past ``limit``."""
    kept = bytearray()
    for chunk in chunks:
        kept += chunk
        if len(kept) > limit:
            break
    return bytes(kept)


def _inflated(data: bytes) -> Iterator[bytes]:
    """zlib data unpacked :data:`UNPACK_STEP` bytes at a time; as far as it goes where it is
    damaged (the page then reads what it can).

    >>> [len(step) for step in _inflated(zlib.compress(bytes(2_500_000)))]
    [1048576, 1048576, 402848]
    """
    inflater, rest = zlib.decompressobj(), data
    try:
        while rest and not inflater.eof:
            yield inflater.decompress(rest, UNPACK_STEP)
            rest = inflater.unconsumed_tail
    except zlib.error:
        return


def _run_length_decoded(data: bytes) -> Iterator[bytes]:
    """Run-length data (PDF's RunLengthDecode) unpacked, some :data:`UNPACK_STEP` bytes at a time:
    a length byte then as many bytes plus one (0 to 127), or one byte to repeat 257 less it times
    (129 to 255); 128 ends the data, as does its end, even in the middle of a run.

    >>> b"".join(_run_length_decoded(bytes([2]) + b"abc" + bytes([254, ord("z"), 128, 0, ord("!")])))
    b'abczzz'
    """
    step, at = bytearray(), 0
    while at < len(data) and data[at] != 128:
        length = data[at]
        if length < 128:
            step += data[at + 1:at + 2 + length]
            at += 2 + length
        else:
            step += data[at + 1:at + 2] * (257 - length)
            at += 2
        if len(step) >= UNPACK_STEP:
            yield bytes(step)
            step.clear()
    yield bytes(step)


def _pages(data: bytes, document: PDFDocument) -> Iterator[list[Line]]:
    """Each page's lines, laid out (:data:`LAYOUT`), :data:`MAX_PAGES` pages at most. A page that
    may hold a ruled table is read by pdfplumber too (:mod:`.pdf_tables`), opening the PDF for it
    the first time."""
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAYOUT)
    interpreter = PDFPageInterpreter(resources, device)
    plumbed: PDF | None = None
    for number, page in enumerate(itertools.islice(PDFPage.create_pages(document), MAX_PAGES), start=1):
        interpreter.process_page(page)
        layout = device.get_result()
        lines = [(line, text) for line in _text_lines(layout) if (text := line.get_text().strip())]
        if has_rules_both_ways(layout):
            plumbed = plumbed or PDF(io.BytesIO(data))  # its characters are enough: no layout
            yield _with_tables(lines, Page(plumbed, page, page_number=number))
        else:
            yield [_line(line, text) for line, text in lines]


def _with_tables(lines: list[tuple[LTTextLine, str]], page: Page) -> list[Line]:
    """A page's lines (each with its text) from its top; a ruled table's lines, instead of those
    inside it, where it lies."""
    tables = ruled_tables(page)
    placed = [(_top(page, line), _line(line, text)) for line, text in lines
              if not any(_inside(page, line, bbox) for bbox, _ in tables)]
    for bbox, table_lines in tables:
        at = next((index for index, (top, _) in enumerate(placed) if top > bbox[1]), len(placed))
        placed[at:at] = [(bbox[1], Line(text, bbox[0], bbox[2], 0.0, apart=True)) for text in table_lines]
    return [line for _, line in placed]


def _line(line: LTTextLine, text: str) -> Line:
    sizes = [char.size for char in line if isinstance(char, LTChar)]
    return Line(text, line.x0, line.x1, statistics.median(sizes) if sizes else 0.0)


def _top(page: Page, component: LTComponent) -> float:
    """Where a layout's component begins, in points from the page's top, as pdfplumber measures."""
    return page.height - component.y1 + page.mediabox[1]


def _inside(page: Page, line: LTTextLine, bbox: Bbox) -> bool:
    """Whether a line's middle lies inside a box that pdfplumber measures."""
    top, left = _top(page, line), page.mediabox[0]
    return middle_inside(bbox, line.x0 + left, top, line.x1 + left, top + line.height)


def _text_lines(component: LTComponent) -> Iterator[LTTextLine]:
    if isinstance(component, LTTextLine):
        yield component
    elif isinstance(component, Iterable):
        for child in component:
            yield from _text_lines(child)


def _paragraphs(lines: list[Line]) -> Iterator[str]:
    """The lines joined into paragraphs (:meth:`_Margins.continues`)."""
    margins = _Margins.of([line for line in lines if not line.apart] or lines)
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
        if before.apart or line.apart:
            return False
        if self._centred(before) and self._centred(line) and line.size == before.size > self.size:
            return True  # a title set over two lines
        full = before.right >= self.right - FULL_LINE_SLACK * self.size
        flush = line.left <= self.left + INDENT * self.size
        return full and flush and abs(line.size - before.size) < 0.5

    def _centred(self, line: Line) -> bool:
        return abs(line.middle - (self.left + self.right) / 2) < self.size
