"""Measures and their owners, from a document's paragraphs.

A measure is a numbered item under a task section (主要任务, 工作措施 …) at any level, or any item
that names owners. An unnumbered paragraph with its own responsibility bracket, under a heading
line, becomes a measure of its own with an added ordinal: ``二.(二).[1]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from .blocks import Block
from .outline import OutlineItem, OutlineStep, heading_of
from .patterns import ROLE_LABEL
from .records import AgencyMention, Measure
from .responsibilities import Owner, OwnerClause, find_owner_clauses
from .textmap import MappedText

T = TypeVar("T")


@dataclass
class _Draft:
    """A measure being collected: its item (or paragraph), and the owners found for it so far."""

    measure_id: str
    heading: str
    start: int
    end: int
    keep: bool
    owners: list[tuple[Owner, OwnerClause]] = field(default_factory=list)
    paragraphs: int = 0  # unnumbered paragraphs given ids of their own below it

    def take(self, clause: OwnerClause) -> None:
        self.owners.extend((owner, clause) for owner in clause.owners)
        self.end = max(self.end, clause.end)


def extract_measures(steps: list[OutlineStep], text: MappedText) -> tuple[Measure, ...]:
    """Measures of one document (its paragraphs as :func:`~policykg.loaders.outline.walk_outline`
    reads them), in reading order, with owners in the order written."""
    drafts: list[_Draft] = []
    target: _Draft | None = None
    for step in steps:
        clauses = find_owner_clauses(step.block.text, step.block.start)
        if step.item is not None:
            target = _draft_for_item(step.item)
            drafts.append(target)
            for clause in _explicit_or_sentences(clauses):
                target.take(clause)
        elif target is not None and (explicit := [c for c in clauses if c.kind != "sentence"]):
            target = _attach_paragraph(step.block, explicit, target, step.current, drafts)
    return tuple(_to_measure(d, text) for d in drafts if d.keep or d.owners)


def _explicit_or_sentences(clauses: list[OwnerClause]) -> list[OwnerClause]:
    """An item's brackets when it has any; else the sentences naming its owners (…是责任主体)."""
    explicit = [c for c in clauses if c.kind != "sentence"]
    return explicit or clauses


def _draft_for_item(item: OutlineItem) -> _Draft:
    return _Draft(item.measure_id, item.heading, item.block.start, item.block.end, keep=item.in_task_section)


def _attach_paragraph(
    block: Block, clauses: list[OwnerClause], target: _Draft, item: OutlineItem | None, drafts: list[_Draft]
) -> _Draft:
    """Owners in an unnumbered paragraph: a label line belongs to the measure above it; a paragraph
    with its own bracket under a heading line is a measure of its own."""
    if ROLE_LABEL.match(block.text) or item is None:
        for clause in clauses:
            target.take(clause)
        return target
    parent = next(d for d in reversed(drafts) if d.measure_id == item.measure_id)
    if not (item.heading_only or parent.paragraphs):
        for clause in clauses:
            parent.take(clause)
        return parent
    parent.paragraphs += 1
    own = _Draft(f"{parent.measure_id}.[{parent.paragraphs}]", heading_of(block.text), block.start, block.end, keep=True)
    for clause in clauses:
        own.take(clause)
    drafts.append(own)
    return own


def _to_measure(draft: _Draft, text: MappedText) -> Measure:
    agencies = tuple(
        AgencyMention(o.as_written, o.name, o.role, order, text.span(o.start, o.end), text.text[c.start:c.end].strip())
        for order, (o, c) in enumerate(unique_owners(draft.owners), start=1)
    )
    heading = _strip_owner_bracket(draft.heading)
    return Measure(draft.measure_id, heading, text.span(draft.start, draft.end), agencies,
                   text.text[draft.start:draft.end].strip())


def unique_owners(owners: list[tuple[Owner, T]]) -> list[tuple[Owner, T]]:
    """First mention of each (name, role) wins: lists sometimes repeat a body."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for owner, clause in owners:
        key = (owner.name, owner.role)
        if key not in seen:
            seen.add(key)
            kept.append((owner, clause))
    return kept


def _strip_owner_bracket(heading: str) -> str:
    """A heading line that ends with its owners: keep the phrase, drop the bracket."""
    for opener in "(（〔【":
        at = heading.find(opener)
        if at > 0 and ROLE_LABEL.match(heading[at + 1:]):
            return heading[:at].strip()
    return heading
