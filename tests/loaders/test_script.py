import pytest

from policykg.loaders import script
from policykg.loaders.script import is_traditional, to_simplified
from policykg.loaders.textmap import MappedText


def test_detects_traditional_and_leaves_simplified_alone() -> None:
    assert is_traditional("開發區高質量發展實施方案。支援東湖高新區建設。")
    assert not is_traditional("对工作推进成效显著的,给予肯定和表扬。")


def test_taiwan_phrasing_becomes_mainland_with_spans_into_the_original() -> None:
    original = "最佳化營商環境,支援專案建設"
    converted = to_simplified(MappedText.identity(original))
    assert converted.text == "优化营商环境,支持项目建设"
    at = converted.text.index("项目")
    span = converted.span(at, at + 2)
    assert original[span.start:span.end] == "專案"
    span = converted.span(0, 2)
    assert original[span.start:span.end] == "最佳化"


def test_phrases_taiwan_writes_as_the_mainland_does_keep_their_meaning() -> None:
    original = "突破關鍵核心技術，建立健全指標體系，累計新增標準廠房，資源整合，醫學影像，成效卓著。支援專案"
    converted = to_simplified(MappedText.identity(original))
    assert converted.text == "突破关键核心技术，建立健全指标体系，累计新增标准厂房，资源整合，医学影像，成效卓著。支持项目"
    converter = script.opencc_converter("tw2sp")  # which reads them as Taiwan's computing terms
    assert converter.convert("核心 建立 指標 新增 整合 影像 卓著") == "内核 创建 指针 添加 集成 图像 卓着"
    at = converted.text.index("指标")
    span = converted.span(at, at + 2)
    assert original[span.start:span.end] == "指標"


def test_clauses_converted_together_read_as_each_alone() -> None:
    text = "加強數位化建設，支援園區最佳化營商環境；鼓勵軟體產業。資訊安全"
    clauses = [match.group() for match in script.CLAUSE.finditer(text)]
    converter = script.opencc_converter("tw2sp")
    assert script._converted_each(clauses) == [converter.convert(clause) for clause in clauses]


def test_a_converter_that_joins_lines_makes_each_clause_convert_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = script.opencc_converter("tw2sp")

    class JoiningLines:
        def convert(self, text: str) -> str:
            return real.convert(text.replace("\n", ""))

    monkeypatch.setattr(script, "opencc_converter", lambda config: JoiningLines())
    assert script._converted_each(["最佳化", "營商環境"]) == ["优化", "营商环境"]
