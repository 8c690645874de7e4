from policykg.graph.identity import agency_iri, agency_key, document_iri, place_iri, zone_iri


def test_agency_forms_meet_within_a_jurisdiction_only() -> None:
    wuhan, jiaxing = place_iri("武汉市", "420100"), place_iri("嘉兴市", "330400")
    assert agency_iri("市发改委", wuhan) == agency_iri("市发展改革委", wuhan)
    assert agency_iri("市发改委", wuhan) != agency_iri("市发改委", jiaxing)


def test_a_zone_called_by_its_kind_alone_is_one_within_its_scope() -> None:
    guiyang, lianyungang = place_iri("贵阳市", "520100"), place_iri("连云港市", "320700")
    assert zone_iri("经济技术开发区", guiyang) != zone_iri("经济技术开发区", lianyungang)
    assert zone_iri("经济技术开发区", guiyang) == zone_iri("经济技术开发区", guiyang) != zone_iri("经济技术开发区")


def test_abbreviations_are_written_out() -> None:
    assert agency_key("市人社局") == agency_key("市人力资源和社会保障局")
    assert agency_key("市市场监管局") == agency_key("市市场监督管理局")
    assert agency_key("市科技局") != agency_key("市商务局")


def test_iris_hold_no_raw_text() -> None:
    iri = str(document_iri("中共福州市委 福州市人民政府关于印发〈方案〉的通知"))
    assert iri.isascii() and " " not in iri
