"""Property-based tests of the loaders: for text built from policy-like pieces and random noise, the
loaders raise nothing but the project's own errors, every span lies in the file and points at what
was read there, and loading is deterministic."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.loaders.errors import PolicyKGError
from policykg.loaders.pipeline import parse_source_text
from policykg.loaders.script import to_simplified
from policykg.loaders.textmap import MappedText

PIECES = [
    "关于推进开发区建设的实施方案", "武汉市人民政府", "武政〔2018〕35号", "国发〔20xx〕7号", "二、主要任务", "一、", "(一)", "(二)",
    "1.", "2、", "(1)", "①", "优化布局。", "(责任单位:市发改委、市财政局)", "(牵头单位:市商务局;配合单位:科技局)",
    "责任单位:区发改局", "实施主体:各工业园区", "牵头领导:张三", "《国务院关于促进开发区改革和创新发展的若干意见》",
    "(国办发〔2017〕7号)", "为贯彻落实", "根据", "精神,", "武汉东湖新技术开发区", "(以下简称东湖高新区)", "重点发展",
    "新一代信息技术、生命健康等产业", "開發區", "支援", "最佳化", "責任單位:", "發(fā)", "〈含开发区管委会,下同〉",
    "《", "》", "(", ")", "〔", "〕", "、", ",", "。", "\n", " ", "\u3000", "2018年8月4日", "发布日期:2017-11-07",
    "本文链接:http://x", "<p>", "&amp;", "\ufffd", "\x07", "灌云经济开发区", "(空港片区产业园)", "东门特区",
    "等境外开发区", "等3个开发区", "连云港化工园区", "八大园区:", "光谷生物城", "二、发展目标", "奖励100万元", "(含500亿元)",
]
# a target's parts, each part drawn on its own: 到2025年,东湖高新区市场主体数量力争突破20万家
TARGET_PARTS = (["到2025年,", "到20xx年", "“十四五”末,", "2025年,", ""], ["东湖高新区市场主体数量", "建成", "实现营业收入", "", "、"],
                ["力争", "", "("], ["突破", "达到", "控制在", "超", ""], ["20万家", "1~2个", "翻一番", "3000亿元", "95%", "0.5", "12"],
                ["以上", "左右", "以内", "", "。", ")"])
target_text = st.tuples(*(st.sampled_from(part) for part in TARGET_PARTS)).map("".join)
policy_text = st.lists(st.one_of(st.sampled_from(PIECES), target_text, st.text(max_size=8)), max_size=60).map("".join)

PROPERTIES = settings(max_examples=int(__import__("os").environ.get("POLICYKG_EXAMPLES", "1500")), deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str):
    try:
        return parse_source_text(text, "generated.txt")
    except PolicyKGError:
        return None


@PROPERTIES
@given(policy_text)
def test_only_documented_errors(text: str) -> None:
    _parse(text)  # anything but PolicyKGError fails the test


@PROPERTIES
@given(policy_text)
def test_spans_lie_in_the_file_and_point_at_what_was_read(text: str) -> None:
    documents = _parse(text)
    if documents is None:
        return
    for document in documents:
        assert 0 <= document.span.start <= document.span.end <= len(text)
        for measure in document.measures:
            assert 0 <= measure.span.start <= measure.span.end <= len(text)
            for agency in measure.agencies:
                assert 0 <= agency.span.start <= agency.span.end <= len(text)
                if not document.traditional:
                    assert text[agency.span.start:agency.span.end].startswith(agency.as_written)
                else:
                    original = text[agency.span.start:agency.span.end]
                    assert to_simplified(MappedText.identity(original)).text.startswith(agency.as_written)
        for citation in document.citations:
            assert text[citation.span.start] == "《"
        for zone in document.zones:
            assert 0 <= zone.span.start <= zone.span.end <= len(text)
            if not document.traditional:  # where it is first named: by its name, or a shorter one it was given later
                assert text[zone.span.start:zone.span.end] in (zone.name, *zone.aliases)
        for target in document.targets:
            assert 0 <= target.span.start < target.span.end <= len(text)
            assert float(target.amount) >= 0 and (target.upper is None or float(target.upper) >= float(target.amount))
            if not document.traditional:  # the target's words, in the sentence that sets it
                assert text[target.span.start:target.span.end] in target.sentence


@PROPERTIES
@given(policy_text)
def test_loading_is_deterministic(text: str) -> None:
    assert _parse(text) == _parse(text)
