import pytest

from policykg.graph.levels import document_level


@pytest.mark.parametrize(
    "title, number, jurisdiction, level",
    [
        ("国务院办公厅关于促进开发区改革和创新发展的若干意见", "国办发〔2017〕7号", None, "national"),
        ("科技部关于印发〈国家高新区绿色发展专项行动实施方案〉的通知", "国科发火〔20xx〕28号", None, "national"),
        ("闲置土地处置办法", "国土资源部令第53号", None, "national"),
        ("省人民政府关于促进开发区改革和创新发展的实施意见", "鄂政发〔2017〕50号", None, "provincial"),
        ("中共贵州省委贵州省人民政府关于实施工业倍增行动的意见", None, None, "provincial"),
        ("泉州市人民政府关于促进全市开发区高质量发展的实施意见", None, None, "municipal"),
        ("市场监管领域首违不罚事项清单", None, None, None),
        ("关于实施产业链“链长制”的工作方案", "闽委办发〔20xx〕23号", None, "provincial"),
        ("开发区高质量发展实施方案3", None, "county", "district"),
    ],
)
def test_levels(title: str, number: str | None, jurisdiction: str | None, level: str | None) -> None:
    assert document_level(title, number, jurisdiction) == level


def test_an_issuer_code_seen_at_a_level_decides_before_province_abbreviations() -> None:
    assert document_level("关于实施产业链“链长制”的工作方案", "宁委办发〔20xx〕23号", None, {"宁委办发": "municipal"}) == "municipal"
