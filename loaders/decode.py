"""Bytes to text: detect the encoding, refuse what is not text.

A Word document (.docx, a ZIP package) is read as Word shows it (:mod:`.docx`), a PDF as its pages
lay it out (:mod:`.pdf`), a web archive (.mht) as its page (:mod:`.mhtml`). For text, the order of
trust: a byte-order mark (UTF-8, UTF-16); strict UTF-8; UTF-16 without a mark when the bytes read as
plausible text that way; the legacy Chinese encodings, GB18030 (a superset of GBK and GB2312) and
Big5. Those two decode each other's bytes without error, into nonsense, so both readings are made
and the one whose characters are common Chinese wins (:func:`commonness`). UTF-8 with a few invalid
bytes is decoded with U+FFFD in their place and a warning; a file that is mostly not any of these is
reported, never guessed.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .errors import DecodeError, UnsupportedFormatError
from .mhtml import is_mhtml, mhtml_page
from .script import HAN, CharMemo, opencc_converter

SAVE_AS, UNPACK = "save it as .docx, PDF or text to load it", "unpack it and build the folder"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003, WPS and Excel files, and Word documents with a password
# magic numbers of formats that are sometimes saved under a .txt, .html or .docx name: what each is,
# and what to do where a policy may be in it
FOREIGN_SIGNATURES: dict[bytes, tuple[str, str]] = {
    b"\x89PNG": ("a PNG image", "recognise its text (OCR) to load it"),
    b"\xff\xd8\xff": ("a JPEG image", "recognise its text (OCR) to load it"),
    b"GIF8": ("a GIF image", "recognise its text (OCR) to load it"),
    OLE_MAGIC: ("an OLE document (a Word 97-2003, WPS or Excel file, or a Word document with a "
                "password)", SAVE_AS),
    b"{\\rtf": ("a rich text (RTF) document", SAVE_AS),
    b"\x1f\x8b": ("a gzip archive", UNPACK),
    b"\x7fELF": ("an executable", "leave it out"),
}
ZIP_MAGIC, PDF_MAGIC = b"PK\x03\x04", b"%PDF"  # a Word package, a PDF
LEGACY_ENCODINGS = ("gb18030", "big5")  # on a tie, the first wins: mainland sources are the most common
MAX_INVALID_UTF8 = 0.002  # above this share of invalid bytes, a file is not "UTF-8 with a few bad bytes"
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""


def decode_bytes(data: bytes, path: str) -> Decoded:
    """The text of a file's bytes, the encoding it was read with, and any warning.

    >>> decode_bytes("开发区".encode("gb18030"), "x.txt").encoding
    'gb18030'
    >>> decode_bytes(codecs.BOM_UTF16_LE + "园区".encode("utf-16-le"), "x.txt").text
    '园区'
    """
    if data.startswith(ZIP_MAGIC):  # the readers of documents load where one is read (pdfminer: 0.3 s)
        from .docx import docx_text

        return Decoded(docx_text(data, path), "docx")
    if data.startswith(PDF_MAGIC):
        from .pdf import pdf_text

        return Decoded(pdf_text(data, path), "pdf")
    for magic, (what, advice) in FOREIGN_SIGNATURES.items():
        if data.startswith(magic):
            raise UnsupportedFormatError(path, f"the file is {what}, not text: {advice}")
    if is_mhtml(data):
        page = decode_bytes(mhtml_page(data, path), path)
        return Decoded(page.text, f"mhtml/{page.encoding}", page.warning)
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(data, "utf-16", path), "utf-16")
    if b"\x00" in data[:4096]:
        return _utf16_without_bom(data, path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _legacy(data, path) or _mostly_utf8(data, path)


def _utf16_without_bom(data: bytes, path: str) -> Decoded:
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return Decoded(text, encoding, f"read as {encoding.upper()} without a byte-order mark")
    raise UnsupportedFormatError(path, "the file holds NUL bytes and is not UTF-16 text: binary data")


def _legacy(data: bytes, path: str) -> Decoded | None:
    readings: list[tuple[float, int, Decoded]] = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            readings.append((commonness(text), -len(readings), Decoded(text, encoding)))
    return max(readings, key=lambda r: r[:2])[2] if readings else None


def commonness(text: str) -> float:
    """Share of the Chinese characters that are among the 3,755 most common (GB2312 level 1), once
    in simplified script: high for a right reading, low for bytes read in the wrong encoding.

    >>> commonness("开发区建设") > commonness("秨祇跋蔼借")
    True
    """
    chars = HAN.findall(text[:20_000])
    if not chars:
        return 0.0
    return sum(map(COMMON.__getitem__, chars)) / len(chars)


def _is_common(char: str) -> bool:
    simplified = opencc_converter("t2s").convert(char)
    try:
        first = simplified.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xB0 <= first <= 0xD7


COMMON = CharMemo(_is_common)  # whether a character is common (GB2312 level 1), once simplified


def _mostly_utf8(data: bytes, path: str) -> Decoded:
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    if invalid and invalid / max(len(data), 1) <= MAX_INVALID_UTF8:
        return Decoded(text, "utf-8", f"{invalid} invalid UTF-8 byte sequences replaced by U+FFFD")
    raise DecodeError(path, "the bytes are not valid UTF-8, UTF-16, GB18030 or Big5 "
                            f"({invalid} invalid UTF-8 sequences: mixed encodings or binary data)")


def _plausible(text: str) -> bool:
    """Text, not bytes forced into characters: few control or private-use characters."""
    sample = text[:20_000]
    return bool(sample.strip()) and len(UNPRINTABLE.findall(sample)) <= len(sample) * 0.01


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(path, f"invalid {encoding} at byte {exc.start}") from exc
