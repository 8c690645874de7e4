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
