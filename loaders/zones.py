"""Development zones and parks named in a document, their aliases, and the industries they focus on.

>>> [(z.name, z.aliases) for z in find_zones("支持武汉东湖新技术开发区(以下简称东湖高新区)发展。东湖高新区要重点发展光电子、生命健康等产业。", 0)]
[('武汉东湖新技术开发区', ('东湖高新区',))]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .agencies import split_agencies
from .gazetteer import gazetteer
from .outline import number_value
from .patterns import LOOK_BACK, ZONE_INDUSTRIES, ZONE_NAME, ZONE_SUFFIX, start_after, zone_name_spans

CLAUSE_BREAK = re.compile(r"[，。、；：:;,“”‘’《》\s要与或在对将把向是的等]|和(?!平)")
LEADING_VERBS = re.compile(
    r"^(?:支持|推进|加快|建设|打造|推动|依托|发挥|鼓励|引导|积极|申报|创建|设立|围绕|加强|提升|促进|实施|深化|"
    r"完善|争创|培育|整合|托管|规划|布局|参与|融入|服务|共建|成立|组建|设立|扩大|主动|承接|允许|构筑|以|由|从)+"
)
VERB_PHRASE = re.compile(
    r"关于|推进|促进|加快|优化|发挥|编制|开展|提升|建立|布局|深化|提高|依据|突出|深入|全面|大力|超前|切实|实施|加强|"
    r"支持|推动|打造|建设|创建|申报|鼓励|引导|围绕|落实|完善|探索|型|资本|试点|示范基地|推广|合作共建|传统|一流|知名|"
    r"未来产业"
)
MAX_UNPLACED_STEM = 6
GENERIC = re.compile(
    r"^(我市|我区|我省|我县|各|全|该|本|此|其|相关|有关|重点|特色|所在|现有|其他|国家级|省级|市级|县级|区级|以上|省级以上|国家|"
    r"经济|高新|技术|工业|产业|合作|中心城|新城|临空|飞地|海关特殊|境外|跨区域|跨区|跨境|专业|镇|街道|乡|主|分|园|区|市|省|"
    r"县|新|大)*"
)
# kinds a jurisdiction has one zone of, called by their short kind alone: 发挥自创区示范引领作用
ONE_PER_JURISDICTION = {"自创区": "自主创新示范区", "自贸区": "自由贸易试验区"}
ONE_PER_JURISDICTION_NAME = re.compile("|".join(ONE_PER_JURISDICTION))
ZONE_KIND = re.compile(rf"(?:工业|产业|经济|高新)?(?:{ZONE_SUFFIX}|{ONE_PER_JURISDICTION_NAME.pattern})$")
BARE_KIND = re.compile(r"(?<!经济|技术|工业|产业|高新)(开发区|园区|新区|特区|产业园|港区)$")
# kinds written out, and short (遵义综合保税区, 遵义综保区): a name's short form, to know its forms
SHORT_KINDS = {"高新技术产业开发区": "高新区", "新技术产业开发区": "高新区", "新技术开发区": "高新区",
               "经济技术开发区": "经开区", "综合保税区": "综保区"}
KIND_WRITTEN_OUT = re.compile(f"(?:{'|'.join(SHORT_KINDS)})$")
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
KIND_BEFORE_PLACE = re.compile(r"(试验区|自贸区)$")
ENUMERATION_ITEM = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,14}}(?:{ZONE_SUFFIX}|园)$")
LEADING_NUMBER = re.compile(r"^[(（][一二三四五六七八九十\d]+[)）]")
# the kind of zone a list's items are said to be: 东门特区、…等境外开发区, …等3个开发区, …等专业子园区
LIST_HEAD = re.compile(r"等(?:(?P<count>[\d一二三四五六七八九十两]+)个)?(?:境外|海外|国家级|省级|市级|县级|专业|特色|重点)?子?"
                       r"(?:开发区|高新区|园区|产业园|工业园|新区|保税区)")
CLAUSE_MARKS = "，。；：:;,\n"
LIST_END_MARKS = "，。；;,\n等"  # a list goes on past a colon (八大园区:…), and ends at 等
# in brackets after a zone's name; inside brackets, brackets are written 〈〉 or <>
ALIAS_NOTE = re.compile(r"[(（〈<](?P<called>以下简称|以下称|简称|下称)?(?P<alias>[^()（）〈〉<>,，。]{2,20})[)）〉>]")
PART = re.compile(r"片区|分园|分区")  # a part of a zone, named in brackets after it: 灌云经济开发区(空港片区产业园)
# what follows a park said to rest on firms it names: 岔白产业园依托高原蓝梦菇、质品服饰等企业
BACKED_BY_FIRMS = re.compile(r"依托[^，。；;,]{2,60}?等(?:龙头|骨干|重点)?企业")
# a zone still to be made, named as what a verb is to make: 建立武汉产业园区, 打造宜居宜业的厦门未来科技城,
# 争创先导区、南京市数字经济产业园 (the verb ends a clause's words before the name, but for a modifier
# ending in 的 or the items listed before it, and the name ends the verb's object: not 打造武汉经开区汽车
# 产业集群); 加快建设 and 推进 speak of zones that are
ASPIRED = re.compile(r"(?:建立|打造|争创|创建|布局建设|规划建设|筹建|新建)"
                     r"(?:[^，。；;,:：\n以为在由]{0,12}的|[^，。；;,:：\n]{0,40}、)?$")
OBJECT_END = re.compile(r"$|[，。；;,、:：\n)）”]|等|和|及")
# a zone the text calls by its jurisdiction's level and its kind alone, in a list of zones: 市开发区, 市高新区
OWN_ZONE = re.compile(r"^[市区县](?:高新区|经开区|开发区|新区|园区|产业园|工业园区?|经济开发区)$")


@dataclass
class _ZoneDraft:
    name: str
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FoundZone:
    name: str
    aliases: tuple[str, ...]
    industries: tuple[str, ...]
    start: int
    end: int
    local: bool  # named by its kind alone (经济技术开发区, 市高新区): the document's jurisdiction's zone


def find_zones(text: str, offset: int) -> list[FoundZone]:
    """Zones in ``text`` (starting at ``offset``), fullest name first seen, aliases merged."""
    drafts: dict[str, _ZoneDraft] = {}
    mentions, others = _zone_mentions(text)
    for name, start, end in mentions:
        draft = _owner_of(drafts, name) or drafts.setdefault(name, _ZoneDraft(name, offset + start, offset + end))
        note = ALIAS_NOTE.match(text, end)
        if note and note["alias"] != draft.name and ZONE_NAME.search(note["alias"]):
            _take_note(drafts, draft, note, offset)
        if name != draft.name:
            _add(draft.aliases, name)
    _add_short_references(drafts, others)
    _add_one_per_jurisdiction(text, drafts, mentions, offset)
    _attach_industries(text, drafts)
    return [FoundZone(d.name, tuple(d.aliases), tuple(d.industries), d.start, d.end, not _specific(d.name))
            for d in drafts.values()]


def _take_note(drafts: dict[str, _ZoneDraft], draft: _ZoneDraft, note: re.Match[str], offset: int) -> None:
    """A zone name in brackets after a zone's: another name of it, unless it names a part of it not
    said to be its short name (灌云经济开发区(空港片区产业园)): a zone of its own then."""
    name = note["alias"]
    if PART.search(name) and not note["called"]:
        drafts.setdefault(name, _ZoneDraft(name, offset + note.start("alias"), offset + note.end("alias")))
    else:
        _add(draft.aliases, name)


def _zone_mentions(text: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Every zone name in the text, with enumerations completed; and what else matched as one but
    is not taken alone (no place and a bare kind, words before it: 增强东湖高新区)."""
    mentions, others = [], []
    for start, end in zone_name_spans(text):
        name = _trim(text[start:end])
        if _is_zone_name(name, bool(BACKED_BY_FIRMS.match(text, end))):
            mentions.append((name, end - len(name), end))
        else:
            others.append(name)
    return [(name, start, end) for name, start, end in mentions + _enumerated(text, mentions)
            if not _aspired(text, start, end)], others


def _aspired(text: str, start: int, end: int) -> bool:
    """Whether the zone named at ``start:end`` is one the text is still to make (:data:`ASPIRED`):
    not yet a zone. Named elsewhere as one that is, it is a zone there.

    >>> _aspired("在有条件的国家建立武汉产业园区", 9, 15), _aspired("争创先导区、数字经济产业园", 6, 13)
    (True, True)
    >>> _aspired("加快建设数字经济产业园", 4, 11), _aspired("打造武汉经开区汽车产业集群", 2, 7)
    (False, False)
    """
    return bool(ASPIRED.search(text, start_after(text, start, CLAUSE_MARKS), start) and OBJECT_END.match(text, end))


def _add_short_references(drafts: dict[str, _ZoneDraft], others: list[str]) -> None:
    """A zone's name without the place it begins with, its kind written short (东湖高新区 of
    武汉东湖新技术开发区), is another name of it wherever a match ends with it, though alone it
    would not be taken for a zone."""
    known = {short: draft for draft in drafts.values() if (short := _without_place(draft.name))}
    for other in others:
        for short, draft in known.items():
            if other.endswith(short):
                _add(draft.aliases, short)


def _add_one_per_jurisdiction(text: str, drafts: dict[str, _ZoneDraft], mentions: list[tuple[str, int, int]],
                              offset: int) -> None:
    """自创区 and 自贸区 alone (not after a place: 湖北自贸区) name the one zone of their kind the text is
    about: another name of the zone of that kind it names in full (东湖国家自主创新示范区), else a
    zone of the jurisdiction's, called so (as 市开发区 is).

    >>> [(z.name, z.aliases) for z in find_zones("发挥东湖国家自主创新示范区作用,释放“自创区、自贸区”政策优势", 0)]
    [('东湖国家自主创新示范区', ('自创区',)), ('自贸区', ())]
    """
    for match in ONE_PER_JURISDICTION_NAME.finditer(text):
        if _after_place(text, match.start()) or any(start <= match.start() < end for _, start, end in mentions):
            continue
        short, kind = match[0], ONE_PER_JURISDICTION[match[0]]
        named = next((draft for draft in drafts.values() if kind in draft.name or draft.name.endswith(short)), None)
        if named is None:
            drafts[short] = _ZoneDraft(short, offset + match.start(), offset + match.end())
        elif named.name != short:
            _add(named.aliases, short)


def _after_place(text: str, at: int) -> bool:
    """Whether a place's name ends at ``at``: 湖北 in 湖北自贸区.

    >>> _after_place("湖北自贸区", 2), _after_place("释放自贸区", 2)
    (True, False)
    """
    window = text[max(0, at - 8):at]
    return any(start + len(name) == len(window) for start, name in gazetteer().strict_names.finditer(window))


@functools.lru_cache(maxsize=65536)
def _without_place(name: str) -> str | None:
    """The name written short without the place it begins with, when a specific name is left.

    >>> _without_place("武汉东湖新技术开发区"), _without_place("武汉经济技术开发区"), _without_place("黄羊工业园区")
    ('东湖高新区', None, None)
    """
    short = short_form(name)
    place = gazetteer().strict_names.search(short)
    if not place or place[0] != 0:
        return None
    rest = short[len(place[1]):]
    rest = rest[1:] if rest[:1] in ("省", "市") else rest
    return rest if ZONE_NAME.fullmatch(rest) and _specific(rest) else None


# the name tests below are pure functions of a string, and the same names come back in every
# document of a place: remembered, they stop costing a search of the gazetteer's names each time
@functools.lru_cache(maxsize=65536)
def _trim(raw: str) -> str:
    """The name without the words before it: clause, outline number, verbs, and a generic lead
    before a place name (深入推进武汉东湖综合保税区 → 武汉东湖综合保税区)."""
    cut = max((m.end() for m in CLAUSE_BREAK.finditer(raw)), default=0)
    name = LEADING_VERBS.sub("", LEADING_NUMBER.sub("", raw[cut:]))
    place = gazetteer().strict_names.search(name)
    if place and place[0] > 0 and not _place_inside_name(name, place[0]):
        name = name[place[0]:]
    return name


def _place_inside_name(name: str, at: int) -> bool:
    """中国(湖北)自由贸易试验区…, 自贸试验区连云港片区: the words before the place belong to the name."""
    before = name[:at]
    return bool(KIND_BEFORE_PLACE.search(before)) or (before.endswith(("(", "（")) and ")" in name[at:])


@functools.lru_cache(maxsize=65536)
def _is_zone_name(name: str, rests_on_firms: bool = False) -> bool:
    """Whether a name matched is a zone's. A park without a place in its name, its kind bare, is
    one where the text goes on to name the firms it ``rests_on_firms``: 岔白产业园依托高原蓝梦菇、
    质品服饰等企业 (not 食品产业园依托资源优势: no firm named).

    >>> _is_zone_name("甘棠产业园"), _is_zone_name("甘棠产业园", rests_on_firms=True), _is_zone_name("产业园", True)
    (False, True, False)
    """
    place = gazetteer().strict_names.search(name)
    if not _specific(name) or VERB_PHRASE.search(name) or name.count("(") != name.count(")"):
        return False
    if place and _stem(name) == _written_place(name, place):
        return False  # 甘肃省开发区, 福建省高新技术产业开发区: the province's zones, not one zone
    return bool(place) or _unplaced_name_ok(name, rests_on_firms)


def _written_place(name: str, place: tuple[int, str]) -> str | None:
    """The place found at ``(start, name)`` as written when it carries its 省/市 suffix (甘肃省),
    else ``None``."""
    start, found = place
    end = start + len(found) + (1 if name[start + len(found):start + len(found) + 1] in "省市" else 0)
    written = name[start:end]
    return written if written[-1] in "省市" or gazetteer().by_name[found][0].rank == 0 else None


def _enumerated(text: str, mentions: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Items listed with a zone (八大园区:光谷生物城、…、光电子产业园), or before the kind of zone
    they are said to be (哈萨克斯坦里海物流基地、东门特区等境外开发区), are zones too. Each needs a
    specific name, but for a zone called by its jurisdiction's level (鼓励市开发区、徐圩新区), and
    for every item of a list that counts its items (高新开发区、经济技术开发区、双龙航空港经济区等3个开发区).

    >>> [name for name, _, _ in _enumerated("加强与哈萨克斯坦里海物流基地、东门特区等境外开发区的合作", [])]
    ['哈萨克斯坦里海物流基地', '东门特区']
    >>> [name for name, _, _ in _enumerated("到2025年,高新开发区、经济技术开发区等2个开发区达到千亿级", [])]
    ['高新开发区', '经济技术开发区']
    """
    found, known = [], {name for name, _, _ in mentions}
    lists: list[tuple[int, int, int | None]] = [(*_list_around(text, start, end), None) for _, start, end in mentions]
    lists += [(start_after(text, head.start(), CLAUSE_MARKS), head.start(), _count(head["count"]))
              for head in LIST_HEAD.finditer(text)]
    for left, right, count in lists:
        position, items = left, text[left:right].split("、")
        for item in items:
            name = _trim(item.strip())
            if name not in known and not VERB_PHRASE.search(name) and (
                    OWN_ZONE.match(name) or ENUMERATION_ITEM.match(name) and (_specific(name) or count == len(items))):
                known.add(name)
                end_of_item = position + len(item.rstrip())
                found.append((name, end_of_item - len(name), end_of_item))
            position += len(item) + 1
    return found


def _count(written: str | None) -> int | None:
    """How many a list head says its list holds (等3个, 等两个), if it says.

    >>> _count("3"), _count("两"), _count("十二"), _count(None)
    (3, 2, 12, None)
    """
    return number_value(written.replace("两", "二")) if written else None


def _list_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the list a name at ``start:end`` may be an item of: its clause, to 等 at most."""
    horizon = min(len(text), end + LOOK_BACK)
    right = min((i for i in (text.find(mark, end, horizon) for mark in LIST_END_MARKS) if i >= 0), default=horizon)
    return start_after(text, start, CLAUSE_MARKS), right


@functools.lru_cache(maxsize=65536)
def _specific(name: str) -> bool:
    """True for a proper name: it holds a place, or something specific is left once generic words
    are removed."""
    if gazetteer().strict_names.search(name):
        return True
    return len(GENERIC.sub("", re.sub(r"[()（）]", "", _stem(name)))) >= 2


def _unplaced_name_ok(name: str, rests_on_firms: bool) -> bool:
    """Without a place in it, a name needs a short stem, and a specific kind (not a bare 开发区)
    unless the text names the firms it rests on."""
    return (rests_on_firms or not BARE_KIND.search(name)) and len(_stem(name)) <= MAX_UNPLACED_STEM


def _stem(name: str) -> str:
    """The name without its kind: 黄羊工业园区 → 黄羊."""
    return ZONE_KIND.sub("", name)


def _owner_of(drafts: dict[str, _ZoneDraft], name: str) -> _ZoneDraft | None:
    """The zone a name is another form of: the same, an alias, or a shorter tail of a fuller
    specific name, its kind written out or short (武汉经开区 of 武汉经济技术开发区), with or without a place in
    brackets (:func:`_comparable`)."""
    short = short_form(name)
    for draft in drafts.values():
        if name == draft.name or name in draft.aliases:
            return draft
        if not (_specific(name) and _specific(draft.name)):
            continue  # a zone called by its kind alone is no other zone's short name: 经济技术开发区
        held, given = _comparable(short_form(draft.name), short)
        if given.endswith(held) and len(name) > len(draft.name):
            _add(draft.aliases, draft.name)
            draft.name = name
            return draft
        if held.endswith(given):
            return draft
    return None


def _comparable(held: str, given: str) -> tuple[str, str]:
    """Two names as compared: where one has a place in brackets and the other none, without it
    (上合组织(连云港)国际物流园, 上合组织国际物流园); two bracketed names stay apart (中国(湖北)自由贸易
    试验区, 中国(上海)自由贸易试验区).

    >>> _comparable("上合组织(连云港)国际物流园", "上合组织国际物流园")
    ('上合组织国际物流园', '上合组织国际物流园')
    """
    if bool(BRACKETED.search(held)) == bool(BRACKETED.search(given)):
        return held, given
    return BRACKETED.sub("", held), BRACKETED.sub("", given)


@functools.lru_cache(maxsize=65536)
def short_form(name: str) -> str:
    """The name with its kind written short.

    >>> short_form("武汉东湖新技术开发区"), short_form("遵义综合保税区"), short_form("黄羊工业园区")
    ('武汉东湖高新区', '遵义综保区', '黄羊工业园区')
    """
    return KIND_WRITTEN_OUT.sub(lambda kind: SHORT_KINDS[kind[0]], name)


def _attach_industries(text: str, drafts: dict[str, _ZoneDraft]) -> None:
    for match in ZONE_INDUSTRIES.finditer(text):
        before = text[start_after(text, match.start(), "。；;"):match.start()]
        zone = next((d for d in drafts.values() for form in [d.name, *d.aliases] if form in before), None)
        if zone is None:
            continue
        for item in split_agencies(match.group("list"), 0):
            _add(zone.industries, item.as_written)


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
