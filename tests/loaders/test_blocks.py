from policykg.loaders.blocks import is_boilerplate, parse_page


def test_page_furniture_is_set_aside_and_its_facts_kept() -> None:
    page = parse_page(
        "首页 公开指南 公开目录\n您现在的位置是: 首页» 公开目录» 规划计划\n关于推进开发区建设的实施方案\n"
        "作者: | 来源: | 发布日期:2017-11-07 | 阅读次数:\n一、主要任务\n主办:凉州区发展和改革局\n"
        "技术支持:北京某某软件技术有限责任公司\n本文链接://www.example.com/a.html\n扫描二维码 关注我们"
    )
    assert [b.text for b in page.blocks] == ["关于推进开发区建设的实施方案", "一、主要任务"]
    assert page.published == "2017-11-07"
    assert page.site_owner == "凉州区发展和改革局"


def test_collapsed_page_splits_between_sentences() -> None:
    body = "为贯彻落实有关精神,制定本方案。 一、总体要求 " + "坚持高质量发展。" * 40 + " 二、主要任务 (一)优化布局。推进整合。"
    texts = [b.text for b in parse_page(body).blocks]
    assert texts[0] == "为贯彻落实有关精神,制定本方案。"
    assert "二、主要任务" in texts
    assert "(一)优化布局。推进整合。" in texts


def test_block_offsets_point_into_the_text() -> None:
    text = "  标题一\n\n    (一)优化布局。  \n"
    for block in parse_page(text).blocks:
        assert text[block.start:block.end] == block.text


def test_numbered_paragraphs_are_never_boilerplate() -> None:
    assert not is_boilerplate("(二)扫描二维码办理业务的推广。")
    assert is_boilerplate("浏览量:          时间:2020-02-16 05:04:11")


def test_a_table_s_row_is_one_block_but_an_indented_line_still_splits() -> None:
    assert [b.text for b in parse_page("1\t推进整合。 (二)强化招商。\t市发改委").blocks] == [
        "1\t推进整合。 (二)强化招商。\t市发改委"]
    assert [b.text for b in parse_page("\t(一)优化布局。 (二)强化招商。").blocks] == ["(一)优化布局。", "(二)强化招商。"]
