import codecs

import pytest

from policykg.loaders.decode import decode_bytes
from policykg.loaders.errors import DecodeError, UnsupportedFormatError

TEXT = "武汉市人民政府关于加快推进开发区改革和创新发展的意见"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_decodes_supported_encodings(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "a.txt") == (TEXT, encoding)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"PK\x03\x04rest", b"\x89PNG\r\n\x1a\n", b"ab\x00\x00cd"])
def test_refuses_binary_files_naming_the_file(data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError, match="report.txt"):
        decode_bytes(data, "report.txt")


def test_undecodable_bytes_are_reported_not_guessed() -> None:
    with pytest.raises(DecodeError, match="not valid UTF-8, UTF-16 .* or GB18030"):
        decode_bytes(b"\x81\x20\xff\xfe\x80abc", "bad.txt")
