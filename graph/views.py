"""NetworkX views of the RDF graph. The store stays the one source of truth; views are rebuilt
from it, and analyses read views without changing them.

- :func:`responsibility_graph`: agencies and measures (bipartite), edges carry role and order
- :func:`owned_by`: some agencies, each with the measures it owns, with every detail
- :func:`~policykg.graph.load.co_responsibility_graph`: agencies linked when they share measures,
  weighted by how many (summed file by file, with the agencies' loads)
- :func:`citation_graph`: documents → the documents they cite, with ``basis`` and administrative level
- :func:`zone_industry_graph`: zones, the industries they focus on, and the documents naming them
  (:class:`ZoneIndustryGraph` keeps it, to follow files added and taken off)
"""
from __future__ import annotations

import heapq
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Generic, Hashable, Iterable, Iterator, Mapping, Sequence, TypeVar

import networkx as nx
from rdflib import URIRef

from .levels import document_level, issuer_code
from policykg.ontology import SPARQL_PREFIXES

from .answer_cache import Row
from .filewise import FileAnswers, answer_ahead
from .store import RowSource

MEASURES = SPARQL_PREFIXES + """
SELECT DISTINCT ?m ?id ?heading ?doc ?title ?file ?start ?end ?place WHERE { GRAPH ?g {
  ?m a pkg:Measure ; pkg:measureId ?id ; dcterms:title ?heading ; eli:is_part_of ?doc ;
     pkg:selector [ oa:start ?start ; oa:end ?end ] .
  ?doc dcterms:title ?title ; pkg:sourceFile/pkg:fileName ?file .
  OPTIONAL { ?doc pkg:jurisdiction/skos:prefLabel ?place }
} }"""
OWNERS = SPARQL_PREFIXES + """
SELECT DISTINCT ?m ?agency ?name ?role ?order ?start ?end ?place WHERE { GRAPH ?g {
  ?m pkg:responsibility ?r .
  ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role ; pkg:order ?order ;
     pkg:selector [ oa:start ?start ; oa:end ?end ] .
  OPTIONAL { ?agency pkg:jurisdiction/skos:prefLabel ?place }
} }"""
# the least the analyses need: who owns what in which role, and where each agency belongs (a third
# of the look-ups of MEASURES and OWNERS: centrality on 10,000 documents reads in a fraction)
OWNERSHIPS = SPARQL_PREFIXES + """
SELECT ?m ?agency ?name ?role ?place WHERE { GRAPH ?g {
  ?m pkg:responsibility ?r . ?r pkg:agent ?agency ; pkg:agentName ?name ; pkg:role ?role .
  OPTIONAL { ?agency pkg:jurisdiction ?j . ?j skos:prefLabel ?place } } }"""
# an agency's responsibilities with every detail a view shows of them
_RESPONSIBILITY = """
  ?r pkg:agent ?agency . ?m pkg:responsibility ?r .
  ?r pkg:role ?role ; pkg:order ?order ; pkg:selector ?at . ?at oa:start ?start ; oa:end ?end .
  ?m pkg:measureId ?id ; dcterms:title ?heading ; eli:is_part_of ?doc ; pkg:selector ?m_at .
  ?m_at oa:start ?m_start ; oa:end ?m_end .
  ?doc dcterms:title ?title ; pkg:sourceFile ?source . ?source pkg:fileName ?file ."""
_DETAILS = "?agency ?m ?role ?order ?start ?end ?id ?heading ?m_start ?m_end ?doc ?title ?file"
# some agencies' responsibilities looked up in the store, each pattern once per row: a GRAPH block
# here holds no OPTIONAL, which Oxigraph would answer by reading every match in the store (the
# documents' places are read apart: with them, 400 agencies of 1,000 documents took 34 s, not 0.6)
AGENCY_MEASURES = SPARQL_PREFIXES + f"SELECT DISTINCT {_DETAILS} WHERE {{ GRAPH ?g {{ {_RESPONSIBILITY} }} }}"
# every responsibility, place included, answered file by file and kept by agency (FileAnswers.rows_of)
RESPONSIBILITY_DETAILS = SPARQL_PREFIXES + f"""SELECT DISTINCT {_DETAILS} ?place WHERE {{ GRAPH ?g {{ {_RESPONSIBILITY}
  OPTIONAL {{ ?doc pkg:jurisdiction ?j . ?j skos:prefLabel ?place }} }} }}"""
DOCUMENT_PLACES = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?place WHERE { GRAPH ?g { ?doc pkg:part ?part ; pkg:jurisdiction ?j . ?j skos:prefLabel ?place } }"""
# Views read graph by graph (GRAPH ?g): a node many files mention (a province, an agency, a document
# cited by hundreds) has a copy of its labels in each of them, and joined over the union of graphs
# the copies multiply (the measures of 10,000 documents: 8 GB and no answer in 10 minutes).
DOCUMENT_TITLES = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?title WHERE { GRAPH ?g { ?doc a eli:LegalResource ; dcterms:title ?title } }"""
DOCUMENT_NUMBERS = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?number WHERE { GRAPH ?g { ?doc a eli:LegalResource ; eli:id_local ?number } }"""
LOADED_DOCUMENTS = SPARQL_PREFIXES + """
SELECT DISTINCT ?doc ?level ?place WHERE { GRAPH ?g {
  ?doc pkg:part ?part . OPTIONAL { ?doc pkg:jurisdiction ?j . ?j pkg:level ?level ; skos:prefLabel ?place } } }"""
CITATIONS = SPARQL_PREFIXES + """
SELECT DISTINCT ?citing ?cited ?basis ?number WHERE {
  GRAPH ?g { ?c a pkg:Citation ; pkg:citingDocument ?citing ; pkg:basis ?basis . OPTIONAL { ?c pkg:citedNumber ?number } }
  GRAPH ?links { ?c pkg:citedDocument ?cited }
}"""
ZONES = SPARQL_PREFIXES + """
SELECT DISTINCT ?zone ?name ?doc ?title ?industry ?label WHERE { GRAPH ?g {
  ?doc pkg:mentionsZone ?zone ; pkg:part ?part ; dcterms:title ?title .
  ?zone skos:prefLabel ?written .
  OPTIONAL { ?zone pkg:focusIndustry ?industry . ?industry skos:prefLabel ?label }
  # a zone called by its kind alone (市开发区) is named with its jurisdiction: 市开发区（连云港市）
  OPTIONAL { ?zone pkg:jurisdiction ?place . ?place skos:prefLabel ?place_name }
  BIND (IF(BOUND(?place_name), CONCAT(?written, "（", ?place_name, "）"), ?written) AS ?name)
} }"""
# what the exports' views read unbound; each keeps to one file's graphs, so they can be answered
# file by file (:class:`~policykg.graph.filewise.FileAnswers`)
VIEW_QUERIES = (OWNERSHIPS, RESPONSIBILITY_DETAILS, DOCUMENT_TITLES, DOCUMENT_NUMBERS, LOADED_DOCUMENTS,
                CITATIONS, ZONES)
RESPONSIBILITY_QUERIES = (MEASURES, OWNERS)  # what the responsibility graph is made of
VIEW_GROUPED = (RESPONSIBILITY_DETAILS,)  # kept by their first value, agencies: read for a few of them
ROWS_FORM = "distinct rows, 1"  # how :func:`numbered_rows` counts, in the key of its kept sums: change it with it


def responsibility_graph(store: RowSource) -> nx.Graph:
    """Agencies and measures; a measure with no owner is a node with no edge."""
    answer_ahead(store, RESPONSIBILITY_QUERIES)
    return _responsibility_graph(store.rows(MEASURES), store.rows(OWNERS))


def responsibility_graphs(source: RowSource) -> Iterator[nx.Graph]:
    """:func:`responsibility_graph` of each source file in turn where ``source`` keeps answers by file
    (a measure and its owners lie in one file), else of the whole store at once: read one at a time,
    they hold one file's measures, whatever the corpus's size. ``source`` answers
    :data:`RESPONSIBILITY_QUERIES`."""
    if not isinstance(source, FileAnswers):
        yield responsibility_graph(source)
        return
    answer_ahead(source, RESPONSIBILITY_QUERIES)
    for (_, measures), (_, owners) in zip(source.by_file(MEASURES), source.by_file(OWNERS)):
        yield _responsibility_graph(measures, owners)


def _responsibility_graph(measures: Iterable[Row], owners: Iterable[Row]) -> nx.Graph:
    graph = nx.Graph()
    names: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for m, mid, heading, doc, title, file, start, end, place in measures:
        graph.add_node(m, kind="measure", **_measure_details(mid, heading, doc, title, file, start, end, place))
    for m, agency, name, role, order, start, end, place in owners:
        names[agency][name] += 1
        graph.add_node(agency, kind="agency", jurisdiction=place)
        graph.add_edge(agency, m, role=role.rsplit("#", 1)[-1], order=int(order),
                       char_start=int(start), char_end=int(end))
    for agency_id, counts in names.items():
        graph.nodes[agency_id]["label"] = written_name(counts)
        graph.nodes[agency_id]["names"] = sorted(counts)
    return graph


def written_name(forms: Counter[str]) -> str:
    """The form an agency is written in most often; among equals the fullest, then the first in
    code-point order: the same whatever order the files are read in.

    >>> written_name(Counter({"市发改委": 2, "市发展改革委": 2, "市发展和改革委员会": 1}))
    '市发展改革委'
    """
    return min(forms, key=lambda form: (-forms[form], -len(form), form))


def _measure_details(mid: str, heading: str, doc: str, title: str, file: str, start: str, end: str,
                     place: str) -> dict[str, object]:
    """A measure node's attributes, from the text a query gives."""
    return {"label": f"{mid} {heading}", "measure_id": mid, "heading": heading, "document": doc,
            "document_title": title, "source_file": file, "char_start": int(start), "char_end": int(end),
            "jurisdiction": place}


def owned_by(store: RowSource, agencies: list[str]) -> dict[str, nx.Graph]:
    """Each of ``agencies`` with the measures it owns, with the details :func:`responsibility_graph`
    gives, read for these agencies alone: a view showing a few hundred agencies does not read every
    measure in the store.
    """
    owned = {agency: nx.Graph() for agency in agencies}
    for graph, agency in zip(owned.values(), agencies):
        graph.add_node(agency, kind="agency")
    for agency, m, role, order, start, end, mid, heading, m_start, m_end, doc, title, file, place in (
            _responsibility_details(store, agencies)):
        owned[agency].add_node(m, kind="measure", **_measure_details(mid, heading, doc, title, file, m_start, m_end, place))
        owned[agency].add_edge(agency, m, role=role.rsplit("#", 1)[-1], order=int(order), char_start=int(start),
                               char_end=int(end))
    return owned


def _responsibility_details(source: RowSource, agencies: list[str]) -> Iterable[tuple[str, ...]]:
    """The :data:`RESPONSIBILITY_DETAILS` rows of ``agencies``: read by agency where ``source`` keeps
    answers file by file, else looked up in the store in one query, the documents' places apart."""
    if isinstance(source, FileAnswers):
        return source.rows_of(RESPONSIBILITY_DETAILS, agencies)
    places = {doc: place for doc, place in source.rows(DOCUMENT_PLACES)}
    return ((*row, places.get(row[10], ""))
            for row in source.rows(AGENCY_MEASURES, {"agency": tuple(URIRef(agency) for agency in agencies)}))


def distinct_rows(source: RowSource, queries: Sequence[str]) -> list[list[Row]]:
    """Each query's distinct rows, sorted: counted file by file where ``source`` keeps answers by
    file (a refresh adds and takes off the changed files' rows alone), else read at once."""
    if not isinstance(source, FileAnswers):
        return [sorted(set(source.rows(query))) for query in queries]
    rows: list[list[Row]] = [[] for _ in queries]
    for number, *row in source.summed_keys(queries, numbered_rows, ROWS_FORM):
        rows[int(number)].append(tuple(row))
    for query_rows in rows:
        query_rows.sort()
    return rows


def numbered_rows(rows: list[list[Row]]) -> Counter[tuple[str, ...]]:
    """One file's distinct rows of each query, keyed by the query's number: summed over files, how
    many files give each row."""
    return Counter((str(number), *row) for number, query_rows in enumerate(rows) for row in set(query_rows))


def citation_graph(store: RowSource) -> nx.DiGraph:
    """Documents (loaded or only cited) → the documents they cite; ``basis`` when implemented."""
    graph = nx.DiGraph()
    titles, numbers, loaded, citations = distinct_rows(store, [DOCUMENT_TITLES, DOCUMENT_NUMBERS, LOADED_DOCUMENTS,
                                                               CITATIONS])
    for doc, title in titles:
        if doc not in graph:
            graph.add_node(doc, kind="document", titles=[], numbers=[], loaded=False, level=None, jurisdiction="",
                           jurisdiction_level="")
        _add_unique(graph.nodes[doc]["titles"], title)
    for doc, number in numbers:
        _add_unique(graph.nodes[doc]["numbers"], number)
    for doc, level, place in loaded:
        graph.nodes[doc].update(loaded=True, jurisdiction=place, jurisdiction_level=level)
    for citing, cited, basis_text, number in citations:
        key = (citing, cited)
        basis = basis_text == "true"
        if graph.has_edge(*key):
            graph.edges[key]["basis"] = graph.edges[key]["basis"] or basis
        else:
            graph.add_edge(*key, basis=basis, number=number)
    for _, data in graph.nodes(data=True):
        data["titles"].sort(key=lambda t: (-len(t), t))
        data["numbers"].sort()
        data["title"] = data["titles"][0] if data["titles"] else ""
    _set_levels(graph)
    return graph


def _set_levels(graph: nx.DiGraph) -> None:
    """Levels from jurisdictions and titles first; then issuer codes learn from those documents."""
    code_levels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        data["level"] = document_level(data["title"], None, data.get("jurisdiction_level"))
        for number in data["numbers"]:
            code = issuer_code(number)
            if data["level"] and code:
                code_levels.setdefault(code, data["level"])
    for _, data in graph.nodes(data=True):
        if data["level"] is None and data["numbers"]:
            data["level"] = document_level(data["title"], data["numbers"][0], None, code_levels)


def zone_industry_graph(store: RowSource) -> nx.Graph:
    """Zones, their focus industries, and the documents that name them (:class:`ZoneIndustryGraph`)."""
    return ZoneIndustryGraph.of(store).graph


NodeFact = tuple[int, str, str]  # a node's number, kind and label
FOCUS = "focus"  # a zone's edge to an industry it focuses on
MENTIONS = "mentions"  # a document's edge to a zone it names


@dataclass(frozen=True)
class TopNode:
    """A node of :class:`ZoneGraphTop`: its edges in the whole graph, and the first titles of the
    documents it comes from (:meth:`ZoneIndustryGraph.top`) and how many there are."""

    iri: str
    kind: str
    label: str
    degree: int
    titles: list[str]
    documents: int


@dataclass(frozen=True)
class ZoneGraphTop:
    """The nodes of a zone graph with the most edges, most first; the edges among them, as
    ``(smaller end, larger end, relation)`` in order; and how many nodes the whole graph has."""

    nodes: list[TopNode]
    edges: list[tuple[str, str, str]]
    of: int


class ZoneIndustryGraph:
    """The graph of :func:`zone_industry_graph`, made from some files' rows of :data:`ZONES` (by any
    name for each file: the digest of its bodies, to follow a store) and kept as counts, to follow
    files added and taken off (:meth:`follow`): each node's kind and label and each edge counted by
    the rows that give them, so a change of files touches their nodes and edges alone. The rows are
    counted as they come and not kept: each file keeps the numbers of its facts (up to 20 bytes a
    row, where the rows themselves took 660: 169 MB at 30,000 documents).

    Nodes are numbered, and an edge is one integer made of its ends' numbers. No NetworkX graph is
    kept: the counts of 10,000 documents hold 16 MB, where they and the graph took 43. The zones
    view asks for the :meth:`top` nodes; :attr:`graph` makes the whole graph when asked.

    A node given several labels takes the first in code-point order: the same graph whatever order
    the files come in, and whether made at once or followed.

    >>> kept = ZoneIndustryGraph([("f1", [("z", "东湖高新区", "d1", "甲", "i", "光电子")])])
    >>> kept.follow(gone={"f1"}, new={"f2": [("z", "东湖区", "d2", "乙", "", ""), ("z", "东湖高新区", "d2", "乙", "", "")]})
    >>> sorted(kept.graph.nodes(data="label")), kept.graph.number_of_edges(), kept.graph.edges["d2", "z"]
    ([('d2', '乙'), ('z', '东湖区')], 1, {'relation': 'mentions'})
    """

    def __init__(self, files: Iterable[tuple[str, Iterable[Row]]]) -> None:
        self._nodes: CountedFacts[str] = CountedFacts()  # each counted by its edges some row gives: its degree
        self._facts: CountedFacts[NodeFact] = CountedFacts()
        self._edges: CountedFacts[int] = CountedFacts()
        self.files: dict[str, tuple[array[int], array[int]]] = {}  # each file's facts' and edges' numbers
        for name, rows in files:
            facts, edges = self.files[name] = self._numbered(rows)
            self._facts.change(Counter(facts))
            self._count_degrees(*self._edges.change(Counter(edges)))

    @classmethod
    def of(cls, store: RowSource) -> ZoneIndustryGraph:
        """The graph of every row of :data:`ZONES` a store gives, as one file's."""
        return cls([("", store.rows(ZONES))])

    def follow(self, gone: Iterable[str], new: Mapping[str, Iterable[Row]]) -> None:
        """The graph of the files kept without those ``gone``, with the ``new`` ones' rows."""
        facts: Counter[int] = Counter()
        edges: Counter[int] = Counter()
        for name in gone:
            gone_facts, gone_edges = self.files.pop(name)
            facts.subtract(gone_facts)
            edges.subtract(gone_edges)
        for name, rows in new.items():
            new_facts, new_edges = self.files[name] = self._numbered(rows)
            facts.update(new_facts)
            edges.update(new_edges)
        self._facts.change(facts)
        self._count_degrees(*self._edges.change(edges))

    def _numbered(self, rows: Iterable[Row]) -> tuple[array[int], array[int]]:
        """The numbers of the node facts and of the edges of :data:`ZONES` rows, one for each row that gives them."""
        facts, edges = array("I"), array("I")
        for zone, name, doc, title, industry, label in rows:
            zone_number, doc_number = self._nodes.number(zone), self._nodes.number(doc)
            facts.append(self._facts.number((zone_number, "zone", name)))
            facts.append(self._facts.number((doc_number, "document", title)))
            edges.append(self._edges.number(_edge(doc_number, zone_number, focus=False)))
            if industry:
                industry_number = self._nodes.number(industry)
                facts.append(self._facts.number((industry_number, "industry", label)))
                edges.append(self._edges.number(_edge(zone_number, industry_number, focus=True)))
        return facts, edges

    def _count_degrees(self, began: list[int], ended: list[int]) -> None:
        degrees: Counter[int] = Counter()
        for edges, step in ((began, 1), (ended, -1)):
            for a, b, _ in _ends(self._edges.facts[number] for number in edges):
                degrees[a] += step
                degrees[b] += step
        self._nodes.change(degrees)

    @property
    def graph(self) -> nx.Graph:
        """The whole graph: nodes with their ``kind`` and ``label``, edges with their ``relation``."""
        graph = nx.Graph()  # nodes and edges added at once: row by row took twice as long (80,000 rows)
        graph.add_nodes_from((self._nodes.facts[number], {"kind": kind, "label": label})
                             for number, (kind, label) in self._node_data().items())
        graph.add_edges_from((self._nodes.facts[a], self._nodes.facts[b], {"relation": FOCUS if focus else MENTIONS})
                             for a, b, focus in _ends(self._edges.present()))
        return graph

    def top(self, count: int, titles: int) -> ZoneGraphTop:
        """The ``count`` nodes of the most edges (by IRI among equals), the edges among them, and the
        first ``titles`` titles, in order, of the documents each node comes from (:class:`ZoneGraphTop`).

        >>> kept = ZoneIndustryGraph([("f", [("z", "东湖高新区", "d1", "甲", "i", "光电子"), ("z", "东湖高新区", "d2", "乙", "", "")])])
        >>> top = kept.top(2, titles=1); [(n.iri, n.degree, n.titles, n.documents) for n in top.nodes], top.edges, top.of
        ([('z', 3, ['乙'], 2), ('d1', 1, ['甲'], 1)], [('d1', 'z', 'mentions')], 4)
        """
        data = self._node_data()
        shown = sorted(data, key=lambda n: (-self._nodes.count(n), self._nodes.facts[n]))[:count]
        kept = set(shown)
        edges = _ends(self._edges.present())
        naming = self._documents_naming(kept, data, edges)
        among = []
        for a, b, focus in edges:
            if a in kept and b in kept:
                first, second = sorted((self._nodes.facts[a], self._nodes.facts[b]))
                among.append((first, second, FOCUS if focus else MENTIONS))
        among.sort()
        return ZoneGraphTop(
            [TopNode(self._nodes.facts[n], data[n][0], data[n][1], self._nodes.count(n), heapq.nsmallest(titles, naming[n]),
                     len(naming[n])) for n in shown],
            among, len(data))

    @staticmethod
    def _documents_naming(nodes: set[int], data: dict[int, tuple[str, str]], edges: list[tuple[int, int, bool]]
                          ) -> dict[int, set[str]]:
        """The titles of the documents each of ``nodes`` comes from: a document's own, those naming a
        zone, those naming a zone that focuses on an industry."""
        zones_of_industry: dict[int, list[int]] = defaultdict(list)
        for a, b, focus in edges:
            if focus and b in nodes:
                zones_of_industry[b].append(a)
        zones = nodes.union(*zones_of_industry.values())
        naming_zone: dict[int, set[str]] = defaultdict(set)
        for a, b, focus in edges:
            if not focus and b in zones:
                naming_zone[b].add(data[a][1])
        titles = {}
        for node in nodes:
            kind, label = data[node]
            if kind == "document":
                titles[node] = {label}
            elif kind == "zone":
                titles[node] = naming_zone[node]
            else:
                titles[node] = set().union(*(naming_zone[zone] for zone in zones_of_industry[node]))
        return titles

    def _node_data(self) -> dict[int, tuple[str, str]]:
        """Each node's kind and label, by its number, from its facts given by some row: the first in order."""
        return {number: (kind, label) for number, kind, label in sorted(self._facts.present(), reverse=True)}


Fact = TypeVar("Fact", bound=Hashable)


class CountedFacts(Generic[Fact]):
    """Facts, each numbered once as it is first seen, and counted by what gives them (rows, or a
    node's edges). A fact no longer given keeps its number: a graph made once follows a few changes
    of files.

    >>> facts: CountedFacts[tuple[str, str, str]] = CountedFacts()
    >>> [facts.number(fact) for fact in [("z", "zone", "甲"), ("d", "document", "乙"), ("z", "zone", "甲")]]
    [0, 1, 0]
    >>> facts.change(Counter([0, 0, 1])), facts.change(Counter({1: -1})), list(facts.present())
    (([0, 1], []), ([], [1]), [('z', 'zone', '甲')])
    """

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self._counts: list[int] = []
        self._numbers: dict[Fact, int] = {}

    def number(self, fact: Fact) -> int:
        """The fact's number; a new one for a fact not seen before."""
        number = self._numbers.get(fact)
        if number is None:
            number = self._numbers[fact] = len(self.facts)
            self.facts.append(fact)
            self._counts.append(0)
        return number

    def change(self, counts: Mapping[int, int]) -> tuple[list[int], list[int]]:
        """Add ``counts`` (by fact number) to the counts; returns the facts it brought in and those it took out."""
        began, ended = [], []
        for number, count in counts.items():
            before = self._counts[number]
            after = self._counts[number] = before + count
            if before <= 0 < after:
                began.append(number)
            elif after <= 0 < before:
                ended.append(number)
        return began, ended

    def count(self, number: int) -> int:
        """The count of the fact numbered ``number``."""
        return self._counts[number]

    def present(self) -> Iterator[Fact]:
        """The facts some row gives."""
        return (fact for fact, count in zip(self.facts, self._counts) if count > 0)


def _edge(a: int, b: int, focus: bool) -> int:
    """One integer for an edge between the nodes numbered ``a`` and ``b``, and whether it is a
    zone's focus (else a document's mention): an edge of :class:`ZoneIndustryGraph`.

    >>> _ends([_edge(7, 3, focus=True), _edge(0, 2**32 - 1, focus=False)])
    [(7, 3, True), (0, 4294967295, False)]
    """
    return a << 33 | b << 1 | focus


def _ends(edges: Iterable[int]) -> list[tuple[int, int, bool]]:
    """The two node numbers and the kind of each edge made by :func:`_edge` (all at once: called
    for each of 85,000 edges, it took a third of the zones view's time)."""
    return [(edge >> 33, edge >> 1 & 0xFFFFFFFF, bool(edge & 1)) for edge in edges]


def _add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
