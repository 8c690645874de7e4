"""TriG text of named graphs, kept one body per graph so that a dataset is written by joining them.

Reading every quad back out of Oxigraph to serialise it costs some 10 µs a quad (10 s for the
910,216 quads of 1,000 documents) since each term is a look-up in its string table; joining bodies
written when their graphs were costs a fraction of a second. A body is what Oxigraph's TriG
serialiser writes for a graph after its ``@prefix`` lines; every body uses :data:`PREFIXES`, so
:data:`HEADER` and any bodies make a TriG document.

>>> body = trig_body('<urn:s> <http://www.w3.org/2004/02/skos/core#prefLabel> "园区" <urn:g> .\\n')
>>> HEADER.splitlines()[0], body.text, body.quads
('@prefix pkg: <https://w3id.org/policykg/ontology#> .', '<urn:g> {\\n\\t<urn:s> skos:prefLabel "园区" .\\n}\\n', 1)
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Iterable, cast

import pyoxigraph as ox

from policykg.ontology import PREFIXES

from . import identity
from .files import write_atomically


# every graph's body in a TriG file starts at a multiple of this many bytes (a file system's block),
# for the file to be edited in place (.inplace); padding adds 5% to graph.trig at 10,000 documents
ALIGN = 4096
HEADER = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


@dataclass(frozen=True)
class Body:
    """A graph's TriG body and how many quads it holds."""

    text: str
    quads: int


def trig_body(nquads: str) -> Body:
    """The TriG body of N-Quads text, its lines sorted: the same text whatever their order, and each
    subject's statements together, written once (a third smaller). Blank nodes get fresh labels, so
    bodies joined into one file never share one by accident.

    The text is parsed strictly (a :class:`SyntaxError` for a bad IRI, say), in the process that
    made it: the store loads it without checking it again (:meth:`.store.PolicyStore.replace_graph_nquads`)."""
    lines = sorted(set(nquads.split("\n")) - {""})  # not splitlines(): a literal may hold U+2028 or a form feed
    parsed = ox.parse("\n".join(lines), format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True)
    return Body(_serialised(parsed), len(lines))


def quads_body(quads: Iterable[ox.Quad]) -> Body:
    """The TriG body of quads already parsed (read from a store, say)."""
    quads = list(quads)
    return Body(_serialised(quads), len(quads))


def _serialised(quads: Iterable[ox.Quad]) -> str:
    serialised = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    text = cast(bytes, serialised).decode("utf-8")  # given no output, Oxigraph returns the bytes
    start = 0
    while text.startswith("@prefix ", start):
        start = text.index("\n", start) + 1
    return text[start:]


def body_digest(body: str) -> str:
    """The SHA-256 of a body, as kept with it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BodyHeader:
    """A kept body's SHA-256 and how many quads it holds."""

    digest: str
    quads: int


class TrigBodies:
    """The TriG body of each named graph, one file per body in a folder, named by the body's
    SHA-256, and an index of the body each graph has and its count of quads: what changed is known
    without reading 780 MB of bodies, and how many quads the store holds without counting them
    (1.4 s on 10,000 documents). Each file starts with a comment holding the same two figures.

    A file, once written, never changes, so a store and a copy of it share one folder: each has its
    own index, and a build's copy of 10,000 documents costs no 18,500 hard links (0.4 to 0.6 s).
    What no index lists any more is deleted by :meth:`sweep`.

    The index goes at the first change after it is written and comes back at the next
    :meth:`save_index` (a store's flush): a change not followed by one leaves no index that could
    be stale, and a store without one makes its bodies again from its quads.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> bodies = TrigBodies(folder / "trig", folder / "trig-index.tsv")
    >>> bodies.write("urn:g", trig_body('<urn:s> <urn:p> "园区" <urn:g> .\\n'))
    >>> bodies.save_index(lambda: ["urn:g"]); bodies.header("urn:g").quads
    1
    >>> TrigBodies(folder / "trig", folder / "trig-index.tsv").read("urn:g").decode("utf-8")
    '<urn:g> {\\n\\t<urn:s> <urn:p> "园区" .\\n}\\n'
    >>> import shutil; shutil.rmtree(folder)
    """

    MARK = b"# sha256 "
    EVERY_GRAPH = "# every graph of the store\n"  # an index's first line, when it lists every graph the store holds
    QUADS = " quads "
    GRAPH_NAMED_INDEX = "index.tsv"  # in the folder, where each body was named by its graph's IRI

    def __init__(self, folder: Path, index: Path) -> None:
        self.folder = folder
        self.index = index  # graph, SHA-256 of its body, count of quads: a line per body
        self._headers: dict[str, BodyHeader | None] = {}  # written or removed since the index was read
        self._indexed: dict[str, BodyHeader] | None = None  # the index, once read
        self._every_graph = False  # whether the index read or saved last lists every graph of the store
        self._dropped: dict[str, str] = {}  # the digests of bodies a change here replaced or removed, with their graphs
        self._changed = False  # since the index was last written

    def path(self, digest: str) -> Path:
        """The file of the body of this SHA-256."""
        return self.folder / f"{digest}.trig"

    def read(self, graph: str) -> bytes | None:
        """The body of ``graph`` as UTF-8, or ``None`` when none is kept."""
        header = self.header(graph)
        try:
            kept = self.path(header.digest).read_bytes() if header else None
        except FileNotFoundError:
            return None
        return kept[kept.index(b"\n") + 1:] if kept else None

    def header(self, graph: str) -> BodyHeader | None:
        """The SHA-256 of the body of ``graph`` and its count of quads; ``None`` when none is kept."""
        if graph in self._headers:
            return self._headers[graph]
        return self._index().get(graph)

    def _index(self) -> dict[str, BodyHeader]:
        if self._indexed is None:
            self._name_by_content_if_graph_named()
            try:  # an index without its folder of bodies (a copy opened apart from them) is no help
                lines = self.index.read_text(encoding="utf-8").splitlines() if self.folder.is_dir() else []
            except FileNotFoundError:
                lines = []
            self._every_graph = bool(lines) and f"{lines[0]}\n" == self.EVERY_GRAPH
            self._indexed = {graph: BodyHeader(digest, int(quads)) for graph, digest, quads in
                             (line.split("\t") for line in lines[self._every_graph:])}
        return self._indexed

    def graphs(self) -> set[str] | None:
        """Every graph the store holds, as the index says with the changes since: the graphs with a
        body of some quads. ``None`` when the index does not list every graph (none was saved, or
        it was saved when a graph had no body yet): then only the store can tell. Listing 18,500
        graphs from the store took 0.1 to 0.15 s of every refresh of 10,000 documents."""
        indexed = self._index()
        if not self._every_graph:
            return None
        graphs = {graph for graph in indexed if graph not in self._headers}
        return graphs | {graph for graph, header in self._headers.items() if header is not None and header.quads}

    def _name_by_content_if_graph_named(self) -> None:
        """Bodies kept as before they were shared, named by a digest of their graph's IRI with an
        index in the folder: each linked under its SHA-256, and the index moved here (made again
        from 10,000 documents' quads, the bodies took 6 minutes). The old names go at the next
        :meth:`sweep`; a body whose file is missing is made again."""
        moved = self.folder / self.GRAPH_NAMED_INDEX
        if self.index.exists() or not moved.is_file():
            return
        lines = moved.read_text(encoding="utf-8").splitlines()
        linked = []
        for line in lines:
            graph, digest, _ = line.split("\t")
            try:
                os.link(self.folder / f"{identity.digest(graph, length=40)}.trig", self.path(digest))
            except FileExistsError:  # linked by a run cut short
                pass
            except FileNotFoundError:
                continue
            linked.append(f"{line}\n")
        moved.unlink()  # before the index is written: cut short between, a store makes its bodies again
        write_atomically(self.index, "".join(linked))

    def write(self, graph: str, body: Body) -> None:
        self._changing()
        digest = body_digest(body.text)
        if not self.path(digest).exists():  # else written already, the same bytes
            write_atomically(self.path(digest), f"{self.MARK.decode('ascii')}{digest}{self.QUADS}{body.quads}\n{body.text}")
        self._drop(graph)
        self._headers[graph] = BodyHeader(digest, body.quads)

    def remove(self, graph: str) -> None:
        self._changing()
        self._drop(graph)
        self._headers[graph] = None

    def _drop(self, graph: str) -> None:
        if (header := self.header(graph)) is not None:
            self._dropped[header.digest] = graph

    def dropped(self) -> set[str]:
        """The digests of the bodies this object's changes replaced or removed, which no graph has
        now: what a sweep of them alone deletes (:meth:`sweep`). A body names its graph, so only
        that graph could have it again."""
        return {digest for digest, graph in self._dropped.items()
                if (header := self.header(graph)) is None or header.digest != digest}

    def _changing(self) -> None:
        if not self._changed:
            self._index()
            self.index.unlink(missing_ok=True)
            self._changed = True

    def save_index(self, graphs: Callable[[], Iterable[str]]) -> None:
        """Write the index of the bodies of the graphs ``graphs()`` gives (every graph the store
        holds), if a body changed since it was last written: else they are not asked for (listing
        20,000 graphs took 0.13 s). An index where every graph has a body says so first
        (:meth:`graphs`)."""
        if not self._changed:
            return
        names = list(graphs())
        headers = {graph: header for graph in names if (header := self.header(graph)) is not None}
        every_graph = len(headers) == len(names)
        write_atomically(self.index, (self.EVERY_GRAPH if every_graph else "") + "".join(
            f"{graph}\t{header.digest}\t{header.quads}\n" for graph, header in headers.items()))
        self._indexed, self._headers, self._changed, self._every_graph = headers, {}, False, every_graph

    def copy_index(self, target: Path) -> None:
        """The index, as last saved, in ``target`` too: for a copy of the store sharing the bodies.
        Bodies kept as before they were shared are named by their content first, here: a copy does
        not change what the store it copies has kept. The index is copied as it lies, not read:
        read, it made a checkpoint of 10,000 documents take 0.03 s, not 0.004."""
        self._name_by_content_if_graph_named()
        if self.index.is_file():
            shutil.copyfile(self.index, target)

    def sweep(self, only: Collection[str] | None = None) -> None:
        """Delete from the folder every file not the body of a graph of the saved index: bodies
        replaced or removed, and what a build cut short or failed wrote. Only for a folder no other
        index shares, after the index is saved. With ``only``, the bodies of those digests alone,
        which :meth:`dropped` gave for this index: neither the index nor the folder is read (their
        18,500 entries at 10,000 documents: 0.05 to 0.07 s at the end of every refresh)."""
        if self._changed or not self.folder.is_dir():
            return
        if only is not None:
            for digest in only:
                self.path(digest).unlink(missing_ok=True)
            return
        kept = {f"{header.digest}.trig" for header in self._index().values()}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name not in kept and entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink(missing_ok=True)  # or deleted by another sweep meanwhile
