from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders.decode import decode_bytes
from policykg.loaders.patterns import ZONE_NAME, zone_name_spans

SEEDS = Path(__file__).parents[2] / "seeds"
# what zone names are made of, and what breaks them: suffixes that overlap (经济技术开发区 holds
# 技术开发区 and 开发区), 片区 after a free-trade zone, 市 and 镇 after a suffix, brackets, punctuation
ZONE_PIECES = ["经济技术开发区", "高新技术产业开发区", "开发区", "高新区", "园区", "产业园", "工业园区", "自由贸易试验区",
               "自贸试验区", "片区", "武汉", "东湖", "城", "市", "镇", "保税物流中心", "物流基地", "(", ")", "（", "）",
               "，", "。", " ", "a", "1", "和", "经济", "技术", "区"]


def _finditer_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in ZONE_NAME.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ZONE_PIECES), st.text(max_size=3)), max_size=30).map("".join))
def test_zone_name_spans_are_zone_names_matches(text: str) -> None:
    assert list(zone_name_spans(text)) == _finditer_spans(text)


def test_zone_name_spans_on_the_seeds_are_zone_names_matches() -> None:
    for path in sorted(SEEDS.iterdir()):
        text = decode_bytes(path.read_bytes(), path.name).text
        spans = list(zone_name_spans(text))
        assert spans and spans == _finditer_spans(text), path.name


def test_a_name_runs_on_past_a_suffix_to_the_first_one_within_reach() -> None:
    text = "，经济技术开发区" + "甲" * 20 + "开发区"
    assert [text[start:end] for start, end in zone_name_spans(text)] == ["经济技术开发区", "甲" * 16 + "开发区"]
