from policykg.loaders.gazetteer import gazetteer


def test_district_knows_its_city_and_province() -> None:
    place = gazetteer().resolve_prefix("凉州区发展和改革局")
    assert (place.name, place.adcode, place.level, place.city, place.province) == (
        "凉州区", "620602", "county", "武威市", "甘肃省")


def test_city_by_short_or_full_name() -> None:
    assert gazetteer().resolve_prefix("武汉市人民政府").adcode == "420100"
    assert gazetteer().resolve_prefix("福州、厦门").name == "福州"
    assert gazetteer().resolve_prefix("市发改委") is None
