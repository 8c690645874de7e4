"""Quantified targets a document sets: 到2025年，东湖高新区市场主体数量力争突破20万家.

A target is a quantity (an amount and its unit) that follows a deadline (到2025年, 2020年底前,
“十四五”末) in the same paragraph, or that a goals section states (二、发展目标, (四)“十四五”经济社会
发展目标), with the indicator it measures, how the amount is to be met (at least, at most, about,
or reached), and whether it is striven for (力争) rather than set.

>>> [(t.indicator, t.comparison, t.amount, t.unit, t.year, t.aspirational)
...  for t in find_targets("到2025年，东湖高新区市场主体数量力争突破20万家。")]
[('东湖高新区市场主体数量', 'atLeast', '20', '万家', 2025, True)]

What a quantity counts, when written after it, joins the indicator, and items listed after one
(、) share its words before the amount:

>>> [(t.indicator, t.amount, t.unit) for t in find_targets("到2025年，建成1个国家医学中心、4个重大医疗项目。")]
[('建成国家医学中心', '1', '个'), ('建成重大医疗项目', '4', '个')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .outline import parse_marker
from .patterns import start_after
from .records import Span, Target

Due = tuple[str, int | None]  # a deadline as written, and its year

PLAN_NUMERALS = "一二三四五六七八九"
PLAN_PERIOD = re.compile(rf"[“\"]?十(?P<plan>[{PLAN_NUMERALS}])五[”\"]?")  # a five-year plan: “十四五”
# a deadline: 到2025年, 至2020年底, 到20xx年 (a placeholder year), 2018年9月底前, 到“十四五”末
DEADLINE = re.compile(
    r"(?:(?:到|至|截至|截止到?)\s*(?P<year>\d{4}|20[xX×]{2})\s*年(?:\d{1,2}月)?(?:底|末)?(?:前|以前)?"
    r"|(?P<year_before>\d{4})年(?:\d{1,2}月)?(?:底|末)?(?:前|以前))"
    rf"|(?:到|至)?{PLAN_PERIOD.pattern}(?:时期末|期末|末)"
)
DEADLINE_LEAD = re.compile(r"^(?:到|至|截至|截止到?)\s*")
# a heading whose section states goals: 发展目标, 主要指标, 目标任务
GOAL_HEADING = re.compile(r"(?:目标|指标)(?:任务)?$")
# in a goals section, a year that opens a sentence is a deadline too: 2025年，东湖高新区经济总量突破5000亿元
GOAL_YEAR = re.compile(r"(?:^|(?<=[。；;]))\s*(?P<year>\d{4}|20[xX×]{2})年(?:底|末)?(?=[，,])")
NUMBER = r"\d+(?:\.\d+)?"
MULTIPLIER = r"万亿|千亿|百亿|亿|千万|百万|万|千"
MEASURE_UNIT = (r"美元|元|家|个百分点|个|户|所|项|人次|人|名|平方米|平方公里|亩|公顷|公里|千米|吨标准煤|吨|标准箱|标箱|台|套|条|"
                r"座|栋|件|次|倍|%|％|‰")
QUANTITY = re.compile(
    rf"(?<![\d.A-Za-z第])(?P<amount>{NUMBER})(?:\s*[~～\-－—–至到]\s*(?P<upper>{NUMBER}))?\s*"
    rf"(?P<unit>(?:{MULTIPLIER})?(?:{MEASURE_UNIT})(?:/(?:亩|平方米|人|年))?|(?:{MULTIPLIER}))"
    r"(?P<after>以上|以下|以内|左右)?"
    r"|翻(?P<doublings>一|两|二|三)?番|(?<=实现)倍增"
)
DOUBLINGS = {"一": 1, "两": 2, "二": 2, "三": 3}
# what follows an amount that only qualifies what comes next: 超600亿的开发区, 150亿级, 超100亿元以上11个
QUALIFIER_AFTER = re.compile(r"[的级\d]")
CLAUSE_MARKS = "，,；;。：:！？!?\n"
SENTENCE_MARKS = "；;。！？!?\n"
OPENERS, CLOSERS = "《（(〔【", "》）)〕】"
# words between two listed quantities: 1个国家医学中心、4个重大医疗项目; 1家以上百亿企业和3家以上上市企业
LIST_SEPARATORS = "、和及与"
LIST_JOINER = re.compile(rf"^[{LIST_SEPARATORS}]*$")
# the counted thing written after a quantity ends at a clause's end or a bracket, or where the next listed
# amount begins; words running on into another amount are that amount's (国家级开发区1个、省级开发区1个)
COUNTED_END = re.compile(rf"[{CLAUSE_MARKS}{OPENERS}]|[{LIST_SEPARATORS}](?=\d)|(?P<next>\d)")
COMPARISON_WORDS = {
    "atLeast": ("不低于", "不少于", "至少", "突破", "超过", "高于", "超"),
    "atMost": ("不超过", "不高于", "控制在", "下降到", "降低到", "降至", "低于"),
    "about": ("大约", "约"),
    "reach": ("提高到", "提升到", "提高至", "提升至", "增加到", "增长到", "达到", "保持在", "实现", "增至", "达", "为"),
}
# the verb that ends the words before an amount, the longest first (不超过 before 超过)
COMPARISON_VERB = re.compile(
    "(?:" + "|".join(sorted((verb for verbs in COMPARISON_WORDS.values() for verb in verbs), key=len, reverse=True)) + ")$")
VERB_COMPARISON = {verb: comparison for comparison, verbs in COMPARISON_WORDS.items() for verb in verbs}
AFTER_COMPARISON = {"以上": "atLeast", "以下": "atMost", "以内": "atMost", "左右": "about"}
STRIVING = re.compile("力争")
# an amount granted, not a goal: 奖励100万元, 最高不超过300万元, 按投资额的30%给予补助
GRANT = re.compile("奖励|补助|补贴|资助|贴息|给予|扶持|最高")
TRAILING_WORDS = re.compile(r"(?:分别|均|要|将|共|总计)+$")
LEADING_SEPARATORS = re.compile(r"[\s，,、]*")
LEADING_WORDS = re.compile(rf"^(?:[{LIST_SEPARATORS}]|其中|同时|并)+")


@dataclass(frozen=True)
class _Lead:
    """The words before a quantity, read as the indicator and the comparison their verb says;
    shared by the items listed after it."""

    indicator: str
    comparison: str | None

    @classmethod
    def of(cls, words: str) -> "_Lead":
        return cls(*_indicator(words))


def find_targets(text: str, span: Callable[[int, int], Span] = Span, section: Due | None = None) -> list[Target]:
    """The targets of one paragraph ``text``; ``span`` gives the span of its characters
    ``[start, end)`` in the source (by default, those offsets). In a goals section
    (:func:`section_deadline`), ``section`` is the deadline it names (``("", None)`` for none), and
    the amounts before the paragraph's own first deadline are targets by it.

    >>> [(t.indicator, t.deadline, t.year) for t in find_targets("全区经济总量突破5000亿元。", section=("“十四五”", 2025))]
    [('全区经济总量', '“十四五”', 2025)]
    >>> [(t.amount, t.deadline) for t in find_targets("2021年，产值达到75亿元；2022年，产值达到90亿元。", section=("", None))]
    [('75', '2021年'), ('90', '2022年')]
    """
    deadlines = list(DEADLINE.finditer(text))
    if section is not None:
        deadlines = sorted(deadlines + list(GOAL_YEAR.finditer(text)), key=lambda deadline: deadline.start())
    scopes = [(deadline.end(), _deadline(deadline)) for deadline in deadlines]
    ends = [deadline.start() for deadline in deadlines[1:]] + [len(text)]
    if section is not None:
        scopes.insert(0, (0, section))
        ends.insert(0, deadlines[0].start() if deadlines else len(text))
    return [target for (start, due), end in zip(scopes, ends) for target in _targets_in(text, start, end, due, span)]


def has_amount(text: str) -> bool:
    """Whether ``text`` writes an amount at all (most paragraphs do not): what to look at.

    >>> has_amount("突破20万家"), has_amount("瞪羚企业数量翻一番"), has_amount("二、主要任务")
    (True, True, False)
    """
    return QUANTITY.search(text) is not None


def section_deadline(headings: list[str]) -> Due | None:
    """The deadline of the goals section under ``headings`` (outermost first): the last a goal
    heading names (到2025年, “十四五”); ``("", None)`` when it names none; None outside one.

    >>> section_deadline(["“十四五”经济社会发展目标"]), section_deadline(["发展目标"]), section_deadline(["主要任务"])
    (('“十四五”', 2025), ('', None), None)
    """
    goals = [heading for heading in headings if GOAL_HEADING.search(heading)]
    if not goals:
        return None
    for heading in reversed(goals):
        if deadline := DEADLINE.search(heading):
            return _deadline(deadline)
        if plan := PLAN_PERIOD.search(heading):
            return plan.group(), _plan_end(plan["plan"])
    return "", None


def _targets_in(text: str, scope_start: int, scope_end: int, due: Due, span: Callable[[int, int], Span]) -> list[Target]:
    """The targets between ``scope_start`` and ``scope_end``, due by ``due``."""
    targets: list[Target] = []
    lead: _Lead | None = None
    previous_end = scope_start
    for quantity in QUANTITY.finditer(text, scope_start, scope_end):
        counted_end = _counted_end(text, quantity.end(), scope_end)
        if counted_end is None or _inside_brackets(text, scope_start, quantity.start()):
            continue
        clause_start = max(start_after(text, quantity.start(), CLAUSE_MARKS), scope_start)
        start = _words_start(text, max(clause_start, previous_end))
        before = text[start:quantity.start()]
        if lead is not None and previous_end > clause_start and LIST_JOINER.match(before):
            start = quantity.start()  # listed after another: its lead is theirs
        elif before.endswith("等"):  # 高新区、经开区等3个开发区: how many it listed, not a target
            continue
        else:
            lead = _Lead.of(before)
        if GRANT.search(lead.indicator):
            continue
        targets.append(_target(text, quantity, lead, (start, counted_end), due, span))
        previous_end = counted_end
    return targets


def _target(text: str, quantity: re.Match[str], lead: _Lead, at: tuple[int, int], due: Due,
            span: Callable[[int, int], Span]) -> Target:
    """The target a quantity sets by the deadline ``due``, read with the words before it
    (``lead``) and what it counts after it: ``text[at[0]:at[1]]``."""
    amount, upper, unit = _amount(quantity)
    sentence_start = start_after(text, quantity.start(), SENTENCE_MARKS)
    end = at[0] + len(text[at[0]:at[1]].rstrip())  # a paragraph's last target: not the spaces after it
    return Target(
        indicator=lead.indicator + text[quantity.end():at[1]].strip(),
        comparison=AFTER_COMPARISON.get(quantity["after"] or "") or lead.comparison or "reach",
        amount=amount, unit=unit, deadline=due[0], year=due[1],
        aspirational=bool(STRIVING.search(text, sentence_start, quantity.start())),
        span=span(at[0], end),
        sentence=text[sentence_start:_sentence_end(text, quantity.end())].strip(),
        upper=upper,
    )


def _deadline(match: re.Match[str]) -> Due:
    """A deadline as written (without 到/至) and its year; the last year of a five-year plan
    (“十四五”末: 2025)."""
    written, found = DEADLINE_LEAD.sub("", match.group().strip()), match.groupdict()
    if found.get("plan"):
        return written, _plan_end(found["plan"])
    year = _ascii(found.get("year") or found["year_before"])
    return written, int(year) if year.isdigit() else None


def _plan_end(numeral: str) -> int:
    """The last year of the five-year plan numbered 十 + ``numeral`` (十四五: 2025)."""
    return 1955 + 5 * (11 + PLAN_NUMERALS.index(numeral))


def _inside_brackets(text: str, start: int, at: int) -> bool:
    """Whether ``at`` is inside brackets or a title opened after ``start``: (2021—2025年), 《…》."""
    depth = 0
    for char in text[start:at]:
        depth += char in OPENERS
        depth -= char in CLOSERS and depth > 0
    return depth > 0


def _sentence_end(text: str, at: int) -> int:
    ends = [found for mark in SENTENCE_MARKS if (found := text.find(mark, at)) >= 0]
    return min(ends, default=len(text))


def _counted_end(text: str, at: int, scope_end: int) -> int | None:
    """Where the thing a quantity counts, written after it, ends (1个国家医学中心): ``at`` when the
    words after it are the next listed amount's (国家级开发区1个、省级开发区1个); None when the
    quantity only qualifies what follows it (超600亿的开发区, 150亿级, 超100亿元以上开发区11个)."""
    if QUALIFIER_AFTER.match(text, at):
        return None
    end = COUNTED_END.search(text, at, scope_end)
    if end is None:
        return scope_end
    if not end["next"]:
        return end.start()
    return at if text[at] in LIST_SEPARATORS else None


def _indicator(words: str) -> tuple[str, str | None]:
    """The indicator in the words before an amount, and the comparison its verb says.

    >>> _indicator("，东湖高新区市场主体数量力争突破"), _indicator("标准厂房利用率保持在")
    (('东湖高新区市场主体数量', 'atLeast'), ('标准厂房利用率', 'reach'))
    """
    words = TRAILING_WORDS.sub("", STRIVING.sub("", words).strip(" \t\u3000，,、"))
    verb = COMPARISON_VERB.search(words)
    if verb is None:
        return LEADING_WORDS.sub("", words), None
    return LEADING_WORDS.sub("", TRAILING_WORDS.sub("", words[:verb.start()])), VERB_COMPARISON[verb.group()]


def _amount(quantity: re.Match[str]) -> tuple[str, str | None, str]:
    """Amount, upper end and unit; a doubling (翻一番, 倍增) is 2 倍, 翻两番 4 倍."""
    if quantity["amount"] is None:
        doublings = DOUBLINGS[quantity["doublings"]] if quantity["doublings"] else 1
        return str(2 ** doublings), None, "倍"
    upper = _ascii(quantity["upper"]) if quantity["upper"] else None
    return _ascii(quantity["amount"]), upper, quantity["unit"].replace("％", "%")


def _ascii(digits: str) -> str:
    """Digits as ASCII (full-width ２０２５ too); a placeholder's letters unchanged."""
    return "".join(str(int(char)) if char.isdigit() else char for char in digits)


def _words_start(text: str, at: int) -> int:
    """Where the words from ``at`` begin: past white space and separators, and at the paragraph's
    start past its item's number (1.高新技术企业数量, as the outline reads it)."""
    marker = parse_marker(text) if at == 0 else None
    if marker is not None:
        at = marker[2]
    separators = LEADING_SEPARATORS.match(text, at)
    return separators.end() if separators else at
