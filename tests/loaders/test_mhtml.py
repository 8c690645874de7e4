import html
from email.charset import BASE64, QP, Charset
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from policykg.loaders.decode import decode_bytes
from policykg.loaders.errors import UnsupportedFormatError
from policykg.loaders.mhtml import is_mhtml, mhtml_page
from policykg.loaders.pipeline import parse_source_text, read_source_file

from ..conftest import SEEDS

PAGE = "<html><head><title>通知</title></head><body><p>开发区</p></body></html>"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def archive(page: str, charset: str = "gb2312", image_first: bool = False, packed: int = BASE64) -> bytes:
    """A page saved whole, as browsers save one: a MIME message of related parts, the page in its
    own charset, packed as base64 or quoted-printable, an image beside it."""
    message = MIMEMultipart("related", type="text/html")
    message["Subject"] = "通知"
    page_charset = Charset(charset)
    page_charset.body_encoding = packed
    parts = [MIMEText(page, "html", page_charset), MIMEImage(GIF, "gif")]
    for part in reversed(parts) if image_first else parts:
        message.attach(part)
    return message.as_bytes()


def seed_as_mhtml() -> tuple[str, bytes]:
    """Seed 000 as a government site's page, a paragraph a line, saved as a web archive."""
    text = (SEEDS / "000_7de621c7132f9bb7.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    return text, archive(f"<!DOCTYPE html><html><head><meta charset=gbk></head><body>{body}</body></html>", "gb18030", packed=QP)


@pytest.mark.parametrize("data", [
    archive(PAGE),
    # as Chrome saves a page: the type's parameters folded onto lines of their own
    b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.gov.cn/a.htm\r\nSubject: a\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"b\"\r\n\r\n"
    b"--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=E5=BC=80</p>\r\n--b--\r\n",
])
def test_archives_are_told_by_their_headers(data: bytes) -> None:
    assert is_mhtml(data)


@pytest.mark.parametrize("data", [
    "开发区\n关于推进开发区建设的实施方案".encode(),
    b"Subject: a plan\n\nMIME-Version: 1.0\nContent-Type: multipart/related\n",  # said in the body, not the headers
    b"From: a@gov.cn\nContent-Type: text/plain\n\nbody",
    PAGE.encode(),
])
def test_text_and_pages_are_no_archives(data: bytes) -> None:
    assert not is_mhtml(data)


@pytest.mark.parametrize("image_first", [False, True])
def test_the_page_is_the_archive_s_html_part_unpacked(image_first: bool) -> None:
    assert mhtml_page(archive(PAGE, image_first=image_first), "a.mht") == PAGE.encode("gb2312")


def test_an_archive_without_a_page_is_refused_naming_the_file() -> None:
    message = MIMEMultipart("related")
    message.attach(MIMEImage(GIF, "gif"))
    with pytest.raises(UnsupportedFormatError, match=r"scan\.mht: the web archive \(MHTML\) holds no HTML page"):
        decode_bytes(message.as_bytes(), "scan.mht")


@pytest.mark.parametrize("charset", ["gb2312", "utf-8", "big5"])
def test_an_archive_is_decoded_as_its_page(charset: str) -> None:
    decoded = decode_bytes(archive(PAGE.replace("开发区", "開發區") if charset == "big5" else PAGE, charset), "a.mht")
    assert "<p>开发区</p>" in decoded.text or "<p>開發區</p>" in decoded.text
    assert decoded.encoding.startswith("mhtml/")


def test_a_policy_in_an_archive_gives_what_its_text_gives_with_spans_in_its_page(tmp_path: Path) -> None:
    text, data = seed_as_mhtml()
    path = tmp_path / "plan.mht"
    path.write_bytes(data)
    source = read_source_file(path)
    from_archive, = source.documents
    from_text, = parse_source_text(text, "plan.txt")
    assert (from_archive.title, from_archive.doc_number) == ("武汉市人民政府关于加快推进开发区改革和创新发展的意见", "武政〔2018〕35号")
    assert [(m.measure_id, [(a.name, a.role) for a in m.agencies]) for m in from_archive.measures] == \
        [(m.measure_id, [(a.name, a.role) for a in m.agencies]) for m in from_text.measures]
    assert len(from_archive.measures) == 16
    page = mhtml_page(data, "plan.mht").decode("gb18030")
    assert source.encoding == "mhtml/gb18030" and b"Content-Transfer-Encoding: quoted-printable" in data
    in_page = [page[a.span.start:a.span.end] for measure in from_archive.measures for a in measure.agencies]
    in_text = [text[a.span.start:a.span.end] for measure in from_text.measures for a in measure.agencies]
    assert in_page == in_text and len(in_page) == 70
