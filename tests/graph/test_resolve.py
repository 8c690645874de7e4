from policykg.graph.identity import document_iri
from policykg.graph.resolve import DocumentResolver


def test_placeholder_year_resolves_by_code_and_serial() -> None:
    resolver = DocumentResolver()
    loaded = resolver.loaded_iri("湖北省人民政府关于印发若干措施的通知", "a.txt#1", "鄂政发〔2020〕28号")
    assert resolver.resolve("省人民政府关于印发若干措施的通知", "鄂政发〔20xx〕28号") == loaded
    assert resolver.resolve("别的标题", "鄂政发[2020] 28号") == loaded


def test_a_different_year_or_ambiguity_falls_back_to_the_title() -> None:
    resolver = DocumentResolver()
    resolver.loaded_iri("甲", "a.txt#1", "国发〔2017〕7号")
    resolver.loaded_iri("乙", "b.txt#1", "国发〔2020〕7号")
    assert resolver.resolve("丙", "国发〔2019〕7号") == document_iri("丙")
    assert resolver.resolve("丙", "国发〔20xx〕7号") == document_iri("丙")


def test_same_title_under_two_numbers_is_one_document() -> None:
    title = "福建省人民政府关于促进开发区高质量发展的指导意见"
    resolver = DocumentResolver()
    assert resolver.resolve(title, "闽政文〔20xx〕15号") == resolver.resolve(title, "闽政〔20xx〕15号")


def test_two_loaded_documents_never_share_a_node_and_decisions_hold() -> None:
    resolver = DocumentResolver()
    first = resolver.loaded_iri("实施方案", "a.txt#1", None)
    second = resolver.loaded_iri("实施方案", "b.txt#1", None)
    assert first == document_iri("实施方案") and second != first
    assert resolver.loaded_iri("实施方案", "b.txt#1", None) == second
    assert resolver.resolve("实施方案", None) == first


def test_a_later_build_keeps_earlier_decisions() -> None:
    earlier = DocumentResolver()
    first = earlier.loaded_iri("实施方案", "a.txt#1", None)
    qualified = earlier.loaded_iri("实施方案", "b.txt#1", None)
    later = DocumentResolver()
    later.remember(first, "实施方案", "a.txt#1", None)
    later.remember(qualified, "实施方案", "b.txt#1", None)
    assert later.loaded_iri("实施方案", "b.txt#1", None) == qualified != first
    assert later.resolve("实施方案", None) == first
