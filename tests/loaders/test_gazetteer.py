import re

import pytest

from policykg.loaders.gazetteer import NameIndex, gazetteer


def test_district_knows_its_city_and_province() -> None:
    place = gazetteer().resolve_prefix("凉州区发展和改革局")
    assert (place.name, place.adcode, place.level, place.city, place.province) == (
        "凉州区", "620602", "county", "武威市", "甘肃省")


def test_city_by_short_or_full_name() -> None:
    assert gazetteer().resolve_prefix("武汉市人民政府").adcode == "420100"
    assert gazetteer().resolve_prefix("福州、厦门").name == "福州"
    assert gazetteer().resolve_prefix("市发改委") is None


def test_names_found_as_an_alternation_of_them_all_finds_them() -> None:
    names = ["湖北", "湖北省", "北省", "武汉", "武汉市", "汉市"]
    text = "湖北省武汉市，湖北武汉，北省汉市，湖"
    alternation = re.compile("|".join(sorted(names, key=len, reverse=True)))
    index = NameIndex(names)
    assert list(index.finditer(text)) == [(m.start(), m.group()) for m in alternation.finditer(text)]
    assert index.match(text, 3) == "武汉市" and index.match(text, 2) is None
    assert index.search("在武汉") == (1, "武汉") and index.search("无") is None


def test_one_character_names_are_refused() -> None:
    with pytest.raises(ValueError, match="one character"):
        NameIndex(["省"])
