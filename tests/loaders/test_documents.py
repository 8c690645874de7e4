from pathlib import Path

from policykg.loaders.pipeline import read_source_file

SEEDS = Path(__file__).parents[2] / "seeds"


def test_compilation_page_becomes_nine_documents_in_order() -> None:
    source = read_source_file(SEEDS / "002_3963f5b69747dc62.txt")
    assert [d.part for d in source.documents] == list(range(1, 10))
    assert [d.title for d in source.documents] == [f"开发区高质量发展实施方案{n}" for n in range(1, 10)]
    assert all(d.traditional for d in source.documents)


def test_notice_and_the_plan_it_issues_are_one_document() -> None:
    source = read_source_file(SEEDS / "004_aa0a9f9876963823.txt")
    (document,) = source.documents
    assert document.title == "武汉市人民政府关于印发武汉东湖新技术开发区发展“十四五”规划的通知"
    assert all("十四五”规划" != c.title[-6:] for c in document.citations)


def test_a_compilation_part_starts_at_the_first_line_of_its_wrapped_title(tmp_path: Path) -> None:
    plan = "一、主要任务\n(一)优化布局。(责任单位:市发改委)\n"
    path = tmp_path / "compilation.txt"
    path.write_text(f"嘉兴市开发区建设实施方案\n{plan}嘉兴市人民政府办公室关于印发嘉兴市开发区(园区)\n"
                    f"整合提升实施方案的通知\n{plan}", encoding="utf-8")
    first, second = read_source_file(path).documents
    assert (first.title, second.title) == ("嘉兴市开发区建设实施方案", "嘉兴市人民政府办公室关于印发嘉兴市开发区(园区)整合提升实施方案的通知")
    assert "(园区)" not in path.read_text(encoding="utf-8")[first.span.start:first.span.end]


def test_every_span_points_into_the_original_file() -> None:
    for path in sorted(SEEDS.iterdir()):
        original = path.read_text(encoding="utf-8")
        for document in read_source_file(path).documents:
            for measure in document.measures:
                for agency in measure.agencies:
                    written = original[agency.span.start:agency.span.end]
                    assert len(written) >= len(agency.as_written) - 1, (path.name, agency)
                assert 0 <= measure.span.start < measure.span.end <= len(original)


def test_spans_in_simplified_files_are_exact() -> None:
    path = SEEDS / "000_7de621c7132f9bb7.txt"
    original = path.read_text(encoding="utf-8")
    for measure in read_source_file(path).documents[0].measures:
        for agency in measure.agencies:
            assert original[agency.span.start:agency.span.end].startswith(agency.as_written)
