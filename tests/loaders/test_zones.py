import re

from policykg.loaders.patterns import ZONE_NAME, ZONE_SUFFIX
from policykg.loaders.zones import find_zones


def test_zones_aliases_and_industries() -> None:
    text = ("为促进武汉东湖新技术开发区(以下称东湖高新区)高质量发展。东湖高新区要重点发展新一代信息技术、生命健康等产业。"
            "支持武威工业园区、黄羊工业园区申报国家级开发区。优化开发区布局。")
    zones = {z.name: z for z in find_zones(text, 0)}
    assert set(zones) == {"武汉东湖新技术开发区", "武威工业园区", "黄羊工业园区"}
    assert zones["武汉东湖新技术开发区"].aliases == ("东湖高新区",)
    assert zones["武汉东湖新技术开发区"].industries == ("新一代信息技术", "生命健康")


def test_another_name_in_brackets_within_brackets_is_an_alias() -> None:
    text = "建成千亿级开发区2个(贵州仁怀经济开发区<仁怀名酒工业园区>、遵义高新技术产业开发区〈贵州红花岗经济开发区〉)。"
    assert [(z.name, z.aliases) for z in find_zones(text, 0)] == [
        ("贵州仁怀经济开发区", ("仁怀名酒工业园区",)), ("遵义高新技术产业开发区", ("贵州红花岗经济开发区",))]


def test_a_kind_written_short_names_the_same_zone() -> None:
    text = "推进遵义综合保税区、武汉经济技术开发区建设。遵义综保区新增项目5个,武汉经开区新增项目3个。"
    assert [(z.name, z.aliases) for z in find_zones(text, 0)] == [
        ("遵义综合保税区", ("遵义综保区",)), ("武汉经济技术开发区", ("武汉经开区",))]
    text = "武汉经开区新增项目3个。支持武汉经济技术开发区建设。"
    assert [(z.name, z.aliases, text[z.start:z.end]) for z in find_zones(text, 0)] == [
        ("武汉经济技术开发区", ("武汉经开区",), "武汉经开区")]


def test_a_name_without_its_bracketed_place_names_the_same_zone() -> None:
    text = "推动上合组织(连云港)国际物流园、中日韩(江苏)产业合作示范园区、中德(江苏)产业合作示范园区建设。上合组织国际物流园要发挥作用。"
    assert [(z.name, z.aliases) for z in find_zones(text, 0)] == [
        ("上合组织(连云港)国际物流园", ("上合组织国际物流园",)), ("中日韩(江苏)产业合作示范园区", ()),
        ("中德(江苏)产业合作示范园区", ())]


def test_a_name_without_its_place_and_written_short_is_an_alias() -> None:
    """东湖高新区 alone is not taken for a zone (no place, and words before it would come too),
    but it is the short name of a zone the text names in full."""
    text = "支持武汉东湖新技术开发区发展。增强东湖高新区创新能力,强化高新区建设。"
    assert [(z.name, z.aliases) for z in find_zones(text, 0)] == [("武汉东湖新技术开发区", ("东湖高新区",))]
    assert find_zones("增强东湖高新区创新能力。", 0) == []


def test_a_part_named_in_brackets_is_a_zone_of_its_own() -> None:
    text = "支持灌云经济开发区（空港片区产业园）发展。设立武汉东湖新技术开发区(以下简称东湖片区产业园)。"
    zones = {z.name: z for z in find_zones(text, 0)}
    assert list(zones) == ["灌云经济开发区", "空港片区产业园", "武汉东湖新技术开发区"]
    assert zones["灌云经济开发区"].aliases == ()
    assert text[zones["空港片区产业园"].start:zones["空港片区产业园"].end] == "空港片区产业园"
    assert zones["武汉东湖新技术开发区"].aliases == ("东湖片区产业园",)


def test_names_with_a_place_in_brackets_or_after_their_kind_stay_whole() -> None:
    text = "加快中国(湖北)自由贸易试验区武汉片区建设。主动承接自贸试验区连云港片区功能,建设中日韩(江苏)产业合作示范园区。"
    assert [z.name for z in find_zones(text, 0)] == [
        "中国(湖北)自由贸易试验区武汉片区", "自贸试验区连云港片区", "中日韩(江苏)产业合作示范园区"]


def test_collective_references_are_not_zones() -> None:
    text = "认真贯彻《甘肃省开发区条例》。推进福建省高新技术产业开发区建设,建设国家中心城市,推动园区合作共建,建设跨区合作产业园区。"
    assert find_zones(text, 0) == []


def test_members_of_an_enumeration_with_a_zone_are_zones() -> None:
    text = "八大园区:光谷生物城、武汉未来科技城、光电子产业园、现代服务业园。"
    assert [z.name for z in find_zones(text, 0)] == ["光谷生物城", "武汉未来科技城", "光电子产业园", "现代服务业园"]


def test_an_enumeration_ends_at_deng() -> None:
    """The last item before 等 is an item, not what the list is said to be (等专业子园区)."""
    text = "加快建设数字经济产业园、国家存储器配套产业园、文化科技产业园等专业子园区。"
    assert [z.name for z in find_zones(text, 0)] == ["数字经济产业园", "国家存储器配套产业园", "文化科技产业园"]


def test_zones_still_to_be_made_are_not_zones() -> None:
    """A zone the text is to set up, build or strive for is not one yet, alone or in a list after the
    verb (not where it is only part of what the verb makes); where the text names it as one that
    is, it is a zone from there."""
    text = ("支持企业在有条件的国家建立武汉产业园区。争创省级先导区、南京市数字经济产业园。"
            "打造宜居宜业的厦门未来科技城、泉州软件园;布局建设福厦泉科技城。"
            "加快建设光谷生物城。以武汉东湖新技术开发区为核心打造创新走廊,打造武汉经开区汽车产业集群。支持泉州软件园发展。")
    zones = find_zones(text, 0)
    assert [z.name for z in zones] == ["光谷生物城", "武汉东湖新技术开发区", "武汉经开区", "泉州软件园"]
    assert text[zones[3].start - 2:zones[3].end] == "支持泉州软件园"


def test_items_said_to_be_zones_are_zones() -> None:
    """A list followed by 等 and a kind of zone names zones, though none is known as one alone."""
    text = "加强与哈萨克斯坦里海物流基地、东门特区等境外开发区的合作。推进企业、高校等园区合作。"
    zones = find_zones(text, 0)
    assert [z.name for z in zones] == ["哈萨克斯坦里海物流基地", "东门特区"]
    assert [text[z.start:z.end] for z in zones] == ["哈萨克斯坦里海物流基地", "东门特区"]


def test_every_item_of_a_counted_list_is_a_zone() -> None:
    """A list that says how many zones it holds names each, though one is called by its kind alone;
    a list of kinds is not a list of zones."""
    text = ("到2025年,高新开发区、经济技术开发区、贵州双龙航空港经济区等3个开发区达到千亿级规模。"
            "本方案所称开发区包括:国家级新区、经济技术开发区、高新技术产业开发区等开发区。"
            "推进经济技术开发区、综合保税区等4个开发区建设。")
    zones = find_zones(text, 0)
    assert [(z.name, z.local) for z in zones] == [
        ("贵州双龙航空港经济区", False), ("高新开发区", True), ("经济技术开发区", True)]
    assert [text[z.start:z.end] for z in zones] == ["贵州双龙航空港经济区", "高新开发区", "经济技术开发区"]


def test_a_park_said_to_rest_on_firms_it_names_is_a_zone() -> None:
    """A park with no place in its name and a bare kind is one park where the firms it rests on are
    named; a park to be built, or resting on no firm named, is not."""
    text = ("明确开发区“一区两园”发展方向。其中,甘棠产业园依托黔希化工、黔西电厂等企业,以现代化工为首位产业;"
            "打造重工业产业园;岔白产业园依托高原蓝梦菇、质品服饰等企业,以特色食品加工为主导产业。"
            "食品产业园依托资源优势发展。产业园依托龙头企业发展。")
    zones = find_zones(text, 0)
    assert [z.name for z in zones] == ["甘棠产业园", "岔白产业园"]
    assert [text[z.start:z.end] for z in zones] == ["甘棠产业园", "岔白产业园"]
    assert [z.local for z in zones] == [False, False]


def test_a_kind_a_jurisdiction_has_one_of_names_that_zone() -> None:
    """自创区 and 自贸区 alone are other names of the zone of their kind the text names in full; where
    it names none, the jurisdiction's own zone of that kind; after a place, neither."""
    text = "释放“自创区、自贸区”政策叠加优势,推进《东湖国家自主创新示范区条例》落实。深化与湖北自贸区合作。"
    assert [(z.name, z.aliases, z.local) for z in find_zones(text, 0)] == [
        ("东湖国家自主创新示范区", ("自创区",), False), ("自贸区", (), True)]
    text = "到2025年,福州、厦门、泉州科技城基本建成,自创区与省内其他高新区共建一批协同创新平台。加强自创区建设。"
    zones = find_zones(text, 10)
    assert [(z.name, z.local) for z in zones if z.name == "自创区"] == [("自创区", True)]
    assert [text[z.start - 10:z.end - 10] for z in zones if z.name == "自创区"] == ["自创区"]


def test_a_zone_called_by_its_jurisdictions_level_is_the_jurisdictions_own() -> None:
    """市开发区 beside named zones is the city's zone; 全市开发区 is every zone of the city."""
    text = "鼓励市开发区、市高新区、赣榆经济开发区设立基金。推动全市开发区、市级开发区高质量发展。"
    assert [(z.name, z.local) for z in find_zones(text, 0)] == [
        ("赣榆经济开发区", False), ("市开发区", True), ("市高新区", True)]


def test_a_zone_called_by_its_kind_alone_is_no_other_zones_short_name() -> None:
    text = "高新开发区、经济技术开发区等2个开发区达到千亿级,贵州乌当经济技术开发区达到五百亿级。"
    assert [(z.name, z.aliases) for z in find_zones(text, 0)] == [
        ("贵州乌当经济技术开发区", ()), ("高新开发区", ()), ("经济技术开发区", ())]


def test_chemical_parks_are_a_kind_of_zone() -> None:
    text = "赣榆海洋经济开发区、连云港化工园区力争完成省级化工园区达标创建。"
    assert [z.name for z in find_zones(text, 0)] == ["赣榆海洋经济开发区", "连云港化工园区"]


def test_spans_cover_the_name() -> None:
    text = "其中,以福州高新区、福州大学城为核心。"
    for zone in find_zones(text, 0):
        assert text[zone.start:zone.end] == zone.name


def test_the_zone_look_ahead_admits_every_suffix() -> None:
    """ZONE_NAME skips positions where no suffix can end: each suffix must end with a character the
    look-ahead names, within its reach (16 name characters and the longest suffix)."""
    ending = set(re.search(r"\[(.+?)\]\)", ZONE_NAME.pattern).group(1))
    for suffix in ZONE_SUFFIX[3:-1].split("|"):
        assert suffix[-1] in ending, suffix
    longest = re.fullmatch(ZONE_SUFFIX, "自由贸易试验区武汉东湖片区")
    assert longest and 16 + len(longest.group()) - 1 <= 28
