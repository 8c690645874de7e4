from policykg.loaders.html import html_to_text, looks_like_html
from policykg.loaders.pipeline import parse_source_text

PAGE = """<!DOCTYPE html><html><head><title>标题</title><style>p{color:red}</style></head>
<body><div class="nav">首页</div><p>(一)优化布局。(责任单位:市发改委&amp;市财政局)</p>
<script>var x = "<p>不是正文</p>";</script><p>第二段</p></body></html>"""


def test_visible_text_only_one_line_per_block() -> None:
    text = html_to_text(PAGE).text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == ["首页", "(一)优化布局。(责任单位:市发改委&市财政局)", "第二段"]


def test_spans_point_into_the_markup() -> None:
    mapped = html_to_text(PAGE)
    at = mapped.text.index("市财政局")
    span = mapped.span(at, at + 4)
    assert PAGE[span.start:span.end] == "市财政局"
    amp = mapped.text.index("&")
    assert PAGE[mapped.span(amp, amp + 1).start:mapped.span(amp, amp + 1).end] == "&amp;"


def test_recognises_pages_but_not_text_mentioning_tags() -> None:
    assert looks_like_html(PAGE)
    assert not looks_like_html("关于<b>的说明")


TASK_TABLE = """<html><body><p>关于推进园区建设的实施方案</p><p>附件：任务分工表</p>
<table border="1"><tr><th>序号</th><th>重点任务</th><th>责任单位</th></tr>
<tr><td><p>1</p></td><td><p>建设智慧园区。</p><p>完善平台功能。</p></td><td><p>市工业和信息化局、</p><p>市大数据局</p></td></tr>
<tr><td>2<td>完善园区配套<td rowspan="2">市住房城乡建设局
<tr><td>3<td>推进污水集中处理
</table>
<table><tr><td><p>一、总体要求</p><table><tr><td>甲</td><td>乙</td></tr></table><p>二、主要任务</p></td><td>栏</td></tr></table>
</body></html>"""


def test_a_table_s_row_is_a_line_its_cells_apart_by_a_tab_and_mapped_to_the_markup() -> None:
    """Cells of several paragraphs, end tags left out, a cell spanning two rows read in each (mapped
    to where it is written); a table that lays out a page (another in one of its cells) keeps a
    line per paragraph."""
    mapped = html_to_text(TASK_TABLE)
    lines = [[cell.strip() for cell in line.split("\t")] for line in mapped.text.splitlines() if line.strip()]
    assert lines == [["关于推进园区建设的实施方案"], ["附件：任务分工表"], ["序号", "重点任务", "责任单位"],
                     ["1", "建设智慧园区。  完善平台功能。", "市工业和信息化局、  市大数据局"],
                     ["2", "完善园区配套", "市住房城乡建设局"], ["3", "推进污水集中处理", "市住房城乡建设局"],
                     ["一、总体要求"], ["甲", "乙"], ["二、主要任务"], ["", "栏"]]
    at = mapped.text.index("市大数据局")
    span = mapped.span(at, at + 5)
    assert TASK_TABLE[span.start:span.end] == "市大数据局"
    spanned = mapped.span(mapped.text.rindex("市住房城乡建设局"), mapped.text.rindex("市住房城乡建设局") + 8)
    assert spanned == mapped.span(mapped.text.index("市住房城乡建设局"), mapped.text.index("市住房城乡建设局") + 8)


def test_a_task_table_on_a_page_gives_its_rows_as_measures() -> None:
    (document,) = parse_source_text(TASK_TABLE, "plan.html")
    assert [(m.measure_id, m.heading, [a.name for a in m.agencies]) for m in document.measures] == [
        ("表1.1", "建设智慧园区", ["市工业和信息化局", "市大数据局"]), ("表1.2", "完善园区配套", ["市住房城乡建设局"]),
        ("表1.3", "推进污水集中处理", ["市住房城乡建设局"])]  # its owner's cell spans rows 2 and 3
    for agency in document.measures[0].agencies:
        assert TASK_TABLE[agency.span.start:agency.span.end] == agency.as_written


def test_a_page_laid_out_by_a_table_beside_a_menu_keeps_its_lines_and_measures() -> None:
    """A row of two cells is data only when each is short: an old site's page sits in one cell of
    many paragraphs, which read as one line lost every measure."""
    items = "".join(f"<p>({n})推进第{n}项工作。(责任单位:区发改局)</p>" for n in "一二三四五六")
    page = (f"<html><body><table><tr><td><a>首页</a><br><a>政务公开</a></td><td><p>关于推进园区建设的实施方案</p>"
            f"<p>一、主要任务</p>{items}</td></tr></table></body></html>")
    (document,) = parse_source_text(page, "page.html")
    assert document.title == "关于推进园区建设的实施方案" and len(document.measures) == 6
