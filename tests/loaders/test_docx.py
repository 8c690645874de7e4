import io
import zipfile
from pathlib import Path

import docx
import pytest

from policykg.loaders.decode import decode_bytes
from policykg.loaders.docx import docx_text
from policykg.loaders.errors import UnsupportedFormatError
from policykg.loaders.pipeline import read_source_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""
# a list as Chinese documents number theirs: 一、 then （一） then 1.
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
</w:numbering>"""


def archive(parts: dict[str, str]) -> bytes:
    """A ZIP archive of these parts, by name."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as written:
        for name, text in parts.items():
            written.writestr(name, text)
    return data.getvalue()


def package(body: str, numbering: str | None = NUMBERING, prolog: str = "") -> bytes:
    """A Word package holding ``body`` (the XML inside ``w:body``) and ``numbering``."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
                f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
             "word/_rels/document.xml.rels": DOCUMENT_RELS, "word/document.xml": document}
    return archive(parts | ({"word/numbering.xml": numbering} if numbering else {}))


def corrupted(data: bytes, part: str = "word/document.xml") -> bytes:
    """The package with bytes of a part's compressed data flipped."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    return data[:start] + bytes(byte ^ 0x55 for byte in data[start:start + 40]) + data[start + 40:]


def paragraph(text: str, level: int | None = None, numbered: int = 1) -> str:
    number = "" if level is None else f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{numbered}"/></w:numPr>'
    return f"<w:p><w:pPr>{number}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def saved(document: docx.document.Document) -> bytes:
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_a_word_document_reads_as_word_shows_it() -> None:
    """Made with python-docx on Word's own template: list numbers its styles draw, a table's row a
    line, its cells apart by a tab (but a table of one column, which lays out text: a line per
    paragraph), tabs and breaks; a bullet is no number."""
    document = docx.Document()
    document.add_paragraph("关于推进开发区建设的实施方案")
    document.add_paragraph("主要任务", style="List Number")
    document.add_paragraph("保障措施", style="List Number")
    document.add_paragraph("要点", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "任务", "责任单位"
    table.cell(0, 1).add_paragraph("(部门)")
    layout = document.add_table(rows=1, cols=1)
    layout.cell(0, 0).text = "一、总体要求"
    layout.cell(0, 0).add_paragraph("二、主要任务")
    run = document.add_paragraph("甲").add_run()
    run.add_tab()
    run.add_text("乙")
    assert docx_text(saved(document), "a.docx") == (
        "关于推进开发区建设的实施方案\n1.\t主要任务\n2.\t保障措施\n要点\n任务\t责任单位 (部门)\n一、总体要求\n二、主要任务\n甲\t乙")


def test_chinese_list_numbers_are_drawn_as_word_draws_them() -> None:
    """Each level in its own format; a number starts the levels below it again; a list that
    overrides its start counts apart from the one it shares its levels with."""
    body = "".join(paragraph(text, level, numbered) for text, level, numbered in [
        ("总体要求", 0, 1), ("主要任务", 0, 1), ("优化布局", 1, 1), ("强化招商", 1, 1), ("招商", 2, 1), ("引资", 2, 1),
        ("深化改革", 1, 1), ("组织保障", 0, 1), ("加强领导", 1, 1), ("附则", 0, 2)])
    assert docx_text(package(body), "a.docx").split("\n") == [
        "一、总体要求", "二、主要任务", "（一）优化布局", "（二）强化招商", "1.\t招商", "2.\t引资", "（三）深化改革",
        "三、组织保障", "（一）加强领导", "三、附则"]


def test_deleted_text_field_codes_and_drawings_are_left_out() -> None:
    body = (f"<w:p><w:r><w:t>推进</w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del>"
            f"<w:ins><w:r><w:t>园区</w:t></w:r></w:ins><w:hyperlink><w:r><w:t>建设</w:t></w:r></w:hyperlink>"
            f"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"
            f"<w:r><w:drawing><w:t>图中字</w:t></w:drawing><w:t>。</w:t></w:r></w:p>")
    assert docx_text(package(body, numbering=None), "a.docx") == "推进园区建设。"


def test_a_policy_in_a_word_document_is_read_with_its_measures_and_owners(tmp_path: Path) -> None:
    body = "".join([paragraph("关于推进园区建设的实施方案"), paragraph("主要任务", 0, 2),
                    paragraph("优化布局。推进整合。（责任单位：区发改局、区财政局）", 1, 2),
                    paragraph("强化招商。（牵头单位：区商务局；配合单位：区财政局）", 1, 2)])
    path = tmp_path / "plan.docx"
    path.write_bytes(package(body))
    source = read_source_file(path)
    text = docx_text(path.read_bytes(), "plan.docx")
    (document,) = source.documents
    assert source.encoding == "docx"
    assert [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in document.measures] == [
        ("三.(一)", "优化布局", [("区发改局", "responsible"), ("区财政局", "responsible")]),
        ("三.(二)", "强化招商", [("区商务局", "lead"), ("区财政局", "support")])]
    measure = document.measures[1]
    assert text[measure.span.start:measure.span.end].startswith("（二）强化招商")


def test_a_table_laying_out_a_page_beside_a_menu_keeps_its_paragraphs_as_lines() -> None:
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "政务公开"
    layout.cell(0, 1).text = "关于推进园区建设的实施方案"
    for line in ["一、主要任务", "(一)优化布局。(责任单位:区发改局)", "(二)强化招商。(责任单位:区商务局)", "二、保障措施"]:
        layout.cell(0, 1).add_paragraph(line)
    assert docx_text(saved(document), "a.docx").split("\n") == [
        "政务公开", "关于推进园区建设的实施方案", "一、主要任务", "(一)优化布局。(责任单位:区发改局)",
        "(二)强化招商。(责任单位:区商务局)", "二、保障措施"]


def test_a_task_table_in_a_word_document_gives_its_rows_as_measures(tmp_path: Path) -> None:
    """The 任务分工表 Word attachments hold: each row a measure, its owners in their columns."""
    document = docx.Document()
    document.add_paragraph("关于推进园区建设的实施方案")
    document.add_paragraph("附件：重点任务分工表")
    table = document.add_table(rows=1, cols=4)
    for cell, name in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位"]):
        cell.text = name
    for number, task, lead, support in [("1", "建设智慧园区管理平台", "市工业和信息化局", "市大数据局、市财政局"),
                                        ("2", "完善园区基础设施配套", "市住房城乡建设局", ""),
                                        ("3", "推进园区污水集中处理", "", "")]:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = number, task, lead, support
    table.cell(2, 2).merge(table.cell(3, 2))  # one lead for rows 2 and 3, as Word merges cells down a column
    path = tmp_path / "plan.docx"
    path.write_bytes(saved(document))
    (read,) = read_source_file(path).documents
    assert [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in read.measures] == [
        ("表1.1", "建设智慧园区管理平台", [("市工业和信息化局", "lead"), ("市大数据局", "support"), ("市财政局", "support")]),
        ("表1.2", "完善园区基础设施配套", [("市住房城乡建设局", "lead")]),
        ("表1.3", "推进园区污水集中处理", [("市住房城乡建设局", "lead")])]
    text = docx_text(path.read_bytes(), "plan.docx")
    assert all(text[a.span.start:a.span.end] == a.as_written for m in read.measures for a in m.agencies)


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 cut short", "damaged ZIP archive"),
    (corrupted(package(paragraph("园区建设" * 300))), "damaged ZIP archive.*decompressing"),
    (archive({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"}), "not a Word document"),
    (package(paragraph("甲")[:-6], numbering=None), "not well-formed XML"),
    (package(paragraph("&b;"), prolog='<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'),
     "document type declaration"),
])
def test_a_zip_that_is_no_readable_word_document_is_refused_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=f"report.docx: .*{reason}"):
        decode_bytes(data, "report.docx")


def test_a_part_that_unpacks_past_the_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policykg.loaders.docx.MAX_PART_BYTES", 1000)
    with pytest.raises(UnsupportedFormatError, match="word/document.xml unpacks to [0-9,]+ bytes, above the limit of 1,000"):
        docx_text(package(paragraph("园区" * 1000), numbering=None), "big.docx")
