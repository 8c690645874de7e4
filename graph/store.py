"""The embedded, persistent store: Oxigraph on disk, one named graph per source file, and beside it
the TriG text of each graph (:mod:`.trig`), so that writing the whole dataset costs no reading.
The text is the graph as built: Oxigraph keeps a literal of a type derived from ``xsd:integer``
(the offsets' ``xsd:nonNegativeInteger``) as ``xsd:integer``, which SPARQL compares as equal.

Writes go to pyoxigraph directly (bulk loading is several times faster than through rdflib's
store API); SPARQL queries see the union of all named graphs, so a plain ``SELECT`` without
``GRAPH`` sees every document. rdflib users get the same store as an rdflib ``Dataset`` through the
``oxrdflib`` plugin (:func:`open_rdflib_dataset`).
"""
from __future__ import annotations

import functools
import io
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Iterable, Iterator, Protocol, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from policykg.loaders.errors import PolicyKGError
from policykg.ontology import PKG, PREFIXES

from .files import FileLayout, Piece, join_in_process, padded, read_layouts, write_layouts
from .inplace import edit_in_process, moves_blocks, plan_edit
from .nquads import nquads, rdf_term
from .resolve import DocumentKeys, DocumentResolver, StoredDocument
from .sparql_text import Bindings, bind_values
from .trig import ALIGN, HEADER, Body, TrigBodies, body_digest, quads_body, trig_body

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

STORE_DIR = "store"
TRIG_DIR = "trig"  # the TriG bodies, inside the store's folder, beside Oxigraph's files
BODIES_INDEX = "trig-index.tsv"  # the body of each graph (.trig.TrigBodies), beside Oxigraph's files
BODIES_RENDERING = "trig"  # what made the pieces of a TriG file's layout (.files.FileLayout): the bodies, by digest
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# what opening a store raises: pyoxigraph gives an error of the storage as OSError, a store whose files
# do not agree (one cut short, one missing that its list names) as RuntimeError ("Corruption: …")
OPEN_ERRORS = (OSError, RuntimeError)
RdfTriple = tuple[Node, Node, Node]  # rdflib terms, as small graphs are written (links, renamings)
# quads buffered before a bulk load (what 32 million characters of N-Quads held). Loads of a quarter
# of that took less CPU and memory, but left twice as many SST files, and queries 10 to 25% slower
# (BENCHMARKS.md)
WRITE_BATCH = 130_000


class RowSource(Protocol):
    """What answers a SELECT as rows of text: a :class:`PolicyStore`, or its answers file by file
    (:class:`~policykg.graph.filewise.FileAnswers`)."""

    def rows(self, query: str, bindings: Bindings | None = None) -> Iterable[tuple[str, ...]]: ...


class StoreError(PolicyKGError):
    """The store cannot be opened or a query against it failed."""


class PolicyStore:
    """A folder holding an Oxigraph store.

    >>> import tempfile; from rdflib import Graph, URIRef, Literal
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = PolicyStore.open(Path(folder))
    ...     g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("开发区")))
    ...     store.replace_graph(URIRef("urn:g"), g)
    ...     [str(row[0]) for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['开发区']
    """

    def __init__(self, store: ox.Store, path: Path | None, bodies: Path | None = None, read_only: bool = False
                 ) -> None:
        self._oxigraph: ox.Store | None = store  # None once closed
        self.path = path
        self.read_only = read_only
        self._pending: list[str] = []  # TriG bodies written in batches: each bulk load costs a fixed ~20 ms
        self._pending_quads = 0
        self._pending_graphs: set[str] = set()
        self._graph_names: set[str] | None = None  # the named graphs, once listed: kept up to date by writes
        self._bodies = _bodies_of(path, bodies) if path else None
        self._written_apart = False  # by another process, in closed_meanwhile

    @property
    def _store(self) -> ox.Store:
        if self._oxigraph is None:
            raise StoreError(f"{self.path or 'the store in memory'}: the store is closed")
        return self._oxigraph

    @classmethod
    def open(cls, folder: Path | None, bodies: Path | None = None) -> "PolicyStore":
        """The store in ``folder`` (made when missing); ``None`` gives a store in memory. Its TriG
        bodies are in ``bodies``, by default its own :data:`TRIG_DIR` (see :meth:`checkpoint`)."""
        if folder is None:
            return cls(ox.Store(), None)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return cls(ox.Store(str(folder)), folder, bodies)
        except OPEN_ERRORS as exc:
            raise StoreError(f"{folder}: cannot open the store: {exc}") from exc

    @classmethod
    def from_trig(cls, text: str) -> "PolicyStore":
        """A store in memory holding a TriG document (:data:`.trig.HEADER` and bodies, say)."""
        store = ox.Store()
        store.load(text, format=ox.RdfFormat.TRIG)
        return cls(store, None)

    @classmethod
    def open_read_only(cls, folder: Path) -> "PolicyStore":
        """The store in ``folder`` for reading; any number of readers may open it at once."""
        try:
            return cls(ox.Store.read_only(str(folder)), folder, read_only=True)
        except OPEN_ERRORS as exc:
            raise StoreError(f"{folder}: cannot open the store: {exc}") from exc

    def replace_graph(self, name: URIRef, triples: Iterable[RdfTriple]) -> None:
        """Put ``triples`` (an rdflib ``Graph`` or any iterable of triples) in the named graph ``name``,
        replacing what it held."""
        written = ((rdf_term(s), rdf_term(p), rdf_term(o)) for s, p, o in triples)
        self.replace_graph_nquads(name, nquads(name, written))

    def replace_graph_nquads(self, name: URIRef, text: str) -> None:
        """Put the N-Quads ``text`` (every line in graph ``name``) in the named graph ``name``,
        replacing what it held. A text that is not N-Quads raises :class:`SyntaxError` here, with
        nothing written, rather than fail the batch of graphs it would be loaded with."""
        self.replace_graph_body(name, trig_body(text))

    def replace_graph_body(self, name: URIRef, body: Body) -> None:
        """Put a graph's TriG body (:func:`.trig.trig_body`, which checked the graph's N-Quads as it
        made it) in the named graph ``name``, replacing what it held. The store loads the bodies it
        buffers, as TriG: a load's parsing processes send their graphs' bodies alone, under a third
        of their N-Quads' text (0.19 s to pickle and read back for 400 files, against 0.92 s)."""
        if self._bodies:
            self._bodies.write(str(name), body)
        if str(name) in self._pending_graphs:
            self._write_pending()
        target = ox.NamedNode(str(name))
        if self._store.contains_named_graph(target):
            self._store.remove_graph(target)
        self._pending.append(body.text)
        self._pending_quads += body.quads
        self._pending_graphs.add(str(name))
        if self._graph_names is not None:
            (self._graph_names.add if body.quads else self._graph_names.discard)(str(name))
        if self._pending_quads >= WRITE_BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        """Write the buffered graphs; every read and removal calls it first, so reads see every write."""
        bodies, self._pending, self._pending_quads, self._pending_graphs = self._pending, [], 0, set()
        if bodies:  # every body was checked as it was made (trig_body): not checked again
            bodies.insert(0, HEADER)
            bulk_load(self._store, bodies, ox.RdfFormat.TRIG)

    def holds_graph(self, name: URIRef) -> bool:
        """Whether the store holds the named graph ``name``, written or still buffered (and so
        without writing the buffer)."""
        return str(name) in self._pending_graphs or self._store.contains_named_graph(ox.NamedNode(str(name)))

    def subjects_stated(self, subjects: Iterable[URIRef], predicate: URIRef, obj: URIRef) -> set[URIRef]:
        """Those of ``subjects`` of which some named graph states ``predicate obj``. One index look-up
        a subject: 10,000 in 0.1 s, where SPARQL's ``VALUES`` with ``FILTER EXISTS`` took 0.66 s and
        a ``SELECT DISTINCT`` 12 s."""
        self._write_pending()
        p, o = ox.NamedNode(str(predicate)), ox.NamedNode(str(obj))
        return {subject for subject in subjects
                if any(isinstance(quad.graph_name, ox.NamedNode)
                       for quad in self._store.quads_for_pattern(ox.NamedNode(str(subject)), p, o, None))}

    def documents_in(self, name: URIRef) -> set[URIRef]:
        """The documents a source file's named graph holds."""
        if not self.holds_graph(name):
            return set()
        rows = self.select(f"SELECT ?doc ?g WHERE {{ GRAPH ?g {{ ?doc <{PKG.sourceFile}> ?g ; <{PKG.part}> ?part }} }}",
                           {"g": name})
        return {URIRef(str(doc)) for doc, _ in rows}

    def remove_graph(self, name: URIRef) -> bool:
        """Remove one named graph; ``False`` when there was none."""
        self._write_pending()
        target = ox.NamedNode(str(name))
        if not self._store.contains_named_graph(target):
            return False
        self._store.remove_graph(target)
        if self._graph_names is not None:
            self._graph_names.discard(str(name))
        if self._bodies:
            self._bodies.remove(str(name))
        return True

    def named_graphs(self) -> list[str]:
        """The named graphs' IRIs, sorted. Listed once, then kept up to date by this object's writes
        (a refresh asks four times): from the index of the TriG bodies where it lists every graph
        (:meth:`.trig.TrigBodies.graphs`), else from the store (20,000 graphs: 0.1 s)."""
        if self._graph_names is None:
            self._write_pending()
            indexed = self._bodies.graphs() if self._bodies else None
            self._graph_names = indexed if indexed is not None else {g.value for g in self._store.named_graphs()}
        return sorted(self._graph_names)

    def select(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[Node | None, ...]]:
        """Rows of a SELECT over the union of all graphs, as rdflib terms.

        ``bindings`` give variables their values (see :func:`~.sparql_text.bind_values`).
        """
        for solution in self.solutions(query, bindings):
            yield tuple(_rdflib(value) if value is not None else None for value in solution)

    def rows(self, query: str, bindings: Bindings | None = None, *, buffered: bool = True
             ) -> Iterator[tuple[str, ...]]:
        """Rows of a SELECT as text: IRIs and literals' values, an unbound variable as ``""``.

        For tables and views: several times faster than :meth:`select` on big results, as it builds
        no rdflib terms. ``buffered`` as in :meth:`query`.
        """
        for solution in self.solutions(query, bindings, buffered=buffered):
            yield tuple("" if value is None else value.value for value in solution)

    def solutions(self, query: str, bindings: Bindings | None = None, *, buffered: bool = True
                  ) -> ox.QuerySolutions:
        """The solutions of a SELECT, as :meth:`query` gives them; another form of query is refused."""
        results = self.query(query, bindings, buffered=buffered)
        if not isinstance(results, ox.QuerySolutions):
            raise StoreError("a SELECT query is needed here, not an ASK, CONSTRUCT or DESCRIBE")
        return results

    def query(self, query: str, bindings: Bindings | None = None, *, buffered: bool = True
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Any SPARQL query over the union of all graphs, as pyoxigraph results, the ontology's
        prefixes (``pkg:``, ``eli:``, ``org:``…) known unless the query declares its own;
        ``bindings`` as in :meth:`select`. ``buffered=False`` leaves the graphs still buffered
        unwritten (and unseen): for a reader that knows them already, as a load's resolver does.
        """
        if buffered:
            self._write_pending()
        try:
            return self._store.query(bind_values(query, bindings or {}), prefixes=PREFIXES,
                                     use_default_graph_as_union=True)
        except (SyntaxError, RuntimeError) as exc:
            raise StoreError(f"invalid SPARQL: {exc}") from exc

    def dump_graph(self, name: str, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        """One named graph's triples, as N-Triples or in another ``format``."""
        self._write_pending()
        dumped = self._store.dump(format=format, from_graph=ox.NamedNode(name))
        return cast(bytes, dumped)  # given no output, Oxigraph returns the bytes

    def dump_nquads(self) -> str:
        """Every named graph, as N-Quads."""
        self._write_pending()
        dumped = self._store.dump(format=ox.RdfFormat.N_QUADS)
        return cast(bytes, dumped).decode("utf-8")  # given no output, Oxigraph returns the bytes

    def write_as(self, path: Path, format: ox.RdfFormat, graphs: Collection[str] | None = None) -> None:
        """The named graphs (those in ``graphs`` alone if given) written to ``path`` in ``format`` by
        Oxigraph, streamed: each graph named where the format holds named graphs (TriG, N-Quads,
        JSON-LD), else their triples one graph after another. A triple several graphs hold (a
        node's labels, copied in each graph that names it) is then written for each: merging them,
        each once, by a CONSTRUCT query held 0.9 GB at 10,000 documents.

        >>> import tempfile
        >>> store = PolicyStore.from_trig('<urn:g1> { <urn:s> <urn:p> "o" } <urn:g2> { <urn:s> <urn:p> "o" }')
        >>> folder = Path(tempfile.mkdtemp()); path = folder / "graph.nt"
        >>> store.write_as(path, ox.RdfFormat.N_TRIPLES); path.read_text()
        '<urn:s> <urn:p> "o" .\\n<urn:s> <urn:p> "o" .\\n'
        >>> store.write_as(path, ox.RdfFormat.N_QUADS, ["urn:g2"]); path.read_text()
        '<urn:s> <urn:p> "o" <urn:g2> .\\n'
        >>> import shutil; shutil.rmtree(folder)
        """
        self._write_pending()
        if format.supports_datasets and graphs is None:
            self._store.dump(str(path), format=format, prefixes=PREFIXES)
            return
        quads = (quad for graph in (self.named_graphs() if graphs is None else graphs)
                 for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        statements = quads if format.supports_datasets else (quad.triple for quad in quads)
        ox.serialize(statements, str(path), format=format, prefixes=PREFIXES)

    def dump_trig(self, path: Path, previous: Path | None = None) -> None:
        """Every named graph, as TriG, in the order of their IRIs: the bodies kept beside the store,
        joined by the kernel in a process of its own (:func:`~.files.join_in_process`), each padded
        to a multiple of :data:`~.trig.ALIGN` bytes; a graph written before bodies were kept is read
        from the store first, and its body kept.

        Where each body lies is kept beside the file (:func:`trig_layout_path`). With ``previous``,
        a TriG file this wrote before and still as written, the bodies it holds are copied from it,
        in runs, and the others from their own files: a refresh of 10,000 documents opens a few
        files, not 18,500 (joining took 2.3 to 2.5 s, against 2.9 to 4.0 s; 1.3 s of it was syncing
        the file, which the kernel now writes out in its own time: see :func:`~.files.swap`).

        Better still, the file written before ``previous``, kept beside it as its spare
        (:func:`trig_spare_path`, where a build puts the graph.trig it replaces), is moved to
        ``path`` and edited in place into the new file, where the system allows
        (:mod:`.inplace`): nothing of the graphs that stay is read or written. A first file, with
        no file before it, gets a copy of itself as its spare (:func:`_first_spare`).
        """
        if not self._bodies:
            self._write_pending()
            self._store.dump(str(path), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
            return
        names = self.named_graphs()
        for name in names:
            if self._bodies.header(name) is None:
                self._body(name)  # kept now; a graph without quads has no body, and no text either
        before, spare = _kept_layouts(previous) if previous else (None, None)
        copied = before.parts_made_as(BODIES_RENDERING) if before else {}
        keys: list[str] = []
        pieces: list[Piece] = []
        for name in names:
            header = self._bodies.header(name)
            if header is None:
                continue
            keys.append(header.digest)
            kept = copied.get(header.digest)
            pieces.append((str(previous), *kept) if kept else (str(self._bodies.path(header.digest)), None, None))
        head = padded(HEADER.encode("utf-8"), ALIGN)
        lengths = None
        if previous and spare:  # the file before the last, edited in place
            lengths = _spare_edited(trig_spare_path(previous), spare, path, head, keys, pieces)
        if lengths is None:
            lengths = join_in_process(path, head, pieces, ALIGN)
        kept_layouts = {path.name: FileLayout.following(path, BODIES_RENDERING, len(head), keys, lengths)}
        if before:  # the file before, the spare once this one is published
            kept_layouts[trig_spare_path(path).name] = before
        elif not (previous and previous.exists()) and moves_blocks(path.parent):
            first_spare = _first_spare(path, len(head), keys, lengths)
            if first_spare:
                kept_layouts[trig_spare_path(path).name] = first_spare
        write_layouts(trig_layout_path(path), kept_layouts)

    def trig_body(self, name: str) -> str:
        """One named graph's TriG body (:mod:`.trig`); ``""`` for a graph the store does not hold."""
        return self._body(name).decode("utf-8")

    def trig_digest(self, name: str) -> str:
        """The SHA-256 of :meth:`trig_body`, read without the body where it is kept."""
        kept = self._bodies.header(name) if self._bodies else None
        return kept.digest if kept is not None else body_digest(self.trig_body(name))

    def _body(self, name: str) -> bytes:
        self._write_pending()
        kept = self._bodies.read(name) if self._bodies else None
        if kept is not None:
            return kept
        body = quads_body(self._store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        if self._bodies and body.quads:
            self._bodies.write(name, body)
        return body.text.encode("utf-8")

    def triple_count(self) -> int:
        """How many quads the store holds: the counts kept with the graphs' bodies, where every graph
        has one (Oxigraph counts by reading every quad: 1.4 s on 10,000 documents)."""
        self._write_pending()
        if self._bodies:
            headers = [self._bodies.header(name) for name in self.named_graphs()]
            if None not in headers:
                return sum(header.quads for header in headers if header)
        return len(self._store)

    def resolver(self) -> DocumentResolver:
        """A resolver that knows every loaded document in the store, by the title and 文号 its own file
        gives it (citations elsewhere may write others); it looks them up as it is asked.

        It reads the store as it is now, and later graphs are not written for its look-ups: it knows
        the documents it gives IRIs to (each look-up writing the buffer made one bulk load per file:
        a third of the loading time on 1,000 documents).
        """
        self._write_pending()
        return DocumentResolver(StoredDocuments(self))

    def write_buffered(self) -> None:
        """Write the graphs still buffered; every query does it first, so call it before querying from
        several threads at once."""
        self._write_pending()

    def flush(self) -> None:
        """Write what is buffered, to disk, with the index of the graphs' TriG bodies."""
        self._write_pending()
        self._store.flush()
        if self._bodies:
            self._bodies.save_index(self.named_graphs)

    def compact(self) -> None:
        """Write what is buffered, then merge the store's files into one sorted run per index
        (Oxigraph's ``optimize``, RocksDB's full compaction), as after a large batch: the bulk
        loads leave overlapping files that RocksDB would otherwise merge in the background, in part
        and later, while the next commands run. On the 10,000-document store, alone: 28.6 s of
        CPU, its files 4.0 GB → 3.5 GB. Native code throughout: other threads run Python meanwhile."""
        self._write_pending()
        self._store.optimize()

    def close(self) -> None:
        """Write what is buffered to disk (of a store opened to write) and close the store's files
        (RocksDB's), here and now: a folder moved while its store is open breaks the store's
        background work (its compactions then fail to find their files, and closing waits a second
        after the error). Rows of a query still being read keep the files open until they are dropped.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = PolicyStore.open(Path(folder))
        ...     store.close()
        ...     PolicyStore.open(Path(folder)).named_graphs()  # while open, its lock would refuse this
        []
        """
        if self._oxigraph is not None:
            if not self.read_only:
                self.flush()
            self._oxigraph = None

    def dropped_bodies(self) -> set[str] | None:
        """The digests of the TriG bodies this object's writes and removals left no graph with;
        ``None`` when another process wrote the store too (:meth:`closed_meanwhile`): not known here."""
        if self._written_apart:
            return None
        return self._bodies.dropped() if self._bodies else set()

    @contextmanager
    def closed_meanwhile(self) -> Iterator[tuple[Path, Path | None]]:
        """The store closed while the block runs, for another process to open and write: the block
        is given its folder and its bodies' folder (``PolicyStore.open(*given)``). Then it is opened
        again, as that process left it.

        >>> import tempfile; from rdflib import URIRef
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = PolicyStore.open(Path(folder))
        ...     with store.closed_meanwhile() as given:
        ...         other = PolicyStore.open(*given)
        ...         other.replace_graph(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o"))])
        ...         other.close()
        ...     store.named_graphs(), store.dropped_bodies()
        (['urn:g'], None)
        """
        if self.path is None or self.read_only:
            raise StoreError("only a store on disk, open to write, can be written by another process")
        bodies = self._bodies.folder if self._bodies else None
        self.close()
        try:
            yield self.path, bodies
        finally:
            self._oxigraph = ox.Store(str(self.path))
            self._graph_names = None
            self._bodies = _bodies_of(self.path, bodies)
            self._written_apart = True

    def checkpoint(self, target: Path) -> None:
        """A consistent copy of the store in ``target`` (hard links where it can: fast and small).
        The copy shares this store's TriG bodies: open it with the same ``bodies`` as this one.
        Neither store's changes touch the other's (a body is never rewritten), but only one of them
        may :func:`sweep_bodies`."""
        self.flush()
        self._store.backup(str(target))
        if self._bodies:
            self._bodies.copy_index(target / BODIES_INDEX)


def bulk_load(store: ox.Store, texts: list[str], format: ox.RdfFormat) -> None:
    """Write ``texts``, already checked, that joined make one document in ``format``, to ``store`` in
    one bulk load, streamed (:class:`DrainedTexts`): ``texts`` is left empty.

    >>> store, texts = ox.Store(), ['<urn:a> <urn:p> "园区" <urn:g> .\\n']
    >>> bulk_load(store, texts, ox.RdfFormat.N_QUADS); len(store), texts
    (1, [])
    """
    store.bulk_load(io.BufferedReader(DrainedTexts(texts), 1 << 16), format=format, lenient=True)


class DrainedTexts(io.RawIOBase):
    """Texts read once, in order, as one UTF-8 stream, each let go of as soon as it has been read.

    The store's bulk loader reads the buffered graphs this way: given them joined in one string,
    it held the texts, the joined string and its UTF-8 copy at once, and a batch of 32 million
    characters of N-Quads peaked 155 MB higher (BENCHMARKS.md).

    >>> texts = ["开发", "区\\n"]
    >>> io.BufferedReader(DrainedTexts(texts)).read().decode(), texts
    ('开发区\\n', [])
    """

    def __init__(self, texts: list[str]) -> None:
        texts.reverse()  # taken from the end, so that each is let go of in constant time
        self._texts = texts
        self._unread = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._unread:
            if not self._texts:
                return 0
            self._unread = memoryview(self._texts.pop().encode())
        into = memoryview(buffer).cast("B")
        size = min(len(into), len(self._unread))
        into[:size] = self._unread[:size]
        self._unread = self._unread[size:]
        return size


def sweep_bodies(folder: Path, only: Collection[str] | None = None) -> None:
    """Delete the TriG bodies the store in ``folder`` no longer has, in its own :data:`TRIG_DIR`:
    replaced or removed, or written by a copy of it that was dropped (:meth:`PolicyStore.checkpoint`);
    with ``only``, those of these digests alone (:meth:`PolicyStore.dropped_bodies` of the store
    now there)."""
    _bodies_of(folder).sweep(only)


def _bodies_of(folder: Path, bodies: Path | None = None) -> TrigBodies:
    """The TriG bodies of the store in ``folder``: its index beside Oxigraph's files, the bodies in
    ``bodies``, by default its own :data:`TRIG_DIR`."""
    return TrigBodies(bodies or folder / TRIG_DIR, folder / BODIES_INDEX)


def trig_layout_path(trig: Path) -> Path:
    """Where the layout of a TriG file :meth:`PolicyStore.dump_trig` wrote is kept: beside it."""
    return trig.with_name(f".{trig.name}-layout.json")


def trig_spare_path(trig: Path) -> Path:
    """Where the TriG file :meth:`PolicyStore.dump_trig` wrote before ``trig`` is kept, to be edited
    into the next one in place."""
    return trig.with_name(f".{trig.name}-spare")


def _first_spare(trig: Path, start: int, keys: list[str], lengths: list[int]) -> FileLayout | None:
    """A copy of a first TriG file as its spare, and the copy's layout: the first refresh after a
    build then edits the spare in place, as every later one does, rather than join every graph anew
    (on 10,000 documents, the first addition took 2.9 s without it and 1.8 s with it; the copy of 940 MB
    costs the build some 2 s, beside its tables). None where the copy cannot be made (a full disk):
    the build goes on without a spare, and its first refresh joins."""
    spare = trig_spare_path(trig)
    try:
        shutil.copyfile(trig, spare)
    except OSError:
        spare.unlink(missing_ok=True)
        return None
    return FileLayout.following(spare, BODIES_RENDERING, start, keys, lengths)


def _kept_layouts(trig: Path) -> tuple[FileLayout | None, FileLayout | None]:
    """The layouts kept beside a TriG file :meth:`PolicyStore.dump_trig` wrote: its own, where it
    still describes the file, and its spare's (:func:`trig_spare_path`), where made of the bodies."""
    layouts = read_layouts(trig_layout_path(trig))
    own, spare = layouts.get(trig.name), layouts.get(trig_spare_path(trig).name)
    return (own if own and own.describes(trig) else None,
            spare if spare and spare.rendering == BODIES_RENDERING else None)


def _spare_edited(spare: Path, layout: FileLayout, path: Path, head: bytes, keys: list[str],
                  pieces: list[Piece]) -> list[int] | None:
    """The TriG file at ``spare``, laid out as ``layout`` says, moved to ``path`` and edited in place
    into the join of ``head`` and ``pieces`` (:mod:`.inplace`); the pieces' lengths. ``None``
    where it cannot be: then the spare is left where it is, or gone from ``path`` when refused
    there (a reader holds it open: the file it reads stays as it is)."""
    edit = plan_edit(spare, layout, head, keys, pieces, ALIGN)
    if edit is None:
        return None
    os.rename(spare, path)
    if edit_in_process(path, edit, ALIGN):
        return edit.lengths
    path.unlink()
    return None


class StoredDocuments:
    """The loaded documents of a store, found by the keys their graphs hold (:class:`DocumentIndex`).

    Each OPTIONAL holds one triple pattern: Oxigraph looks a single pattern up for each row, but
    evaluates a group of several on its own and joins it by hash (a look-up took 46 ms instead of
    0.4 on 1,000 documents).
    """

    QUERY = (f"SELECT ?doc ?name ?part ?title ?number ?serial WHERE {{ GRAPH ?file {{ PATTERN "
             f"?doc <{PKG.titleKey}> ?title ; <{PKG.part}> ?part ; <{PKG.sourceFile}> ?file . "
             f"?file <{PKG.fileName}> ?name . OPTIONAL {{ ?doc <{PKG.numberKey}> ?number }} "
             f"OPTIONAL {{ ?doc <{PKG.issuerSerial}> ?serial }} }} }} ORDER BY ?name ?part")
    PATTERNS = {"file": f"?file <{PKG.fileName}> ?wanted .", "title": f"?doc <{PKG.titleKey}> ?wanted .",
                "number": f"?doc <{PKG.numberKey}> ?wanted .", "serial": f"?doc <{PKG.issuerSerial}> ?wanted ."}

    def __init__(self, store: PolicyStore) -> None:
        self._store = store

    def find(self, kind: str, key: str) -> list[StoredDocument]:
        return self._read(self.PATTERNS[kind], {"wanted": Literal(key)})

    def every(self) -> list[StoredDocument]:
        return self._read("", {})

    def _read(self, pattern: str, bindings: dict[str, Node]) -> list[StoredDocument]:
        rows = self._store.rows(self.QUERY.replace("PATTERN", pattern), bindings, buffered=False)
        return [StoredDocument(URIRef(doc), f"{name}#{part}", DocumentKeys(title, number, serial))
                for doc, name, part, title, number, serial in rows]


def open_rdflib_dataset(folder: Path) -> Dataset:
    """A closed store folder as an rdflib ``Dataset`` (oxrdflib), for code written against rdflib.

    Queries through rdflib see only the default graph unless they use ``GRAPH``; prefer
    :meth:`PolicyStore.select` for union queries.
    """
    dataset = Dataset(store="Oxigraph")
    dataset.open(str(folder))
    return dataset


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@functools.lru_cache(maxsize=1 << 16)
def _named_node(iri: str) -> ox.NamedNode:
    """IRIs repeat (predicates, classes, agencies): each is converted once."""
    return ox.NamedNode(iri)


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
