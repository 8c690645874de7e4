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


def government_pdf(title: str, number: str, paragraphs: list[str]) -> bytes:
    """A PDF laid out as a government document is, by ReportLab, its pages' streams compressed."""
    data = io.BytesIO()

    def page_number(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(A4[0] / 2, 40, f"— {document.page} —")

    story = [Paragraph(title, TITLE), Paragraph(number, CENTRED)]
    story += [Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), BODY) for text in paragraphs]
    SimpleDocTemplate(data, pagesize=A4, leftMargin=80, rightMargin=74, topMargin=100, bottomMargin=90,
                      pageCompression=1).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return data.getvalue()


def seed_as_pdf() -> tuple[str, bytes]:
    """The body of seed 000 (from its salutation on), set as a PDF under its title and 文号."""
    text = (SEEDS / "000_7de621c7132f9bb7.txt").read_text(encoding="utf-8")
    body = [line.strip() for line in text[text.index("各区人民政府"):].splitlines() if line.strip()]
    return text, government_pdf("武汉市人民政府关于加快推进开发区改革和创新发展的意见", "武政〔2018〕35号", body)


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


def pdf_bomb(unpacked_mb: int) -> bytes:
    """A one-page PDF, written object by object, whose page's stream is zeros that unpack to
    ``unpacked_mb`` MB from a few hundred times less."""
    packer, chunk = zlib.compressobj(1), bytes(1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(unpacked_mb)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_a_pdf_bomb_is_refused_without_unpacking_it(tmp_path: Path) -> None:
    """510 MB of zeros in a page's stream, from 2.3 MB: measured a step at a time and refused, in a
    process whose peak memory shows the 510 MB were never held."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bomb(510))
    assert path.stat().st_size < 3_000_000
    # the peak as the kernel keeps it for this process image (ru_maxrss would carry the test's over the exec)
    script = ("import sys; from pathlib import Path; from policykg.loaders.decode import decode_bytes\n"
              "try: decode_bytes(Path(sys.argv[1]).read_bytes(), 'bomb.pdf')\n"
              "except Exception as exc: print(exc)\n"
              "print(Path('/proc/self/status').read_text().split('VmHWM:')[1].split()[0])")
    refused, peak_kb = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                                      check=True).stdout.splitlines()
    assert refused.startswith("bomb.pdf: the PDF's streams unpack to more than 500,000,000 bytes")
    assert int(peak_kb) < 300_000


def test_an_encrypted_pdf_is_reported_as_such() -> None:
    data = io.BytesIO()
    canvas = Canvas(data, pagesize=A4, encrypt="a password")
    canvas.setFont(FONT, 16)
    canvas.drawString(80, 700, "关于推进园区建设的实施方案")
    canvas.save()
    with pytest.raises(UnsupportedFormatError, match="locked.pdf: the PDF is encrypted"):
        decode_bytes(data.getvalue(), "locked.pdf")
