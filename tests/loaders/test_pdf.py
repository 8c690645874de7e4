import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from policykg.loaders.decode import decode_bytes
from policykg.loaders.errors import UnsupportedFormatError
from policykg.loaders.pdf import _unpacked_size, pdf_text
from policykg.loaders.pipeline import parse_source_text, read_source_file

from ..conftest import SEEDS

FONT = "STSong-Light"  # one of the CID fonts PDF readers know without embedding
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
# as government documents are set: body in 16 pt with a two-character first-line indent, the title
# larger and centred, the 文号 centred, page numbers as — 1 — at the foot
BODY = ParagraphStyle("body", fontName=FONT, fontSize=16, leading=28, firstLineIndent=32, wordWrap="CJK")
TITLE = ParagraphStyle("title", parent=BODY, fontSize=22, leading=34, alignment=TA_CENTER, firstLineIndent=0)
CENTRED = ParagraphStyle("centred", parent=BODY, alignment=TA_CENTER, firstLineIndent=0)


def government_pdf(title: str, number: str, paragraphs: list[str], encrypt: StandardEncryption | None = None) -> bytes:
    """A PDF laid out as a government document is, by ReportLab, its pages' streams compressed
    (and encrypted, when ``encrypt`` says how)."""
    data = io.BytesIO()

    def page_number(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(A4[0] / 2, 40, f"— {document.page} —")

    story = [Paragraph(title, TITLE), Paragraph(number, CENTRED)]
    story += [Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), BODY) for text in paragraphs]
    SimpleDocTemplate(data, pagesize=A4, leftMargin=80, rightMargin=74, topMargin=100, bottomMargin=90,
                      pageCompression=1, encrypt=encrypt).build(story, onFirstPage=page_number,
                                                                onLaterPages=page_number)
    return data.getvalue()


def seed_as_pdf(encrypt: StandardEncryption | None = None) -> tuple[str, bytes]:
    """The body of seed 000 (from its salutation on), set as a PDF under its title and 文号."""
    text = (SEEDS / "000_7de621c7132f9bb7.txt").read_text(encoding="utf-8")
    body = [line.strip() for line in text[text.index("各区人民政府"):].splitlines() if line.strip()]
    return text, government_pdf("武汉市人民政府关于加快推进开发区改革和创新发展的意见", "武政〔2018〕35号", body, encrypt)


def test_lines_are_joined_into_paragraphs_as_the_page_lays_them_out() -> None:
    """A title over two centred lines is one; a paragraph goes on over its lines and across a page
    break; an indented line starts a paragraph, and so does a line after one that ends short;
    page numbers are left out."""
    _, data = seed_as_pdf()
    lines = pdf_text(data, "plan.pdf").split("\n")
    assert lines[:3] == ["武汉市人民政府关于加快推进开发区改革和创新发展的意见", "武政〔2018〕35号", "各区人民政府,市人民政府各部门:"]
    assert lines[3].startswith("为贯彻落实《国务院办公厅关于促进开发区改革和创新发展的若干意见》(国办发〔2017〕7号)")
    assert lines[4] == "一、优化开发区功能布局"
    across_the_break = next(line for line in lines if line.startswith("(一)准确把握功能定位"))
    assert across_the_break.endswith("各区人民政府〈含开发区管委会,下同〉)")
    assert not any("— " in line for line in lines)


def test_a_policy_in_a_pdf_gives_what_its_text_gives() -> None:
    text, data = seed_as_pdf()
    from_pdf, = parse_source_text(pdf_text(data, "plan.pdf"), "plan.pdf")
    from_text, = parse_source_text(text, "plan.txt")
    assert (from_pdf.title, from_pdf.doc_number, from_pdf.date_issued) == (
        from_text.title, from_text.doc_number, from_text.date_issued) == (
        "武汉市人民政府关于加快推进开发区改革和创新发展的意见", "武政〔2018〕35号", from_text.date_issued)
    assert [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in from_pdf.measures] == \
        [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in from_text.measures]
    assert len(from_pdf.measures) == 16 and sum(len(m.agencies) for m in from_pdf.measures) == 70


def test_spans_point_into_the_pdfs_text(tmp_path: Path) -> None:
    _, data = seed_as_pdf()
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    source = read_source_file(path)
    text = pdf_text(data, "plan.pdf")
    assert source.encoding == "pdf"
    measure = source.documents[0].measures[0]
    assert text[measure.span.start:measure.span.end].startswith("(一)准确把握功能定位")


def test_a_pdf_without_text_is_reported_as_such() -> None:
    data = io.BytesIO()
    canvas = Canvas(data, pagesize=A4)
    canvas.rect(100, 100, 300, 500, fill=1)  # what a scan is to a reader: no text, only marks
    canvas.showPage()
    canvas.save()
    with pytest.raises(UnsupportedFormatError, match="scan.pdf: the PDF holds no text"):
        decode_bytes(data.getvalue(), "scan.pdf")


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDFSyntaxError: No /Root object"),
    (seed_as_pdf()[1][:3000], "PSEOF: Unexpected EOF"),  # cut short
    (b"%PDF-1.4\n" + bytes(range(256)) * 20, "PDFSyntaxError"),
])
def test_a_damaged_pdf_is_refused_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=rf"report.pdf: the PDF cannot be read \({reason}"):
        decode_bytes(data, "report.pdf")


def test_a_pdf_whose_streams_unpack_past_the_limit_is_refused_before_a_page_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, data = seed_as_pdf()
    unpacked = _unpacked_size(PDFDocument(PDFParser(io.BytesIO(data))))
    assert unpacked > 20_000  # four pages of text, compressed
    monkeypatch.setattr("policykg.loaders.pdf.MAX_UNPACKED_BYTES", 10_000)
    monkeypatch.setattr("policykg.loaders.pdf._pages", lambda document: pytest.fail("a page was read"))
    with pytest.raises(UnsupportedFormatError, match="big.pdf: the PDF's streams unpack to more than 10,000 bytes"):
        pdf_text(data, "big.pdf")


def deflated_zeros(megabytes: int) -> bytes:
    """zlib data that unpacks to ``megabytes`` MB of zeros, a few hundred times smaller."""
    packer, chunk = zlib.compressobj(1), bytes(1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def run_length_zeros(megabytes: int) -> bytes:
    """Run-length data (RunLengthDecode) that unpacks to ``megabytes`` MB of zeros: runs of 128 from two bytes."""
    return bytes([129, 0]) * (megabytes * (1 << 20) // 128) + bytes([128])


def lzw_zeros(megabytes: int) -> bytes:
    """LZW data (LZWDecode, whose code widths grow a code early) that unpacks to at least
    ``megabytes`` MB of zeros: after each clear code, a zero, then each code the next in the
    table, one zero longer than the one before, until the table is full (7.4 MB from 5.6 KB)."""
    codes: list[tuple[int, int]] = []  # each code and its width in bits
    made, width = 0, 9
    while made < megabytes * (1 << 20):
        codes += [(256, width), (0, 9)]
        made, width = made + 1, 9
        for code in range(258, 4096):
            codes.append((code, width))
            made += code - 256
            width = {510: 10, 1022: 11, 2046: 12}.get(code, width)
    codes.append((257, width))
    bits = "".join(format(code, f"0{width}b") for code, width in codes)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def twice_deflated_zeros(megabytes: int) -> bytes:
    """zlib data of zlib data that unpacks to ``megabytes`` MB of zeros: some 50,000 times smaller."""
    return zlib.compress(deflated_zeros(megabytes))


def pdf_of_one_stream(filters: bytes, stream: bytes) -> bytes:
    """A one-page PDF, written object by object, whose page's content is ``stream``, packed by ``filters``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream"]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


ZEROS = {"Flate": (b"/FlateDecode", deflated_zeros), "run length": (b"/RunLengthDecode", run_length_zeros),
         "LZW": (b"/LZWDecode", lzw_zeros), "Flate twice": (b"[/FlateDecode /FlateDecode]", twice_deflated_zeros)}


@pytest.mark.parametrize("packing", ZEROS)
def test_each_filter_that_unpacks_is_measured_as_pdfminer_unpacks_it(packing: str) -> None:
    """3 MB of zeros, counted as pdfminer unpacks them; packed twice, what the first filter gave counts too."""
    filters, zeros = ZEROS[packing]
    stream = zeros(3)
    document = PDFDocument(PDFParser(io.BytesIO(pdf_of_one_stream(filters, stream))))
    unpacked = len(document.getobj(4).get_data())
    assert unpacked >= 3 << 20
    first = len(zlib.decompress(stream)) if filters.startswith(b"[") else 0
    assert _unpacked_size(PDFDocument(PDFParser(io.BytesIO(pdf_of_one_stream(filters, stream))))) == unpacked + first


@pytest.mark.parametrize("packing", ZEROS)
def test_a_pdf_bomb_is_refused_without_unpacking_it(tmp_path: Path, packing: str) -> None:
    """510 MB of zeros in a page's stream, from 8.4 MB (run length) to 11 KB (Flate twice):
    measured a step at a time and refused, in a process whose peak memory shows the 510 MB were
    never held (pdfminer's run-length decoding would hold 8 bytes for each)."""
    path = tmp_path / "bomb.pdf"
    filters, zeros = ZEROS[packing]
    path.write_bytes(pdf_of_one_stream(filters, zeros(510)))
    assert path.stat().st_size < 9_000_000
    # the peak as the kernel keeps it for this process image (ru_maxrss would carry the test's over the exec)
    script = ("import sys; from pathlib import Path; from policykg.loaders.decode import decode_bytes\n"
              "try: decode_bytes(Path(sys.argv[1]).read_bytes(), 'bomb.pdf')\n"
              "except Exception as exc: print(exc)\n"
              "print(Path('/proc/self/status').read_text().split('VmHWM:')[1].split()[0])")
    refused, peak_kb = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                                      check=True).stdout.splitlines()
    assert refused.startswith("bomb.pdf: the PDF's streams unpack to more than 500,000,000 bytes")
    assert int(peak_kb) < 300_000


def test_a_pdf_that_forbids_copying_alone_has_its_streams_measured_decrypted() -> None:
    """Encrypted with an empty user password (anyone may open it) and an owner password that
    forbids copying, as many government PDFs are: its streams measure as the same PDF's unlocked
    (read encrypted, their ASCII85 was refused as damaged)."""
    _, unlocked = seed_as_pdf()
    _, locked = seed_as_pdf(StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0))
    assert b"/Encrypt" in locked and b"/Encrypt" not in unlocked
    assert _unpacked_size(PDFDocument(PDFParser(io.BytesIO(locked)))) == \
        _unpacked_size(PDFDocument(PDFParser(io.BytesIO(unlocked)))) > 20_000


def test_a_pdf_that_forbids_copying_alone_is_read_as_the_same_pdf_unlocked() -> None:
    def page(encrypt: StandardEncryption | None) -> bytes:
        data = io.BytesIO()
        canvas = Canvas(data, pagesize=A4, encrypt=encrypt)
        canvas.drawString(80, 700, "Wuhan East Lake High-tech Development Zone: implementation plan")
        canvas.save()
        return data.getvalue()

    locked = page(StandardEncryption("", ownerPassword="owner", canCopy=0, canPrint=0))
    assert b"/Encrypt" in locked
    assert pdf_text(locked, "locked.pdf") == pdf_text(page(None), "plan.pdf") == \
        "Wuhan East Lake High-tech Development Zone: implementation plan"


def test_a_pdf_whose_fonts_give_codes_not_characters_is_refused_naming_the_file() -> None:
    """The same locked PDF names its (not embedded) Chinese font by strings pdfminer leaves
    encrypted, so each character comes out as a code, (cid:3827): refused, not loaded as a
    document titled in codes."""
    _, locked = seed_as_pdf(StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0))
    with pytest.raises(UnsupportedFormatError, match=r"locked.pdf: the PDF's fonts give no characters for 9\d% of "
                                                     r"its text, only codes"):
        decode_bytes(locked, "locked.pdf")


def test_an_encrypted_pdf_is_reported_as_such() -> None:
    data = io.BytesIO()
    canvas = Canvas(data, pagesize=A4, encrypt="a password")
    canvas.setFont(FONT, 16)
    canvas.drawString(80, 700, "关于推进园区建设的实施方案")
    canvas.save()
    with pytest.raises(UnsupportedFormatError, match="locked.pdf: the PDF is encrypted"):
        decode_bytes(data.getvalue(), "locked.pdf")
