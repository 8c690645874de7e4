import codecs
import re

import pytest

from policykg.loaders.decode import decode_bytes
from policykg.loaders.errors import DecodeError, UnsupportedFormatError

TEXT = "武汉市人民政府关于加快推进开发区改革和创新发展的意见"
TRADITIONAL = "開發區高質量發展實施方案。支援東湖高新區建設"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decodes_supported_encodings(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "a.txt")
    assert (decoded.text, decoded.encoding) == (TEXT, encoding)


@pytest.mark.parametrize("text", [TRADITIONAL, "開發區", TRADITIONAL * 50])
def test_big5_is_told_from_gb18030(text: str) -> None:
    decoded = decode_bytes(text.encode("big5"), "tw.txt")
    assert (decoded.text, decoded.encoding) == (text, "big5")


@pytest.mark.parametrize("text", ["开发区", "园区", TEXT * 20])
def test_short_gbk_is_not_read_as_big5(text: str) -> None:
    assert decode_bytes(text.encode("gbk"), "a.txt").text == text


def test_a_few_invalid_utf8_bytes_are_replaced_with_a_warning() -> None:
    decoded = decode_bytes(TEXT.encode() * 100 + b"\xff\xfe" + TEXT.encode() * 100, "a.txt")
    assert decoded.text.count("\ufffd") == 2 and "replaced" in decoded.warning


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"PK\x03\x04rest", b"\x89PNG\r\n\x1a\n", bytes(range(256)) * 4])
def test_refuses_binary_files_naming_the_file(data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError, match="report.txt"):
        decode_bytes(data, "report.txt")


@pytest.mark.parametrize("data, what", [
    (rb"{\rtf1\ansi\ansicpg936 {\fonttbl} \'bf\'aa\'b7\'a2\'c7\'f8}", "a rich text (RTF) document, not text: save it as .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a Word document with a password"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image, not text: recognise its text (OCR)"),
])
def test_documents_of_other_formats_are_refused_saying_what_to_do(data: bytes, what: str) -> None:
    """Sites serve RTF and Word 97-2003 files under .doc and .docx names alike."""
    with pytest.raises(UnsupportedFormatError, match=re.escape(f"plan.docx: the file is ") + ".*" + re.escape(what)):
        decode_bytes(data, "plan.docx")


def test_mixed_encodings_are_reported_not_guessed() -> None:
    with pytest.raises(DecodeError, match="mixed encodings"):
        decode_bytes(TEXT.encode() * 10 + "园区管理".encode("gbk") * 20, "mixed.txt")
