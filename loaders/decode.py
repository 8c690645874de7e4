"""Bytes to text: detect the encoding, refuse what is not text.

Supported: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (a superset of GBK and GB2312).
A file that decodes under none of them is reported, never guessed.
"""
from __future__ import annotations

import codecs

from .errors import DecodeError, UnsupportedFormatError

# magic numbers of binary formats that are sometimes saved under a .txt name
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (DOCX, XLSX ...)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an OLE document (DOC, XLS ...)",
    b"\x1f\x8b": "a gzip archive",
}


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a file's bytes.

    >>> decode_bytes("开发区".encode("gb18030"), "x.txt")
    ('开发区', 'gb18030')
    >>> decode_bytes(codecs.BOM_UTF16_LE + "园区".encode("utf-16-le"), "x.txt")
    ('园区', 'utf-16')
    """
    for magic, what in BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise UnsupportedFormatError(path, f"the file is {what}, not text")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data[:4096]:
        raise UnsupportedFormatError(path, "the file holds NUL bytes and no UTF-16 byte-order mark: binary data")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError(path, "the bytes are not valid UTF-8, UTF-16 (with BOM) or GB18030")


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(path, f"invalid {encoding} at byte {exc.start}") from exc
