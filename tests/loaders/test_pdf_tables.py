import io
from pathlib import Path

from pdfminer.layout import LTLine, LTPage, LTRect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from policykg.loaders.pdf import pdf_text
from policykg.loaders.pdf_tables import has_rules_both_ways
from policykg.loaders.pipeline import parse_source_text, read_source_file

from ..conftest import SEEDS
from .test_pdf import BODY, FONT, TITLE

CELL = ParagraphStyle("cell", fontName=FONT, fontSize=12, leading=18, wordWrap="CJK")
HEADER = ["序号", "重点任务", "牵头单位", "配合单位"]
ROWS = [["1", "建设智慧园区，推进园区基础设施数字化改造，打造一批示范项目。", "市工信局", "市财政局、市大数据局、市发展改革委"],
        ["2", "优化营商环境。", "市发展改革委", "各开发区管委会"]]


def plan_with_table(rows: list[list[str]], commands: tuple[tuple[object, ...], ...] = (),
                    widths: tuple[int, ...] = (40, 220, 90, 100), cell: ParagraphStyle = CELL) -> bytes:
    """A plan whose annex is a task table ruled in a grid, set by ReportLab as Word sets one (each
    cell a paragraph that wraps; the header repeated atop each page the table runs to)."""
    data = io.BytesIO()
    table = Table([[Paragraph(text, cell) for text in row] for row in [HEADER, *rows]], colWidths=list(widths),
                  repeatRows=1, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *commands]))
    story = [Paragraph("某市人民政府关于推进开发区高质量发展的实施方案", TITLE),
             Paragraph("各区人民政府,市政府各部门:", BODY),
             Paragraph("为推进开发区高质量发展,制定本方案。", BODY),
             Paragraph("附件", BODY), Paragraph("重点任务分工表", BODY), table,
             Paragraph("以上任务请各单位认真落实。", BODY)]
    SimpleDocTemplate(data, pagesize=A4).build(story)
    return data.getvalue()


def _measures(data: bytes) -> list[tuple[str, str, list[tuple[str, str]]]]:
    document, = parse_source_text(pdf_text(data, "plan.pdf"), "plan.pdf")
    return [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in document.measures]


def test_a_ruled_task_table_gives_the_measures_its_rows_give_as_text() -> None:
    """Each row a line, its cells apart by tabs, as a Word table's text; a cell's wrapped lines one text."""
    text = pdf_text(plan_with_table(ROWS), "plan.pdf")
    assert "\n".join(["\t".join(row) for row in [HEADER, *ROWS]]) in text
    assert text.endswith("\n以上任务请各单位认真落实。")
    as_text, = parse_source_text(text.replace(text[text.index("序号"):], "\n".join(
        "\t".join(row) for row in [HEADER, *ROWS])), "plan.txt")
    assert _measures(plan_with_table(ROWS)) == [
        (m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in as_text.measures] == [
        ("表1.1", "建设智慧园区，推进园区基础设施数字化改造，打造一批示范项目",
         [("市工信局", "lead"), ("市财政局", "support"), ("市大数据局", "support"), ("市发展改革委", "support")]),
        ("表1.2", "优化营商环境", [("市发展改革委", "lead"), ("各开发区管委会", "support")])]


def test_a_table_over_two_pages_goes_on_under_its_header_repeated() -> None:
    rows = [[str(n), f"落实第{n}项任务。", "市商务局", "市财政局"] for n in range(1, 41)]
    measures = _measures(plan_with_table(rows))
    assert [m[0] for m in measures] == [f"表1.{n}" for n in range(1, 41)]
    assert all(owners == [("市商务局", "lead"), ("市财政局", "support")] for *_, owners in measures)


def test_a_cell_merged_down_its_column_owns_each_row_it_spans() -> None:
    rows = [["1", "建设智慧园区。", "市工信局", "市财政局"], ["2", "建设数字园区。", "", "市大数据局"]]
    measures = _measures(plan_with_table(rows, (("SPAN", (2, 1), (2, 2)),)))
    assert measures == [("表1.1", "建设智慧园区", [("市工信局", "lead"), ("市财政局", "support")]),
                        ("表1.2", "建设数字园区", [("市工信局", "lead"), ("市大数据局", "support")])]


def test_a_row_across_the_table_names_a_group_and_the_table_goes_on() -> None:
    rows = [["一、优化布局", "", "", ""], ["1", "推进园区整合。", "市发展改革委", "市财政局"],
            ["二、强化招商", "", "", ""], ["2", "开展精准招商。", "市商务局", "市财政局"]]
    data = plan_with_table(rows, (("SPAN", (0, 1), (-1, 1)), ("SPAN", (0, 3), (-1, 3))))
    lines = pdf_text(data, "plan.pdf").split("\n")
    assert "一、优化布局" in lines and "二、强化招商" in lines
    assert [m[:2] for m in _measures(data)] == [("表1.1", "推进园区整合"), ("表1.2", "开展精准招商")]


def test_names_a_line_each_in_a_cell_stay_apart() -> None:
    """A line that ends short of the cell's right edge ends its paragraph: two names, not one."""
    rows = [["1", "建设智慧园区。", "市工信局", "市财政局<br/>市商务局"]]
    assert _measures(plan_with_table(rows)) == [
        ("表1.1", "建设智慧园区", [("市工信局", "lead"), ("市财政局", "support"), ("市商务局", "support")])]


def test_names_a_line_each_in_a_centred_cell_stay_apart_and_a_wrapped_list_is_one() -> None:
    rows = [["1", "建设智慧园区。", "市工信局", "市财政局<br/>市商务局"],
            ["2", "优化营商环境。", "市发展改革委", "市财政局、市大数据局、市发展改革委"]]
    centred = ParagraphStyle("centred", parent=CELL, alignment=TA_CENTER)
    assert _measures(plan_with_table(rows, cell=centred)) == [
        ("表1.1", "建设智慧园区", [("市工信局", "lead"), ("市财政局", "support"), ("市商务局", "support")]),
        ("表1.2", "优化营商环境", [("市发展改革委", "lead"), ("市财政局", "support"), ("市大数据局", "support"),
                                   ("市发展改革委", "support")])]


def test_an_owner_s_span_points_at_its_name_in_the_pdf_s_text(tmp_path: Path) -> None:
    data = plan_with_table(ROWS)
    (tmp_path / "plan.pdf").write_bytes(data)
    document, = read_source_file(tmp_path / "plan.pdf").documents
    text = pdf_text(data, "plan.pdf")
    agencies = [a for m in document.measures for a in m.agencies]
    assert len(agencies) == 6
    assert all(text[a.span.start:a.span.end] == a.as_written for a in agencies)


def test_a_frame_round_the_page_is_no_table() -> None:
    """A page drawn in a frame ruled across under its head (boxes of rules both ways, one above
    the other) reads as the same page without it."""
    text = (SEEDS / "000_7de621c7132f9bb7.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text[text.index("各区人民政府"):].splitlines() if line.strip()]

    def framed(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.rect(50, 50, A4[0] - 100, A4[1] - 100)
        canvas.line(50, A4[1] - 120, A4[0] - 50, A4[1] - 120)

    def pdf(frame: bool) -> str:
        data = io.BytesIO()
        on_page = framed if frame else (lambda canvas, document: None)
        SimpleDocTemplate(data, pagesize=A4).build([Paragraph(line, BODY) for line in lines], onFirstPage=on_page,
                                                   onLaterPages=on_page)
        return pdf_text(data.getvalue(), "plan.pdf")

    assert pdf(frame=True) == pdf(frame=False)
    assert pdf(frame=True).count("\n") > 20


def test_only_a_page_with_rules_upright_and_level_is_searched_for_tables() -> None:
    def page(*items: LTLine | LTRect) -> LTPage:
        laid_out = LTPage(1, (0, 0, 595, 842))
        for item in items:
            laid_out.add(item)
        return laid_out

    red_rule = LTLine(2, (80, 700), (515, 700))  # under a red header
    assert not has_rules_both_ways(page(red_rule))
    assert has_rules_both_ways(page(red_rule, LTLine(0.5, (80, 100), (80, 600))))
    assert has_rules_both_ways(page(LTRect(0.5, (80, 100, 515, 600))))
