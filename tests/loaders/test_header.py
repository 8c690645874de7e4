from policykg.loaders.blocks import parse_page
from policykg.loaders.header import parse_header_number, parse_signature, parse_title


def _blocks(text: str):
    return list(parse_page(text).blocks)


def test_title_and_number_from_a_scraped_header() -> None:
    blocks = _blocks("武政〔2018〕35号《武汉市人民政府关于加快推进开发区改革和创新发展的意见》\n"
                     "为贯彻落实《国务院办公厅关于促进开发区改革和创新发展的若干意见》(国办发〔2017〕7号)精神\n一、优化布局")
    assert parse_title(blocks) == "武汉市人民政府关于加快推进开发区改革和创新发展的意见"
    assert parse_header_number(blocks) == "武政〔2018〕35号"


def test_a_title_wrapped_over_lines_is_joined() -> None:
    """As a page or a PDF copied into text wraps a long title."""
    blocks = _blocks("文号:嘉政办发〔2020〕12号\n嘉兴市人民政府办公室关于印发嘉兴市开发区(园区)\n整合提升实施方案的通知\n"
                     "各县(市、区)人民政府:\n一、主要任务")
    assert parse_title(blocks) == "嘉兴市人民政府办公室关于印发嘉兴市开发区(园区)整合提升实施方案的通知"
    three = _blocks("嘉兴市人民政府办公室\n关于印发嘉兴市开发区\n(园区)整合提升\n实施方案的通知\n一、主要任务")
    assert parse_title(three) == "关于印发嘉兴市开发区(园区)整合提升实施方案的通知"


def test_lines_before_a_title_that_says_no_关于_are_not_its_beginning() -> None:
    for before in ("嘉兴市人民政府办公室", "关于我们", "各县(市、区)人民政府:", "一、关于主要任务"):
        assert parse_title(_blocks(f"{before}\n开发区整合提升实施方案\n一、主要任务")) == "开发区整合提升实施方案", before


def test_a_cited_number_is_not_the_documents_own() -> None:
    blocks = _blocks("关于推进开发区建设的实施方案\n根据《某某意见》(甘政发〔2017〕5号)精神。\n一、主要任务")
    assert parse_header_number(blocks) is None


def test_a_number_a_sentence_cites_without_a_title_is_not_the_documents_own() -> None:
    blocks = _blocks("关于推进开发区高质量发展的实施意见\n为深入贯彻落实国发〔2019〕11号文件精神,结合实际,提出如下意见。\n"
                     "一、主要任务")
    assert parse_header_number(blocks) is None
    own = _blocks("关于推进开发区高质量发展的实施意见\n文号:苏政发〔2020〕1号\n为贯彻落实国发〔2019〕11号文件精神。\n一、主要任务")
    assert parse_header_number(own) == "苏政发〔2020〕1号"


def test_signature_date_not_the_page_date() -> None:
    blocks = _blocks("关于推进的意见\n一、任务\n(一)推进。\n武汉市人民政府\n2018年8月4日")
    assert parse_signature(blocks) == ("武汉市人民政府", "2018-08-04")
    assert parse_signature(_blocks("某某县人民政府 二〇二一年十二月二日"))[1] == "2021-12-02"


def test_jurisdiction_from_the_government_forming_the_leading_group() -> None:
    from policykg.loaders.header import infer_jurisdiction

    body = "贯彻贵州省、毕节市大会精神。推动园区合作共建。成立黔西市推进开发区高质量发展工作领导小组。"
    assert infer_jurisdiction((), None, body, [], []).name == "黔西市"


def test_jurisdiction_from_owner_level_then_zone() -> None:
    from policykg.loaders.header import infer_jurisdiction

    assert infer_jurisdiction((), None, "福州高新区和福州经开区。", ["市商务局", "市科技局"], []).name == "福州市"
    zone_only = infer_jurisdiction((), None, "推动园区合作共建,我区产业集聚。", ["区财政局"], ["泉州台商投资区"])
    assert (zone_only.name, zone_only.level) == ("泉州台商投资区", "zone")
