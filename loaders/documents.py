"""From a page's paragraphs to logical documents.

A compilation page (several plans one after another, each with its own title line and its own
numbering from 一、) becomes several documents, ``part`` 1…n in page order. A notice and the plan it
issues are one document, titled by the notice.
"""
from __future__ import annotations

from functools import partial

from .blocks import Block, Page
from .citations import find_citations
from .header import (infer_jurisdiction, is_title_line, parse_header_number, parse_issuers, parse_signature,
                     parse_title, title_start)
from .measures import extract_measures
from .outline import OutlineStep, parse_marker, walk_outline
from .records import Citation, Document, Measure, Span, Target, Zone
from .targets import find_targets, has_amount, section_deadline
from .task_tables import table_measures
from .textmap import MappedText
from .zones import find_zones

FIRST_TOP_LEVEL = {("cn", "一"), ("chapter", "第一章")}
JURISDICTION_TEXT = 20_000  # a document says who issued it early on; the rest adds time, not evidence


def split_parts(blocks: list[Block]) -> list[list[Block]]:
    """Blocks of each logical document: one list unless the page is a compilation."""
    starts = _part_starts(blocks)
    if len(starts) < 2:
        return [blocks]
    parts = [blocks[a:b] for a, b in zip(starts, starts[1:] + [len(blocks)])]
    return _merge_issued_plans(parts)


def _part_starts(blocks: list[Block]) -> list[int]:
    """Index of the title before each restart of the top-level numbering (一、), at its first line."""
    starts, previous_restart = [], -1
    for index, block in enumerate(blocks):
        marker = parse_marker(block.text)
        if not marker or (marker[0], marker[1]) not in FIRST_TOP_LEVEL:
            continue
        title = next((i for i in range(index - 1, previous_restart, -1) if is_title_line(blocks[i].text)), None)
        if title is not None:
            starts.append(max(title_start(blocks, title), previous_restart + 1))
        previous_restart = index
    return starts


def _merge_issued_plans(parts: list[list[Block]]) -> list[list[Block]]:
    """A part whose title is inside the previous part's title (印发…方案的通知) belongs to it."""
    merged = [parts[0]]
    for part in parts[1:]:
        title = parse_title(part)
        if title and title in parse_title(merged[-1]):
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    return merged


def build_documents(source_file: str, page: Page, text: MappedText, traditional: bool) -> tuple[Document, ...]:
    """Every logical document of a parsed page."""
    parts = split_parts(list(page.blocks))
    single = len(parts) == 1
    return tuple(
        _document(source_file, number, blocks, page if single else None, text, traditional)
        for number, blocks in enumerate(parts, start=1)
        if blocks
    )


def _document(source_file: str, part: int, blocks: list[Block], page: Page | None,
              text: MappedText, traditional: bool) -> Document:
    title = parse_title(blocks)
    signer, signed = parse_signature(blocks)
    issuers = parse_issuers(title, signer)
    steps = walk_outline(blocks)
    measures = _in_reading_order(extract_measures(steps, text) + table_measures(blocks, text))
    zones = _zones(blocks, text)
    body = "\n".join(block.text for block in blocks)
    jurisdiction = infer_jurisdiction(
        issuers,
        page.site_owner if page else None,
        body[:JURISDICTION_TEXT],
        [agency.name for measure in measures for agency in measure.agencies],
        [zone.name for zone in zones],
    )
    return Document(
        source_file=source_file,
        part=part,
        title=title,
        doc_number=parse_header_number(blocks),
        issuers=issuers,
        jurisdiction=jurisdiction,
        date_issued=signed or (page.published if page else None),
        span=text.span(blocks[0].start, blocks[-1].end),
        traditional=traditional,
        measures=measures,
        citations=_citations(blocks, text, title),
        zones=zones,
        targets=_targets(steps, text),
    )


def _in_reading_order(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """The outline's measures and the task tables', by where each starts."""
    return tuple(sorted(measures, key=lambda measure: measure.span.start))


def _citations(blocks: list[Block], text: MappedText, title: str) -> tuple[Citation, ...]:
    """Cited documents, once each; the document itself and the plan it issues are not citations."""
    preamble_end = next((b.start for b in blocks if parse_marker(b.text)), blocks[-1].end)
    own_titles = {_key(title)} | {_key(b.text) for b in blocks if is_title_line(b.text)}
    seen: set[str] = set()
    cited = []
    for block in blocks:
        for found in find_citations(block.text, block.start, preamble_end):
            key = found.doc_number or _key(found.title)
            if _key(found.title) in own_titles or _key(found.title) in _key(title) or key in seen:
                continue
            seen.add(key)
            cited.append(Citation(found.title, found.doc_number, found.basis, text.span(found.start, found.end)))
    return tuple(cited)


def _zones(blocks: list[Block], text: MappedText) -> tuple[Zone, ...]:
    body = "\n".join(block.text for block in blocks)
    offsets = _offset_table(blocks)
    return tuple(
        Zone(z.name, z.aliases, z.industries, text.span(_to_working(offsets, z.start), _to_working(offsets, z.end)),
             z.local)
        for z in find_zones(body, 0)
    )


def _targets(steps: list[OutlineStep], text: MappedText) -> tuple[Target, ...]:
    """The quantified goals of each paragraph, in reading order; a goals section's by the deadline
    its heading names."""
    return tuple(
        target
        for step in steps if has_amount(step.block.text)
        for target in find_targets(step.block.text, partial(_span_in, text, step.block.start),
                                   section_deadline([item.heading for item in step.open_items]))
    )


def _span_in(text: MappedText, block_start: int, start: int, end: int) -> Span:
    """The span in the original file of a block's characters ``[start, end)``."""
    return text.span(block_start + start, block_start + end)


def _offset_table(blocks: list[Block]) -> list[tuple[int, int]]:
    """``(offset in the joined body, offset in the working text)`` of each block."""
    table, at = [], 0
    for block in blocks:
        table.append((at, block.start))
        at += len(block.text) + 1
    return table


def _to_working(table: list[tuple[int, int]], position: int) -> int:
    joined, working = max((row for row in table if row[0] <= position), default=(0, 0))
    return working + position - joined


def _key(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())
