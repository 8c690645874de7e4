"""The audit tables, read back from the graph with SPARQL: what the CSV files hold is what the
graph says.

Every table query keeps to one file's graph (and its links graph), so the tables are written file
by file from :class:`~policykg.graph.filewise.FileAnswers`: read from each file's TriG bodies, kept
in a cache, never a whole table in memory.

Files are UTF-8 with a BOM (so Excel shows Chinese correctly), one row per item, sorted by file,
part and position.
"""
from __future__ import annotations

import csv
import io
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import BinaryIO, Iterable

from policykg.graph.answer_cache import rendering_name
from policykg.graph.filewise import FileAnswers
from policykg.graph.files import FileLayout, append_from, read_layouts, write_layouts
from policykg.graph.library import load_query
from policykg.graph.store import PolicyStore
from policykg.ontology import SPARQL_PREFIXES

from .formatting import format_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_COLUMNS = ("issuers", "aliases", "industries")  # values joined by ";"
RENAMINGS_CSV = "renamings.csv"  # the 2018 reform's renamings: the library's agency-renamings (write_renamings)
LAYOUT_FILE = ".tables-layout.json"  # where each file's rows lie in the tables (:class:`FileLayout`)
CSV_FORM = "csv, 1"  # how a file's rows are kept as written (:func:`csv_text`): change it with the text

# each table: its columns, and the query giving them in that order
# tables read each file's graph on its own (GRAPH ?g): over the union of all graphs, a node that many
# graphs mention (a document cited by hundreds) joins with every copy of every triple about it
# (responsibilities on 60 documents: 3.7x faster; citations on 1,000: minutes to a second); a document
# is found by its part first: selectors have a pkg:sourceFile too (63,297 of them on 1,000 documents,
# against 1,000 parts: the documents table 4x faster, citations 4x, responsibilities 1.2x)
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "documents": (
        ("source_file", "part", "title", "doc_number", "issuers", "jurisdiction", "date_issued", "doc_id"),
        """SELECT DISTINCT ?file ?part ?title ?number (GROUP_CONCAT(DISTINCT ?issuer; SEPARATOR=";") AS ?issuers)
                  ?place ?date ?doc WHERE { GRAPH ?g {
             ?doc pkg:part ?part ; pkg:sourceFile ?source ; dcterms:title ?title . ?source pkg:fileName ?file .
             OPTIONAL { ?doc eli:id_local ?number }
             OPTIONAL { ?doc eli:passed_by/skos:altLabel ?issuer }
             OPTIONAL { ?doc pkg:jurisdiction/skos:prefLabel ?place }
             OPTIONAL { ?doc eli:date_document ?date }
           } } GROUP BY ?file ?part ?title ?number ?place ?date ?doc""",
    ),
    "measures": (
        ("source_file", "part", "measure_id", "measure_heading", "char_start", "char_end", "measure_iri"),
        """SELECT DISTINCT ?file ?part ?id ?heading ?start ?end ?m WHERE { GRAPH ?g {
             ?m a pkg:Measure ; pkg:measureId ?id ; dcterms:title ?heading ; eli:is_part_of ?doc ;
                pkg:selector [ oa:start ?start ; oa:end ?end ] .
             ?doc pkg:part ?part ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
           } }""",
    ),
    "responsibilities": (
        ("source_file", "part", "doc_number", "measure_id", "measure_heading", "agency_name", "agency_id",
         "role", "order", "as_written", "char_start", "char_end"),
        """SELECT DISTINCT ?file ?part ?number ?id ?heading ?name ?agency ?role ?order ?written ?start ?end WHERE { GRAPH ?g {
             ?m pkg:measureId ?id ; dcterms:title ?heading ; eli:is_part_of ?doc ; pkg:responsibility ?r .
             ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role_iri ; pkg:order ?order ;
                pkg:asWritten ?written ; pkg:selector [ oa:start ?start ; oa:end ?end ] .
             BIND (STRAFTER(STR(?role_iri), "#") AS ?role)
             ?doc pkg:part ?part ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
             OPTIONAL { ?doc eli:id_local ?number }
           } }""",
    ),
    "citations": (
        ("source_file", "part", "doc_number", "cited_title", "cited_doc_number", "basis", "cited_id",
         "char_start", "char_end"),
        """SELECT DISTINCT ?file ?part ?number ?title ?cited_number ?basis ?cited ?start ?end WHERE {
             GRAPH ?g {
               ?c a pkg:Citation ; pkg:citingDocument ?doc ; pkg:citedTitle ?title ;
                  pkg:basis ?basis ; pkg:selector [ oa:start ?start ; oa:end ?end ] .
               OPTIONAL { ?c pkg:citedNumber ?cited_number }
               ?doc pkg:part ?part ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
               OPTIONAL { ?doc eli:id_local ?number }
             }
             GRAPH ?links { ?c pkg:citedDocument ?cited }
           }""",
    ),
    "zones": (
        ("source_file", "part", "zone_name", "zone_id", "aliases", "industries", "char_start", "char_end"),
        """SELECT DISTINCT ?file ?part ?name ?zone (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR=";") AS ?aliases)
                  (GROUP_CONCAT(DISTINCT ?industry; SEPARATOR=";") AS ?industries) ?start ?end WHERE { GRAPH ?g {
             ?mention pkg:mentioningDocument ?doc ; pkg:zone ?zone ; pkg:asWritten ?name ; pkg:selector ?at .
             ?at oa:start ?start ; oa:end ?end .
             ?doc pkg:part ?part ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
             OPTIONAL { ?zone skos:altLabel ?alias FILTER (STR(?alias) != ?name) }
             OPTIONAL { ?zone pkg:focusIndustry/skos:prefLabel ?industry }
           } } GROUP BY ?file ?part ?name ?zone ?start ?end""",
    ),
    "targets": (
        ("source_file", "part", "measure_id", "indicator", "comparison", "amount", "upper_amount", "unit", "deadline",
         "target_year", "aspirational", "sentence", "char_start", "char_end", "target_iri"),
        """SELECT DISTINCT ?file ?part ?id ?indicator ?comparison ?amount ?upper ?unit ?deadline ?year ?aspirational
                  ?sentence ?start ?end ?t WHERE { GRAPH ?g {
             ?t pkg:settingDocument ?doc ; pkg:indicator ?indicator ; pkg:comparison ?comparison_iri ;
                pkg:amount ?amount ; pkg:unit ?unit ; pkg:aspirational ?aspirational ;
                pkg:sourceText ?sentence ; pkg:selector [ oa:start ?start ; oa:end ?end ] .
             BIND (STRAFTER(STR(?comparison_iri), "#") AS ?comparison)
             ?doc pkg:part ?part ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
             OPTIONAL { ?t pkg:settingMeasure/pkg:measureId ?id }
             OPTIONAL { ?t pkg:upperAmount ?upper }
             OPTIONAL { ?t pkg:deadline ?deadline }
             OPTIONAL { ?t pkg:targetYear ?year }
           } }""",
    ),
}


TABLE_QUERIES = tuple(SPARQL_PREFIXES + query for _, query in TABLES.values())


def table_rows(store: PolicyStore, table: str) -> list[list[str]]:
    """The rows of one table over the whole store at once (what :func:`write_tables` writes)."""
    columns, query = TABLES[table]
    return shaped_rows(table, store.rows(SPARQL_PREFIXES + query))


def shaped_rows(table: str, rows: Iterable[tuple[str, ...]]) -> list[list[str]]:
    """A table's rows as written: sorted by file, part and position; lists in a cell sorted too
    (``GROUP_CONCAT`` joins in whatever order the store finds the values); formulas made inert."""
    columns, _ = TABLES[table]
    lists = [i for i, column in enumerate(columns) if column in LIST_COLUMNS]
    shaped = []
    for row in rows:
        cells = list(row)
        for i in lists:
            cells[i] = ";".join(sorted(cells[i].split(";"))) if cells[i] else ""
        shaped.append([neutralise_formula(value) for value in cells])
    return sorted(shaped, key=_sort_key(columns))


def write_tables(answers: FileAnswers, folder: Path, previous: Path | None = None) -> None:
    """Write every table as ``<name>.csv`` into ``folder``, one file's rows after another (their
    names are the tables' first sort key), each file's rows written as CSV once and kept (see
    :meth:`~policykg.graph.filewise.FileAnswers.rendered_by_file`). ``answers`` must have been made
    with :data:`TABLE_QUERIES`.

    ``previous`` is the folder of the tables written before: the rows of the files that did not
    change are copied from there, as bytes, where :data:`LAYOUT_FILE` says they lie and the table
    is as it was written (its size and time): the tables of 10,000 documents, 120 MB, took 1.5 s to
    read back from the cache, and 0.7 s to copy and write.
    """
    before = read_layouts(previous / LAYOUT_FILE) if previous else {}
    layouts = {}
    for table, (_, query) in TABLES.items():
        name = f"{table}.csv"
        rendering = rendering_name(SPARQL_PREFIXES + query, CSV_FORM)
        old = before.get(table)
        source = previous / name if previous and old and old.describes(previous / name) else None
        with (folder / name).open("wb") as handle, (source.open("rb") if source else nullcontext()) as kept:
            parts = _write_table(table, answers, RangeCopier(kept, handle),
                                 old.parts_made_as(rendering) if source and old else {})
        layouts[table] = FileLayout.of(folder / name, rendering, parts)
    write_layouts(folder / LAYOUT_FILE, layouts)


def write_renamings(store: PolicyStore, folder: Path) -> None:
    """The 2018 reform's renamings between agencies the corpus names, as :data:`RENAMINGS_CSV` in
    ``folder``: what the library's ``agency-renamings`` query gives, its columns and order (each
    pair's jurisdiction, the agency before and after by name and IRI, the measures of each). Their
    graph is the whole corpus's, not a file's, so it is read from the store at once: a row a pair.
    """
    solutions = store.solutions(load_query("agency-renamings").text)
    columns = [variable.value for variable in solutions.variables]
    rows = [[neutralise_formula("" if solution[column] is None else solution[column].value) for column in columns]
            for solution in solutions]
    (folder / RENAMINGS_CSV).write_text(format_rows(columns, rows, "csv"), encoding="utf-8-sig", newline="")


def _write_table(table: str, answers: FileAnswers, copier: RangeCopier,
                 old_parts: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """A table's header and rows through ``copier``: the rows of the files in ``old_parts`` copied,
    the others written. Returns where each file's rows lie."""
    columns, query = TABLES[table]
    copier.write(("\ufeff" + ",".join(columns) + "\r\n").encode("utf-8"))  # as csv writes it: plain names
    parts: dict[str, tuple[int, int]] = {}
    for file, text in answers.rendered_by_file(SPARQL_PREFIXES + query, partial(csv_text, table), CSV_FORM, old_parts):
        start = copier.position
        if text is None:
            copier.copy(*old_parts[file])
        else:
            copier.write(text.encode("utf-8"))
        parts[file] = (start, copier.position - start)
    copier.flush()
    return parts


class RangeCopier:
    """Writes bytes, and byte ranges of a source, into a file; ranges that follow each other in
    the source are copied as one."""

    def __init__(self, source: BinaryIO | None, target: BinaryIO) -> None:
        self.source, self.target = source, target
        self.position = target.tell()
        self._pending: tuple[int, int] | None = None  # source offset and length not copied yet

    def copy(self, offset: int, length: int) -> None:
        if self._pending and sum(self._pending) == offset:
            self._pending = (self._pending[0], self._pending[1] + length)
        else:
            self.flush()
            self._pending = (offset, length)
        self.position += length

    def write(self, data: bytes) -> None:
        self.flush()
        self.target.write(data)
        self.position += len(data)

    def flush(self) -> None:
        """Copy the pending range, by the kernel (:func:`~policykg.graph.files.append_from`): the
        unchanged rows of 10,000 documents' tables, 125 MB, do not pass through Python."""
        if not self._pending or self.source is None:
            return
        offset, length = self._pending
        self._pending = None
        self.target.flush()
        try:
            append_from(self.source.fileno(), offset, self.target.fileno(), length)
        except OSError as exc:
            raise OSError(f"{self.source.name}: not as its layout says ({exc})") from exc


def csv_text(table: str, rows: Iterable[tuple[str, ...]]) -> str:
    r"""A table's rows as CSV lines, shaped as :func:`shaped_rows` says.

    >>> csv_text("zones", [("a.txt", "1", "东湖高新区", "z", "", "光电子;生物医药", "5", "10")])
    'a.txt,1,东湖高新区,z,,光电子;生物医药,5,10\r\n'
    """
    text = io.StringIO()
    csv.writer(text).writerows(shaped_rows(table, rows))
    return text.getvalue()


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula, made inert with a leading apostrophe.

    >>> neutralise_formula("=1+1"), neutralise_formula("@SUM(A1)"), neutralise_formula("市发改委")
    ("'=1+1", "'@SUM(A1)", '市发改委')
    """
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _sort_key(columns: tuple[str, ...]):
    """File, part, then position in the file when the table has one, then the remaining columns."""
    numeric = {c for c in columns if c in ("part", "char_start", "char_end", "order")}
    first = [c for c in ("source_file", "part", "char_start") if c in columns]
    order = [columns.index(c) for c in first + [c for c in columns if c not in first]]

    def key(row: list[str]) -> tuple:
        return tuple((int(row[i]) if row[i] else -1) if columns[i] in numeric else row[i] for i in order)

    return key
