import pytest

from policykg.loaders.docnumber import parse_doc_number, split_doc_number


@pytest.mark.parametrize(
    "written, normal",
    [
        ("武政〔2018〕35号", "武政〔2018〕35号"),
        ("武政[2018]35号", "武政〔2018〕35号"),
        ("武政（2018）35号", "武政〔2018〕35号"),
        ("武政【2018】第35号", "武政〔2018〕35号"),
        ("闽政文〔20xx〕15 号", "闽政文〔20xx〕15号"),
        ("宁委办发〔20XX〕023号", "宁委办发〔20xx〕23号"),
        ("国土资源部令第 53 号", "国土资源部令第53号"),
        ("国办发〔２０１７〕７号", "国办发〔2017〕7号"),  # full-width digits, as some pages set them
        ("闽政〔２０ｘｘ〕１５号", "闽政〔20xx〕15号"),
    ],
)
def test_variants_normalise(written: str, normal: str) -> None:
    assert parse_doc_number(written) == normal


def test_placeholder_year_has_no_year() -> None:
    parts = split_doc_number("国发〔20xx〕7号")
    assert (parts.code, parts.year, parts.serial) == ("国发", None, 7)
    assert split_doc_number("国发〔2020〕7号").year == split_doc_number("国发〔２０２０〕7号").year == "2020"


def test_not_a_number() -> None:
    assert parse_doc_number("(20xx版)") is None
    assert parse_doc_number("2025年建成") is None
