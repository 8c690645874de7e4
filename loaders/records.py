"""Plain records that cross module boundaries: what the loaders found, with where they found it.

Every fact carries a :class:`Span` into the ORIGINAL file's decoded text, so a reader can open the
file and find the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Character offsets ``[start, end)`` into the original file's decoded text."""

    start: int
    end: int


@dataclass(frozen=True)
class AgencyMention:
    """An agency named as owner of a measure.

    ``as_written`` is the surface form (simplified script); ``name`` restores an elided prefix
    (``省科技厅、财政厅`` gives ``财政厅`` → ``省财政厅``).
    """

    as_written: str
    name: str
    role: str  # lead | support | implementer | responsible
    order: int  # 1-based position among the measure's owners, as written
    span: Span
    clause: str = ""  # the responsibility clause it was named in: (责任单位:…), 牵头单位:…


@dataclass(frozen=True)
class Measure:
    """A numbered task item (or an owned paragraph): ``measure_id`` is the numbering path, e.g. ``二.(三)``."""

    measure_id: str
    heading: str
    span: Span
    agencies: tuple[AgencyMention, ...] = ()
    text: str = ""  # the measure's paragraphs as read (simplified script)


@dataclass(frozen=True)
class Citation:
    """Another document named in 《》, with its 文号 when one is given beside it."""

    title: str
    doc_number: str | None
    basis: bool
    span: Span


@dataclass(frozen=True)
class Zone:
    """A development zone or park named in the text, with the other names the same text uses;
    ``local`` when named by its kind alone (经济技术开发区, 市高新区): its document's jurisdiction's
    zone, not every zone so called."""

    name: str
    aliases: tuple[str, ...]
    industries: tuple[str, ...]
    span: Span
    local: bool = False


@dataclass(frozen=True)
class Target:
    """A quantified goal: ``indicator`` to be met at ``amount`` ``unit`` by ``deadline``.

    ``comparison`` is how: ``atLeast`` (突破, 以上), ``atMost`` (控制在, 以内), ``about`` (左右) or
    ``reach`` (达到); ``year`` is None for a placeholder (到20xx年); ``aspirational`` for 力争.
    """

    indicator: str
    comparison: str
    amount: str  # a decimal, as written
    unit: str
    deadline: str  # as written: 2025年, 20xx年, “十四五”末; "" in a goals section that names none
    year: int | None
    aspirational: bool
    span: Span
    sentence: str  # the sentence it is set in (simplified script)
    upper: str | None = None  # a range's upper end: 1~2个


@dataclass(frozen=True)
class Place:
    """An administrative division identified by its GB/T 2260 code."""

    name: str
    adcode: str | None
    level: str  # province | city | county | zone | unknown
    province: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class Document:
    """One logical policy document; ``part`` is its 1-based index inside its source file."""

    source_file: str
    part: int
    title: str
    doc_number: str | None
    issuers: tuple[str, ...]
    jurisdiction: Place | None
    date_issued: str | None
    span: Span
    traditional: bool = False
    measures: tuple[Measure, ...] = ()
    citations: tuple[Citation, ...] = ()
    zones: tuple[Zone, ...] = ()
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True)
class SourceFile:
    """A file read and parsed: its identity, how it was decoded, and the documents it holds."""

    path: str
    name: str
    sha256: str
    encoding: str
    documents: tuple[Document, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()  # what was read despite a fault (invalid bytes replaced …)
