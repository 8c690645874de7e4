from policykg.loaders.citations import find_citations


def test_titles_numbers_and_basis() -> None:
    text = ("根据《中共贵州省委贵州省人民政府关于实施工业倍增行动的意见》(黔党发〔20xx〕10号)"
            "《省人民政府办公厅关于推进开发区高质量发展的指导意见》(黔府办发〔20xx〕6号)及"
            "《中共遵义市委关于印发<遵义市实施方案>的通知》(遵党发〔20xx〕17号)精神,制定本方案。"
            "严格执行《闲置土地处置办法》(国土资源部令第 53 号)。")
    found = find_citations(text, 0, preamble_end=len(text))
    assert [(c.title, c.doc_number, c.basis) for c in found] == [
        ("中共贵州省委贵州省人民政府关于实施工业倍增行动的意见", "黔党发〔20xx〕10号", True),
        ("省人民政府办公厅关于推进开发区高质量发展的指导意见", "黔府办发〔20xx〕6号", True),
        ("中共遵义市委关于印发<遵义市实施方案>的通知", "遵党发〔20xx〕17号", True),
        ("闲置土地处置办法", "国土资源部令第53号", False),
    ]


def test_mentions_after_the_preamble_are_not_basis() -> None:
    text = "按照《甘肃省开发区条例》要求推进。"
    assert not find_citations(text, 100, preamble_end=50)[0].basis


def test_unclosed_title_does_not_swallow_the_text() -> None:
    text = "依据《某某办法,推进工作。另见《甘肃省开发区条例》。"
    assert [c.title for c in find_citations(text, 0, 10**6)] == ["甘肃省开发区条例"]


def test_edition_in_brackets_is_not_a_number() -> None:
    assert find_citations("按照《江苏省建设用地指标》(2020版)要求", 0, 0)[0].doc_number is None
