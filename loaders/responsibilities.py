"""Who owns a measure: responsibility brackets, label lines and phrases, with roles.

Supported forms (all seen in real documents):

- a labelled bracket: ``(责任单位:市发展改革委、市环保局)``, ``(牵头单位:A;配合单位:B、C)``
- a label line under an item: ``区直牵头单位:区发改局、区工信局`` / ``实施主体:各工业园区``
- labels closing an item's paragraph, after its last sentence: ``…共享。主责单位:市人社局;协同单位:市教育局``
- a bracket of role verbs: ``(市发改委牵头,市财政局、市商务局配合)``, ``(市科技局负责)``
- a sentence naming the implementer: ``各县(市、区)是平台优化提升工作的责任主体``
- a phrase naming the lead: ``由市商务局牵头``

>>> [(o.role, o.name) for o in parse_owner_text("牵头单位:市科技局;配合单位:市财政局、发改委", 0)]
[('lead', '市科技局'), ('support', '市财政局'), ('support', '市发改委')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .agencies import (CLOSERS, OPENERS, NamedAgency, looks_like_agency, spaces_as_separators, split_agencies,
                       split_outside_brackets)
from .patterns import CLOSE, COLON, IMPLEMENTER_SENTENCE, OPEN, OWNER_LABEL, ROLE_LABEL, ROLE_VERB_TAIL

BRACKET = re.compile(f"[{OPEN}{CLOSE}]")
LEAD_BY = re.compile(r"由(?P<who>[^，。；,;：:\s由]{2,40}?)牵头")
OTHER_FIELD = re.compile(rf"[；;，,。]\s*[\u4e00-\u9fff]{{2,8}}{COLON}")  # ;完成时限: after a label's agencies
CLOSING_LABEL = re.compile(rf"[。；;！!？?]\s*(?P<label>{OWNER_LABEL})\s*{COLON}")
PERSON_LABEL = re.compile(r"领导$")


@dataclass(frozen=True)
class Owner(NamedAgency):
    """An agency with its role, as found in the working text."""

    role: str

    @classmethod
    def of(cls, agency: NamedAgency, role: str) -> "Owner":
        return cls(agency.as_written, agency.name, agency.start, agency.end, role)


@dataclass(frozen=True)
class OwnerClause:
    """A responsibility clause: where it stands in the block and whom it names."""

    start: int
    end: int
    owners: tuple[Owner, ...]
    kind: str = "bracket"  # label (a line of its own, or closing a paragraph) | bracket | sentence


def role_of_label(label: str) -> str | None:
    """Role for a label; ``None`` for a person (牵头领导).

    >>> role_of_label("区直牵头单位"), role_of_label("配合单位"), role_of_label("实施主体"), role_of_label("牵头领导")
    ('lead', 'support', 'implementer', None)
    """
    if PERSON_LABEL.search(label):
        return None
    if "牵头" in label or "主责" in label:
        return "lead"
    if any(word in label for word in ("配合", "协办", "协同", "参与", "支持", "协助")):
        return "support"
    if "主体" in label or label.endswith("实施单位"):
        return "implementer"
    return "responsible"


def role_of_verb(verb: str) -> str:
    """Role for a trailing verb: 牵头 → lead, 配合/协助 → support, 负责 → responsible."""
    if "牵头" in verb:
        return "lead"
    if verb in ("配合", "协助"):
        return "support"
    return "responsible"


def parse_owner_text(text: str, offset: int) -> list[Owner]:
    """Owners in the text of a bracket or label line (``offset``: where ``text`` starts)."""
    labels = list(ROLE_LABEL.finditer(text))
    if labels:
        return _labelled_owners(text, offset, labels)
    return _verb_owners(text, offset)


def find_owner_clauses(block: str, offset: int) -> list[OwnerClause]:
    """Every responsibility clause in a paragraph: label line, brackets, and sentences."""
    if ROLE_LABEL.match(block):
        owners = parse_owner_text(block, offset)
        return [OwnerClause(offset, offset + len(block), tuple(owners), "label")] if owners else []
    brackets = _top_level_brackets(block)
    clauses = [clause for clause in _bracket_clauses(block, offset, brackets) if clause.owners]
    clauses += _closing_labels(block, offset, brackets)
    taken = [(c.start - offset, c.end - offset) for c in clauses]
    clauses += _sentence_clauses(block, offset, taken)
    return sorted(clauses, key=lambda c: c.start)


def _closing_labels(block: str, offset: int, brackets: list[tuple[int, int]]) -> list[OwnerClause]:
    """Labels after a paragraph's sentences, outside brackets, to the end of their sentence.

    >>> [(c.kind, [(o.role, o.name) for o in c.owners]) for c in _closing_labels("建设。牵头单位:区商务局;配合单位:区财政局。", 0, [])]
    [('label', [('lead', '区商务局'), ('support', '区财政局')])]
    >>> bracketed = "建设园区(建成后。责任单位:区商务局)。"
    >>> _closing_labels(bracketed, 0, _top_level_brackets(bracketed))
    []
    """
    if ":" not in block and "：" not in block:
        return []  # every label has its colon: most paragraphs are over here
    label = next((match for match in CLOSING_LABEL.finditer(block)
                  if not any(start < match.start() < end for start, end in brackets)), None)
    if label is None:
        return []
    begin = label.start("label")
    end = block.find("。", begin)
    end = len(block) if end < 0 else end
    owners = parse_owner_text(block[begin:end], offset + begin)
    return [OwnerClause(offset + begin, offset + end, tuple(owners), "label")] if owners else []


def _labelled_owners(text: str, offset: int, labels: list[re.Match[str]]) -> list[Owner]:
    """Each label's agencies, to the next label or field (完成时限:…), in the label's role; where
    role verbs follow them, in the verb's, unless it says no more than 负责 (责任单位:市发改委牵头,
    市直相关部门按职责分工负责; 牵头单位:市发改委、市科技局负责).

    >>> [(o.role, o.name) for o in parse_owner_text("责任单位:市发改委牵头,市财政局配合;完成时限:2022年底", 0)]
    [('lead', '市发改委'), ('support', '市财政局')]
    >>> [(o.role, o.name) for o in parse_owner_text("牵头单位:市发改委  配合单位:市财政局 市商务局", 0)]
    [('lead', '市发改委'), ('support', '市财政局'), ('support', '市商务局')]
    """
    owners: list[Owner] = []
    for label, following in zip(labels, labels[1:] + [None]):
        role = role_of_label(label.group("label"))
        end = following.start() if following else len(text)
        if role is None:
            continue
        segment = text[label.end():end]
        field = OTHER_FIELD.search(segment)
        segment = spaces_as_separators((segment[:field.start()] if field else segment).rstrip())
        verbs = _verb_owners(segment, offset + label.end()) if ROLE_VERB_TAIL.search(segment) else []
        by_verbs = [replace(owner, role=role if owner.role == "responsible" else owner.role) for owner in verbs]
        owners += by_verbs or [Owner.of(agency, role) for agency in split_agencies(segment, offset + label.end())]
    return owners


def _verb_owners(text: str, offset: int) -> list[Owner]:
    """``市发改委牵头,市财政局配合``: each clause ends in a role verb, or the whole text does."""
    owners: list[Owner] = []
    for clause, start in _clauses(text):
        verb = ROLE_VERB_TAIL.search(clause)
        if not verb:
            return []
        names = split_agencies(clause[: verb.start()], offset + start)
        if not names or not all(looks_like_agency(n.name) for n in names):
            return []
        role = role_of_verb(verb.group(1))
        owners.extend(Owner.of(n, role) for n in names)
    return owners


def _clauses(text: str) -> list[tuple[str, int]]:
    """Split at ，,;； outside brackets, where a role verb closes the clause."""
    pieces = split_outside_brackets(text, _closes_clause)
    return [(piece, start) for piece, start in pieces if piece.strip()]


def _closes_clause(text: str, begin: int, at: int) -> bool:
    return text[at] in "，,;；" and bool(ROLE_VERB_TAIL.search(text[begin:at]))


def _bracket_clauses(block: str, offset: int, brackets: list[tuple[int, int]]) -> list[OwnerClause]:
    clauses = []
    for start, end in brackets:
        inner = block[start + 1:end]
        owners = parse_owner_text(inner, offset + start + 1) if _may_name_owners(inner) else []
        clauses.append(OwnerClause(offset + start, offset + end + 1, tuple(owners)))
    return clauses


def _may_name_owners(inner: str) -> bool:
    return bool(ROLE_LABEL.match(inner.strip())) or bool(ROLE_VERB_TAIL.search(inner.strip()))


def _top_level_brackets(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each outermost bracket pair (any bracket style)."""
    pairs, depth, begin = [], 0, 0
    for bracket in BRACKET.finditer(text):
        i, char = bracket.start(), bracket.group()
        if char in OPENERS:
            if depth == 0:
                begin = i
            depth += 1
        elif char in CLOSERS and depth:
            depth -= 1
            if depth == 0:
                pairs.append((begin, i))
    return pairs


def _sentence_clauses(block: str, offset: int, taken: list[tuple[int, int]]) -> list[OwnerClause]:
    found = []
    for pattern, role, needed in ((IMPLEMENTER_SENTENCE, "implementer", "主体"), (LEAD_BY, "lead", "牵头")):
        if needed not in block:
            continue  # each pattern holds its word: without it, no match (a scan costs 30 lengths per position)
        for match in pattern.finditer(block):
            if any(a <= match.start() < b for a, b in taken):
                continue
            names = split_agencies(match.group("who"), offset + match.start("who"))
            if names and all(looks_like_agency(n.name) for n in names):
                owners = tuple(Owner.of(n, role) for n in names)
                found.append(OwnerClause(offset + match.start(), offset + match.end(), owners, "sentence"))
    return found
