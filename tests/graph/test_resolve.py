from policykg.graph.identity import document_iri
from policykg.graph.resolve import DocumentResolver


def test_placeholder_year_resolves_by_code_and_serial() -> None:
    resolver = DocumentResolver()
    loaded = document_iri("甲")
    resolver.register(loaded, "鄂政发〔2020〕28号")
    assert resolver.resolve("省人民政府关于印发若干措施的通知", "鄂政发〔20xx〕28号") == loaded
    assert resolver.resolve("别的标题", "鄂政发[2020] 28号") == loaded


def test_a_different_year_or_ambiguity_falls_back_to_the_title() -> None:
    resolver = DocumentResolver()
    resolver.register(document_iri("甲"), "国发〔2017〕7号")
    resolver.register(document_iri("乙"), "国发〔2020〕7号")
    assert resolver.resolve("丙", "国发〔2019〕7号") == document_iri("丙")
    assert resolver.resolve("丙", "国发〔20xx〕7号") == document_iri("丙")


def test_same_title_under_two_numbers_is_one_document() -> None:
    title = "福建省人民政府关于促进开发区高质量发展的指导意见"
    resolver = DocumentResolver()
    assert resolver.resolve(title, "闽政文〔20xx〕15号") == resolver.resolve(title, "闽政〔20xx〕15号")
