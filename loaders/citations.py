"""Other documents named in 《》, with their 文号 and whether the citing text implements them.

>>> [(c.title, c.doc_number, c.basis) for c in find_citations(
...     "为贯彻落实《国务院办公厅关于促进开发区改革和创新发展的若干意见》(国办发〔2017〕7号)精神,特提出如下意见:", 0, 10**6)]
[('国务院办公厅关于促进开发区改革和创新发展的若干意见', '国办发〔2017〕7号', True)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .docnumber import parse_doc_number
from .patterns import BASIS_CUE, start_after

FOLLOWING_NUMBER = re.compile(r"\s*[(（]\s*(?P<number>[^()（）《》]{2,40}?号)\s*[)）]")
SENTENCE_END = "。！？!?"
TITLE_MARK = re.compile(f"[《》{SENTENCE_END}]")


@dataclass(frozen=True)
class FoundCitation:
    """A 《title》 with the offsets of the whole mention in the working text."""

    title: str
    doc_number: str | None
    basis: bool
    start: int
    end: int


def find_citations(text: str, offset: int, preamble_end: int) -> list[FoundCitation]:
    """Every 《…》 in ``text`` (starting at ``offset``); ``basis`` only before ``preamble_end``."""
    found = []
    for start, end in _titles(text):
        title = re.sub(r"\s+", " ", text[start + 1:end]).strip()
        if not title:
            continue
        number_match = FOLLOWING_NUMBER.match(text, end + 1)
        number = parse_doc_number(number_match.group("number")) if number_match else None
        stop = number_match.end() if number and number_match else end + 1
        basis = offset + start < preamble_end and _cued(text, start)
        found.append(FoundCitation(title, number, basis, offset + start, offset + stop))
    return found


def _titles(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each outermost 《…》; an unclosed 《 is skipped."""
    pairs, depth, begin = [], 0, 0
    for mark in TITLE_MARK.finditer(text):
        i, char = mark.start(), mark.group()
        if char == "《":
            if depth == 0:
                begin = i
            depth += 1
        elif char == "》" and depth:
            depth -= 1
            if depth == 0:
                pairs.append((begin, i))
        elif char in SENTENCE_END and depth:
            depth = 0  # an unclosed 《 does not swallow the next sentence
    return pairs


def _cued(text: str, at: int) -> bool:
    """True when the sentence holding position ``at`` says, before it, that it implements it."""
    return bool(BASIS_CUE.search(text, start_after(text, at, SENTENCE_END), at))
