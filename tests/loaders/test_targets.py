from pathlib import Path

import pytest

from policykg.loaders.pipeline import parse_source_text, read_source_file
from policykg.loaders.targets import find_targets

SEEDS = Path(__file__).parents[2] / "seeds"


def _found(text: str) -> list[tuple[str, str, str, str | None, str, int | None, bool]]:
    return [(t.indicator, t.comparison, t.amount, t.upper, t.unit, t.year, t.aspirational) for t in find_targets(text)]


@pytest.mark.parametrize("text, expected", [
    ("到2020年，开发区实现销售收入420亿元以上。",
     [("开发区实现销售收入", "atLeast", "420", None, "亿元", 2020, False)]),
    ("到2025年，规模以上工业总产值占全市比重均达到90%左右。",
     [("规模以上工业总产值占全市比重", "about", "90", None, "%", 2025, False)]),
    ("到2025年，单位工业增加值能耗控制在0.5吨标准煤以内。",
     [("单位工业增加值能耗", "atMost", "0.5", None, "吨标准煤", 2025, False)]),
    ("到2025年，园区综合能耗不超过30万吨。", [("园区综合能耗", "atMost", "30", None, "万吨", 2025, False)]),
    ("到20xx年，工业投资累计突破3600亿元。", [("工业投资累计", "atLeast", "3600", None, "亿元", None, False)]),
    ("到“十四五”末，市开发区地区生产总值超800亿元。", [("市开发区地区生产总值", "atLeast", "800", None, "亿元", 2025, False)]),
    ("2020年底前，全市建成标准厂房100万平方米。", [("全市建成标准厂房", "reach", "100", None, "万平方米", 2020, False)]),
    ("到2020年，每个重大平台力争打造形成1~2个领跑产业链。",
     [("每个重大平台打造形成领跑产业链", "reach", "1", "2", "个", 2020, True)]),
    ("到2025年，瞪羚企业数量翻一番，企业营收翻两番。",
     [("瞪羚企业数量", "reach", "2", None, "倍", 2025, False), ("企业营收", "reach", "4", None, "倍", 2025, False)]),
    ("到2025年，主要经济指标实现倍增。", [("主要经济指标", "reach", "2", None, "倍", 2025, False)]),
    ("到２０２５年，营业收入达到１００亿元。", [("营业收入", "reach", "100", None, "亿元", 2025, False)]),
    ("到2020年，PM2.5平均浓度下降10%。", [("PM2.5平均浓度下降", "reach", "10", None, "%", 2020, False)]),
])
def test_a_target_is_an_amount_after_a_deadline_with_its_indicator_and_comparison(
        text: str, expected: list[tuple]) -> None:
    assert _found(text) == expected


def test_items_listed_after_one_share_its_words_and_what_each_counts_follows_it() -> None:
    assert _found("到20xx年，国家级、省级开发区工业用地产出强度分别达到500万元/亩、300万元/亩以上。") == [
        ("国家级、省级开发区工业用地产出强度", "reach", "500", None, "万元/亩", None, False),
        ("国家级、省级开发区工业用地产出强度", "atLeast", "300", None, "万元/亩", None, False)]
    assert [(t.indicator, t.amount) for t in find_targets("到2020年，拥有1家以上百亿企业和3家以上上市企业。")] == [
        ("拥有百亿企业", "1"), ("拥有上市企业", "3")]
    assert [t.indicator for t in find_targets("到2020年，建成国家级开发区1个、省级开发区1个。")] == [
        "建成国家级开发区", "省级开发区"]


def test_amounts_that_only_qualify_what_follows_them_are_not_targets() -> None:
    assert [(t.indicator, t.amount, t.unit) for t in find_targets(
        "到20xx年，其中超600亿的开发区1个，建成150亿级以上省级重点开发区，高新区、经开区等2个开发区达到千亿级规模，"
        "建成地区生产总值超100亿元以上开发区11个。")] == [
        ("超600亿的开发区", "1", "个"), ("建成地区生产总值超100亿元以上开发区", "11", "个")]


def test_an_amount_without_a_deadline_in_brackets_or_granted_is_no_target() -> None:
    assert find_targets("设立10亿元产业基金，对新认定的企业给予50万元奖励。") == []
    assert find_targets("到2025年，每晋升1位，奖励100万元，最高不超过300万元。") == []  # granted, not set
    assert [t.amount for t in find_targets("到2025年，营业收入达到100亿元(2020年为50亿元)，入驻《10个园区》。")] == ["100"]


def test_striving_is_read_from_the_target_sentence_alone() -> None:
    targets = find_targets("到2025年，企业数量力争达到100家；上市企业达到10家。")
    assert [(t.indicator, t.aspirational) for t in targets] == [("企业数量", True), ("上市企业", False)]
    assert targets[1].sentence == "上市企业达到10家"


def test_a_target_that_ends_its_paragraph_ends_before_the_spaces_after_it() -> None:
    text = "到2025年,东湖高新区市场主体数量力争突破20万家以上\x0c!"
    (target,) = find_targets(text)
    assert text[target.span.start:target.span.end] == "东湖高新区市场主体数量力争突破20万家以上"
    assert target.sentence == "到2025年,东湖高新区市场主体数量力争突破20万家以上"


def test_each_deadline_governs_the_amounts_up_to_the_next() -> None:
    targets = find_targets("到2020年，营业收入达到100亿元；到2025年，达到200亿元。")
    assert [(t.deadline, t.year, t.amount) for t in targets] == [("2020年", 2020, "100"), ("2025年", 2025, "200")]


def test_a_goals_section_states_targets_by_the_deadline_its_heading_names_or_by_none() -> None:
    text = ("武汉市人民政府关于推进开发区建设的实施方案\n一、发展基础\n2020年，全区实现营业收入3000亿元。\n"
            "二、发展目标\n全区经济总量突破5000亿元。2025年，研发投入达到100亿元。\n"
            "(一)“十四五”经济社会发展目标\n1.高新技术企业数量达到1000家。\n"
            "三、主要任务\n(一)完善机制。营业收入达到50亿元。")
    (document,) = parse_source_text(text, "w.txt")
    assert [(t.indicator, t.amount, t.deadline, t.year) for t in document.targets] == [
        ("全区经济总量", "5000", "", None), ("研发投入", "100", "2025年", 2025), ("高新技术企业数量", "1000", "“十四五”", 2025)]


def test_a_traditional_document_gives_simplified_indicators_and_spans_on_the_original() -> None:
    text = "關於推進開發區建設的實施方案\n二、主要任務\n(一)到2025年,東湖高新區市場主體數量力爭突破20萬家。"
    (document,) = parse_source_text(text, "t.txt")
    (target,) = document.targets
    assert (target.indicator, target.comparison, target.amount, target.unit) == ("东湖高新区市场主体数量", "atLeast", "20", "万家")
    assert text[target.span.start:target.span.end] == "東湖高新區市場主體數量力爭突破20萬家"


def test_the_seeds_set_targets_in_simplified_and_traditional_plans() -> None:
    found = {(source.name[:3], t.indicator, t.comparison, t.amount, t.unit, t.year)
             for source in map(read_source_file, sorted(SEEDS.iterdir()))
             for document in source.documents for t in document.targets}
    assert {("002", "东湖高新区市场主体数量", "atLeast", "20", "万家", 2025),
            ("002", "东湖高新区光电子信息产业产值", "reach", "5000", "亿元", 2025),
            ("002", "全市开发区地区生产总值", "reach", "3500", "亿元", 2025),
            ("001", "开发区实现销售收入", "atLeast", "420", "亿元", 2020),
            ("003", "规上工业增加值", "atLeast", "100", "亿元", 2020)} <= found
    assert len(found) >= 70
