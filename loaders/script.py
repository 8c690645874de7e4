"""Traditional to simplified script, only for text that is traditional, with an offset map.

OpenCC ``tw2sp`` turns Taiwan characters and phrasing into mainland simplified (支援 → 支持,
最佳化 → 优化), but corrupts text that is already simplified (显著 → 显着): so it runs only on text
:func:`is_traditional` accepts. A few phrases Taiwan writes as the mainland does it reads as
Taiwan's computing terms (核心 → 内核): those are converted character by character
(:data:`KEPT_PHRASES`).
"""
from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher
from typing import Callable, TypeVar

import opencc

from .textmap import MappedText

T = TypeVar("T")

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# conversion runs clause by clause: OpenCC phrases never cross punctuation or white space
CLAUSE = re.compile(r"[^\s，。、；：？！,.;:?!“”‘’\"'《》〈〉<>()（）\[\]【】〔〕]+")
# phrases Taiwan writes as the mainland does, which tw2sp reads as Taiwan's computing terms and turns into
# others (核心 → 内核, 建立 → 创建, 指標 → 指针, 新增 → 添加, 整合 → 集成, 影像 → 图像; 卓著 → 卓着):
# policy text means what they say. In the simplified seeds, 核心 is written 28 times against 内核
# once, 建立 39 against 创建 2, 指标 10 against 指针 0, 新增 5 against 添加 0, 整合 14 against 集成 8,
# 影像 2 against 图像 0. Each is a clause of its own, converted by character (t2s).
KEPT_PHRASES = ("核心", "建立", "指標", "新增", "整合", "影像", "卓著")
KEPT_PHRASE = re.compile("|".join(KEPT_PHRASES))


@functools.lru_cache(maxsize=None)
def opencc_converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration (t2s, s2t, s2twp, tw2sp), built once per process."""
    return opencc.OpenCC(config)


class CharMemo(dict[str, T]):
    """``function`` of each character asked for, worked out once: a character known is a dict's
    look-up, where an OpenCC call costs a microsecond and a file asks of thousands. Characters are
    few (some 28,000 Han ones), so it is never emptied.

    >>> changes = CharMemo(lambda char: char * 2); changes["園"], len(changes)
    ('園園', 1)
    """

    def __init__(self, function: Callable[[str], T]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, char: str) -> T:
        value = self[char] = self.function(char)
        return value


def _changed_by(config: str) -> CharMemo[bool]:
    return CharMemo(lambda char: opencc_converter(config).convert(char) != char)


ONLY_TRADITIONAL, ONLY_SIMPLIFIED = _changed_by("t2s"), _changed_by("s2t")  # whether t2s (s2t) changes a character


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters.

    Counts characters that exist only in traditional script against those only in simplified.

    >>> is_traditional("開發區高質量發展實施方案")
    True
    >>> is_traditional("开发区成效显著")
    False
    """
    distinct = HAN.findall("".join(set(text)))  # the distinct characters first: a few thousand
    traditional = sum(map(ONLY_TRADITIONAL.__getitem__, distinct))
    simplified = sum(map(ONLY_SIMPLIFIED.__getitem__, distinct))
    return traditional >= 3 and traditional > 2 * simplified


def to_simplified(text: MappedText) -> MappedText:
    """Convert with OpenCC ``tw2sp``, keeping every character mapped to the original.

    >>> t = to_simplified(MappedText.identity("最佳化營商環境"))
    >>> t.text, t.span(0, 2)
    ('优化营商环境', Span(start=0, end=3))
    >>> to_simplified(MappedText.identity("培育龍頭核心企業，累計新增標準廠房")).text
    '培育龙头核心企业，累计新增标准厂房'
    """
    source = text.text
    clauses = _clauses(source)
    distinct = list(dict.fromkeys(clause for clause, _ in clauses if clause not in KEPT_PHRASES))
    converted = dict(zip(distinct, _converted_each(distinct)))
    converted.update((phrase, opencc_converter("t2s").convert(phrase)) for phrase in KEPT_PHRASES)
    return text.compose(MappedText.from_pieces(_pieces(source, clauses, converted)))


def _clauses(source: str) -> list[tuple[str, int]]:
    """The clauses holding Han characters, ``(text, start)``, each of :data:`KEPT_PHRASES` a
    clause of its own.

    >>> _clauses("龍頭核心企業。abc")
    [('龍頭', 0), ('核心', 2), ('企業', 4)]
    """
    clauses = []
    for match in CLAUSE.finditer(source):
        clause, start = match.group(), match.start()
        if not HAN.search(clause):
            continue
        done = 0
        for kept in KEPT_PHRASE.finditer(clause):
            if kept.start() > done:
                clauses.append((clause[done:kept.start()], start + done))
            clauses.append((kept.group(), start + kept.start()))
            done = kept.end()
        if done < len(clause):
            clauses.append((clause[done:], start + done))
    return clauses


def _pieces(source: str, clauses: list[tuple[str, int]], converted: dict[str, str]) -> list[tuple[str, int, int]]:
    """The converted text as pieces ``(text, start, end)`` of ``source``: each stretch that maps
    character by character one piece, and each clause converted to another length aligned (a few
    pieces per file, where a piece per clause made mapping them cost more than converting them).

    >>> _pieces("支援專案。最佳化", [("支援專案", 0), ("最佳化", 5)], {"支援專案": "支持项目", "最佳化": "优化"})
    [('支持项目。', 0, 5), ('优', 5, 7), ('化', 7, 8)]
    """
    pieces: list[tuple[str, int, int]] = []
    stretch: list[str] = []  # converted text mapped character by character, from stretch_start to done
    stretch_start = done = 0
    for clause, start in clauses:
        new = converted[clause]
        if new == clause:
            continue
        stretch.append(source[done:start])
        if len(new) == len(clause):
            stretch.append(new)
            done = start + len(clause)
            continue
        pieces.append(("".join(stretch), stretch_start, start))
        pieces.extend(_aligned_pieces(clause, new, start))
        stretch, stretch_start = [], start + len(clause)
        done = stretch_start
    stretch.append(source[done:])
    pieces.append(("".join(stretch), stretch_start, len(source)))
    return [piece for piece in pieces if piece[0]]


def _converted_each(clauses: list[str]) -> list[str]:
    """Each clause converted with ``tw2sp``, as if alone: in one call, a line each (no OpenCC phrase
    holds a line break), for a call per clause cost a traditional file some 10 ms."""
    converter = opencc_converter("tw2sp")
    lines = converter.convert("\n".join(clauses)).split("\n")
    return lines if len(lines) == len(clauses) else [converter.convert(clause) for clause in clauses]


def _aligned_pieces(source: str, converted: str, offset: int) -> list[tuple[str, int, int]]:
    """Pieces of ``converted`` with their ranges in ``source``, aligned where lengths differ."""
    if len(source) == len(converted):
        return [(converted, offset, offset + len(source))]
    matcher = SequenceMatcher(None, source, converted, autojunk=False)
    return [
        (converted[j1:j2], offset + i1, offset + i2)
        for _, i1, i2, j1, j2 in matcher.get_opcodes()
        if j2 > j1
    ]
