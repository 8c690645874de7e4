"""A corpus of bad inputs, built in one batch with good ones: every file gets a clear status and
reason, in the load report and on stderr, every good file is loaded in full, and the exit status
says that something failed."""
from __future__ import annotations

import base64
import codecs
import io
import json
import os
import random
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from policykg.exports.cli import main
from policykg.loaders.pipeline import parse_source_text

from ..conftest import SEEDS
from ..loaders.test_pdf import government_pdf

GOOD = (SEEDS / "000_7de621c7132f9bb7.txt").read_text(encoding="utf-8")
PLAN = "关于推进园区建设的实施方案\n二、主要任务\n(一)优化布局。推进整合。(责任单位:区发改局、区财政局)\n(二)强化招商。(责任单位:区商务局)\n"
TRADITIONAL = "園區發展實施方案\n二、主要任務\n(一)最佳化營商環境。支援園區建設。(責任單位:市發改委、市財政局)\n"
random.seed(7)


def word_document(lines: str) -> bytes:
    """A Word document with a paragraph for each line, saved by python-docx."""
    document = docx.Document()
    for line in lines.splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


# name -> (bytes, expected status, words the reason must contain)
CASES: dict[str, tuple[bytes, str, str]] = {
    "empty.txt": (b"", "failed", "no policy text"),
    "whitespace.txt": (" \n\t\n\u3000\n".encode(), "failed", "no policy text"),
    "boilerplate_only.txt": ("本文链接:http://x\n浏览次数:3\n扫描二维码 关注我们\n".encode(), "failed", "no policy text"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(200), "failed", "PNG image"),
    "archive.txt": (b"PK\x03\x04" + bytes(100), "failed", "ZIP archive"),
    "word.txt": (b"PK\x03\x04\x14\x00\x06\x00word/document.xml" + bytes(50), "failed", "ZIP archive"),
    "plan.docx": (word_document(PLAN), "loaded-with-warnings", "a copy of plan_saved_as.txt (the same bytes)"),
    "plan_saved_as.txt": (word_document(PLAN), "loaded-with-warnings", "a copy of plan.docx (the same bytes)"),
    "truncated.docx": (word_document(PLAN)[:2000], "failed", "damaged ZIP archive"),
    "plan.pdf": (government_pdf("关于推进园区建设的实施方案", "区政〔2024〕3号", PLAN.splitlines()[1:]), "loaded", ""),
    "report.pdf.txt": (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "failed", "the PDF cannot be read"),
    "random.txt": (bytes(random.randrange(256) for _ in range(5000)), "failed", "binary"),
    "mixed_encodings.txt": (PLAN.encode() * 3 + "园区管理办法,责任单位".encode("gbk") * 20, "failed", "mixed encodings"),
    "utf8_bom_then_gbk.txt": (codecs.BOM_UTF8 + PLAN.encode("gbk"), "failed", "invalid utf-8"),
    "huge.txt": (b"", "failed", "above the limit"),  # made sparse below: 100 MB without writing them
    "gbk.txt": (PLAN.encode("gbk"), "loaded", ""),
    "gb18030.txt": ((PLAN + "𠀀").encode("gb18030"), "loaded", ""),
    "big5.txt": (TRADITIONAL.encode("big5"), "loaded", ""),
    "line_separators.txt": (PLAN.replace("\n", "\u2028").encode(), "loaded", ""),  # as scripts' strings hold lines
    "utf16_bom.txt": (codecs.BOM_UTF16_LE + PLAN.encode("utf-16-le"), "loaded", ""),
    "utf16_no_bom.txt": (PLAN.encode("utf-16-be"), "loaded-with-warnings", "without a byte-order mark"),
    "invalid_utf8_mid.txt": (GOOD.encode()[:6000] + b"\xff\xfe\xfd" + GOOD.encode()[6000:], "loaded-with-warnings", "replaced"),
    "numbering_skips_repeats.txt": ("方案\n二、主要任务\n(一)甲。(责任单位:区发改局)\n(三)乙。\n(三)丙。\n(二)丁。\n5.戊。\n".encode(), "loaded", ""),
    "unclosed_title.txt": ("方案\n根据《某某办法,推进。\n二、主要任务\n(一)甲。(责任单位:区发改局)\n".encode(), "loaded", ""),
    "unclosed_bracket.txt": ("方案\n二、主要任务\n(一)甲。(责任单位:区发改局、区财政".encode(), "loaded", ""),
    "brackets_cut_mid_list.txt": ("方案\n二、主要任务\n(一)甲。(责任单位:区发改局、\n(二)乙。(牵头单位:区商务局;配合单位:\n".encode(), "loaded", ""),
    "no_title.txt": ("二、主要任务\n(一)优化布局。(责任单位:区发改局)\n".encode(), "loaded", ""),
    "page.html": (("<!DOCTYPE html><html><head><style>p{x:1}</style><script>var a='(责任单位:假)';</script></head><body>"
                   "<p>关于推进园区建设的实施方案</p><p>二、主要任务</p><p>(一)优化布局。(责任单位:区发改局)</p>"
                   "<script>document.write('<p>(二)假措施。(责任单位:假局)</p>')</script></body></html>").encode(), "loaded", ""),
    "pinyin_noise.txt": ("关于推进园区發(fā)展的方案\n二、主要任务\n(一)加(jiā)快发展。(责任单位:区发改局)\n".encode(), "loaded", ""),
    "control_characters.txt": (("方案\x07\n二、主要任务\x0b\n(一)甲。\x1b(责任单位:区发改局)\n").encode(), "loaded", ""),
    "deep_brackets.txt": (("方案\n二、主要任务\n(一)" + "(" * 500 + "甲" + ")" * 500 + "。(责任单位:区发改局)\n").encode(), "loaded", ""),
    "hostile_markup.txt": ("方案\n二、主要任务\n(一)<script>alert(1)</script>。(责任单位:=HYPERLINK(\"x\")局)\n".encode(), "loaded", ""),
    "long_line.txt": (b"", "loaded", ""),  # a single 5 MB line, made below
    "good_copy.txt": (GOOD.encode(), "loaded-with-warnings",
                      "the same document (title and 文号) as invalid_utf8_mid.txt"),
    "traditional.txt": (TRADITIONAL.encode(), "loaded", ""),
    "notes.md": (b"# not a policy file", "skipped", "not a text, HTML, web archive (.mht), Word (.docx) or PDF file"),
    "plan.doc": (b"\xd0\xcf\x11\xe0" + bytes(100), "skipped", "a Word 97-2003 or WPS document (.doc): save it as .docx"),
    # what sites serve under .doc names besides Word 97-2003 files: pages, read as pages, and RTF
    "served_page.doc": (f"<html><body><p>{'</p><p>'.join(PLAN.replace('区发改局', '区商务局').splitlines())}</p></body></html>"
                        .encode("gb18030"), "loaded", ""),
    "served_rtf.doc": (rb"{\rtf1\ansi\ansicpg936 \'bf\'aa}", "failed", "a rich text (RTF) document, not text: save it"),
    "not_found.pdf": (b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>"
                      b"<hr><center>nginx</center></body></html>", "failed", "error page (404 Not Found)"),
    "deleted.html": ("<html><body><div>对不起,您访问的页面不存在或已被删除!</div><a href='/'>返回首页</a></body></html>".encode(),
                     "failed", "error page (页面不存在)"),
    "rich_text.docx": (rb"{\rtf1\ansi\ansicpg936 \'bf\'aa\'b7\'a2\'c7\'f8}", "failed", "a rich text (RTF) document, not text"),
    "saved_page.mht": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n"
                       b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                       + base64.encodebytes(
                           f"<html><body><p>{'</p><p>'.join(PLAN.splitlines())}</p></body></html>".encode())
                       + b"--b--\r\n", "loaded", ""),
    "plans.zip": (b"PK\x03\x04" + bytes(100), "skipped", "a ZIP archive (.zip): unpack it and build the folder"),
    "plan.ofd": (b"PK\x03\x04" + bytes(100), "skipped", "an OFD document (版式文档) (.ofd): save it as PDF to load it"),
}


def _make_corpus(folder: Path) -> None:
    for name, (data, _, _) in CASES.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(100_000_000)
    prose = "推进开发区高质量发展,坚持创新驱动,优化营商环境,加快产业集聚。" * 12
    line = " ".join(PLAN.replace("\n", " ") if i % 40 == 0 else prose for i in range(5_000_000 // len(prose.encode())))
    (folder / "long_line.txt").write_text(line, encoding="utf-8")
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop", target_is_directory=True)
    (folder / "link_a.txt").symlink_to(folder / "link_b.txt")
    (folder / "link_b.txt").symlink_to(folder / "link_a.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "locked.txt").write_text(PLAN, encoding="utf-8")
    os.chmod(folder / "locked.txt", 0)
    os.mkfifo(folder / "pipe.txt")  # opened to read, it would wait for a writer
    (folder / "device.txt").symlink_to("/dev/zero")  # read, it would never end


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("bad")
    _make_corpus(folder)
    out = tmp_path_factory.mktemp("bad_out")
    original = Path.open

    def open_file(path: Path, *args, **kwargs):  # the tests run as root, who may read any file
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", open_file)
        result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out)])
    report = {row["path"]: row for row in json.loads((out / "load-report.json").read_text(encoding="utf-8"))}
    return result, report, out


def test_at_least_thirty_bad_or_odd_inputs() -> None:
    assert len(CASES) + 7 >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_file_gets_its_status_and_reason(bad_build, name: str) -> None:
    _, report, _ = bad_build
    _, status, reason = CASES[name]
    assert report[name]["status"] == status, report[name]
    assert reason.lower() in report[name]["reason"].lower()


def test_links_and_unreadable_files_are_reported(bad_build) -> None:
    result, report, _ = bad_build
    for name in ("link_a.txt", "link_b.txt", "dangling.txt", "locked.txt", "pipe.txt", "device.txt"):
        assert report[name]["status"] == "failed" and report[name]["reason"], name
    assert "Permission denied" in report["locked.txt"]["reason"]
    assert re.fullmatch(r"a link to /\S+/nowhere\.txt, which does not exist", report["dangling.txt"]["reason"])
    assert report["pipe.txt"]["reason"] == "not a regular file but a named pipe: nothing to read"
    assert report["device.txt"]["reason"] == "not a regular file but a character device: nothing to read"
    assert not any(path.startswith("loop/again/again") for path in report)


def test_failures_are_on_stderr_and_in_the_exit_status(bad_build) -> None:
    result, report, _ = bad_build
    assert result.exit_code == 1
    for name, row in report.items():
        if row["status"] != "loaded":
            assert f"{row['status']}: {name}: " in result.output


def test_good_files_are_loaded_in_full(bad_build) -> None:
    _, report, out = bad_build
    alone = parse_source_text(GOOD, "good_copy.txt")[0]
    assert report["good_copy.txt"]["measures"] == len(alone.measures) == 16
    assert report["good_copy.txt"]["responsibilities"] == 70
    assert report["big5.txt"]["responsibilities"] == 2 and report["gbk.txt"]["responsibilities"] == 3
    assert report["plan.docx"]["responsibilities"] == report["plan_saved_as.txt"]["responsibilities"] == 3
    assert report["plan.pdf"]["responsibilities"] == 3 and report["line_separators.txt"]["responsibilities"] == 3
    assert report["invalid_utf8_mid.txt"]["responsibilities"] == 70


def test_odd_structure_still_gives_what_it_can(bad_build) -> None:
    _, report, out = bad_build
    assert report["numbering_skips_repeats.txt"]["measures"] >= 3
    assert report["page.html"]["responsibilities"] == 1  # nothing from the scripts
    assert report["long_line.txt"]["measures"] > 100


def test_hostile_text_stays_text_in_the_tables(bad_build) -> None:
    _, _, out = bad_build
    table = (out / "responsibilities.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in table and ",=HYPERLINK" not in table
