"""The audit tables, read back from the graph with SPARQL: what the CSV files hold is what the
graph says.

Every table query keeps to one file's graph (and its links graph), so each file's rows are read
from those graphs alone, in a store in memory made from their TriG bodies, and kept in a cache
under a digest of the bodies and of this module: a build that changes a few files reads only
theirs, and a cached row is always what its graphs say. Reading the rows of 1,000 documents out
of the store on disk took 10 s (a string-table look-up per term), from the bodies 4 s.

Files are UTF-8 with a BOM (so Excel shows Chinese correctly), one row per item, sorted by file,
part and position.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from contextlib import ExitStack
from pathlib import Path

from rdflib import URIRef

from policykg.graph.files import write_atomically
from policykg.graph.links import links_graph_iri
from policykg.graph.store import PolicyStore
from policykg.graph.trig import HEADER
from policykg.ontology import SPARQL_PREFIXES


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_COLUMNS = ("issuers", "aliases", "industries")  # values joined by ";"
FILE_GRAPHS = SPARQL_PREFIXES + "SELECT ?graph ?name WHERE { GRAPH ?graph { ?graph pkg:fileName ?name } }"
CACHE_KEY = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module's rows, as written now

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
        ("source_file", "part", "zone_name", "zone_id", "aliases", "industries"),
        """SELECT DISTINCT ?file ?part ?name ?zone (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR=";") AS ?aliases)
                  (GROUP_CONCAT(DISTINCT ?industry; SEPARATOR=";") AS ?industries) WHERE { GRAPH ?g {
             ?doc pkg:part ?part ; pkg:mentionsZone ?zone ; pkg:sourceFile ?source . ?source pkg:fileName ?file .
             ?zone skos:prefLabel ?name .
             OPTIONAL { ?zone skos:altLabel ?alias }
             OPTIONAL { ?zone pkg:focusIndustry/skos:prefLabel ?industry }
           } } GROUP BY ?file ?part ?name ?zone""",
    ),
}


def table_rows(store: PolicyStore, table: str) -> list[list[str]]:
    """The rows of one table, sorted by file, part and position; lists in a cell sorted too
    (``GROUP_CONCAT`` joins in whatever order the store finds the values)."""
    columns, query = TABLES[table]
    lists = [i for i, column in enumerate(columns) if column in LIST_COLUMNS]
    rows = []
    for row in store.rows(SPARQL_PREFIXES + query):
        cells = list(row)
        for i in lists:
            cells[i] = ";".join(sorted(cells[i].split(";"))) if cells[i] else ""
        rows.append([neutralise_formula(value) for value in cells])
    return sorted(rows, key=_sort_key(columns))


def write_tables(store: PolicyStore, folder: Path, cache: Path | None = None) -> dict[str, int]:
    """Write every table as ``<name>.csv`` into ``folder``, file by file; returns the row count of
    each. ``cache`` keeps each file's rows (made when missing); entries no graph uses are removed."""
    counts = dict.fromkeys(TABLES, 0)
    used: set[str] = set()
    with ExitStack() as files:
        outputs = {table: files.enter_context((folder / f"{table}.csv").open("w", encoding="utf-8-sig", newline=""))
                   for table in TABLES}
        for table, (columns, _) in TABLES.items():
            csv.writer(outputs[table]).writerow(columns)
        for _, graph in sorted((name, graph) for graph, name in store.rows(FILE_GRAPHS)):
            key, tables = file_tables(store, graph, cache)
            used.add(key)
            for table, (count, text) in tables.items():
                outputs[table].write(text)
                counts[table] += count
    if cache:
        for entry in cache.glob("*.json"):
            if entry.stem not in used:
                entry.unlink(missing_ok=True)
    return counts


def file_tables(store: PolicyStore, graph: str, cache: Path | None = None) -> tuple[str, dict[str, tuple[int, str]]]:
    """One file's rows of every table, as a row count and CSV text, read from its graph and its
    links graph; and the key they are cached under."""
    bodies = store.trig_body(graph) + store.trig_body(str(links_graph_iri(URIRef(graph))))
    key = hashlib.sha256(f"{CACHE_KEY}\n{bodies}".encode("utf-8")).hexdigest()
    entry = cache / f"{key}.json" if cache else None
    if entry and entry.exists():
        return key, {table: (count, text) for table, (count, text) in json.loads(entry.read_text("utf-8")).items()}
    alone = PolicyStore.from_trig(HEADER + bodies)
    tables = {table: _csv_text(table_rows(alone, table)) for table in TABLES}
    if entry:
        write_atomically(entry, json.dumps(tables, ensure_ascii=False))
    return key, tables


def _csv_text(rows: list[list[str]]) -> tuple[int, str]:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return len(rows), text.getvalue()


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
