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
from typing import Callable, Iterable

import pyoxigraph as ox

from policykg.ontology import PREFIXES

from . import identity
from .files import write_atomically


HEADER = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


@dataclass(frozen=True)
class Body:
    """A graph's TriG body and how many quads it holds."""

    text: str
    quads: int


def trig_body(nquads: str) -> Body:
    """The TriG body of N-Quads text, its lines sorted: the same text whatever their order, and each
    subject's statements together, written once (a third smaller). Blank nodes get fresh labels, so
    bodies joined into one file never share one by accident."""
    lines = sorted(set(nquads.split("\n")) - {""})  # not splitlines(): a literal may hold U+2028 or a form feed
    parsed = ox.parse("\n".join(lines), format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True, lenient=True)
    return Body(_serialised(parsed), len(lines))


def quads_body(quads: Iterable[ox.Quad]) -> Body:
    """The TriG body of quads already parsed (read from a store, say)."""
    quads = list(quads)
    return Body(_serialised(quads), len(quads))


def _serialised(quads: Iterable[ox.Quad]) -> str:
    text = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES).decode("utf-8")
    start = 0
    while text.startswith("@prefix ", start):
        start = text.index("\n", start) + 1
    return text[start:]


def body_digest(body: str) -> str:
    """The SHA-256 of a body, as kept with it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BodyHeader:
    """What a kept body's first line says: its SHA-256 and how many quads it holds."""

    digest: str
    quads: int | None


class TrigBodies:
    """A folder with the TriG body of each named graph, one file per graph, named by a digest of
    the graph's IRI. Each file starts with a comment holding the body's SHA-256 and its count of
    quads, so that these are read without the body (what changed is known without reading 780 MB,
    and how many quads the store holds without counting them: 1.4 s on 10,000 documents).

    :meth:`save_index` writes every body's first line into one index file, read instead of 20,000
    first lines (0.4 s on 10,000 documents). The index goes at the first change after it is written
    and comes back at the next :meth:`save_index` (a store's flush): a change not followed by one
    leaves no index that could be stale, and the first lines are read as before.

    Files are replaced, never rewritten in place: a checkpoint shares them by hard links.
    """

    MARK = b"# sha256 "
    QUADS = " quads "
    INDEX = "index.tsv"  # graph, SHA-256 of its body, count of quads: a line per body

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._headers: dict[str, BodyHeader | None] = {}  # first lines read or written, by graph
        self._indexed: dict[str, BodyHeader] | None = None  # the index, once read
        self._changed = False  # since the index was last written

    def path(self, graph: str) -> Path:
        return self.folder / f"{identity.digest(graph, length=40)}.trig"

    def read(self, graph: str) -> bytes | None:
        """The body of ``graph`` as UTF-8, or ``None`` when none was kept (or not in this form)."""
        try:
            kept = self.path(graph).read_bytes()
        except FileNotFoundError:
            return None
        return kept[kept.index(b"\n") + 1:] if kept.startswith(self.MARK) else None

    def header(self, graph: str) -> BodyHeader | None:
        """The SHA-256 of the body of ``graph`` and its count of quads (``None`` in a body kept before
        counts were), from the index or the body's first line; ``None`` when no body was kept."""
        if graph not in self._headers:
            indexed = self._index().get(graph)
            self._headers[graph] = indexed if indexed is not None else self._read_header(graph)
        return self._headers[graph]

    def _index(self) -> dict[str, BodyHeader]:
        if self._indexed is None:
            try:
                lines = (self.folder / self.INDEX).read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                lines = []
            self._indexed = {graph: BodyHeader(digest, int(quads)) for graph, digest, quads in
                             (line.split("\t") for line in lines)}
        return self._indexed

    def _read_header(self, graph: str) -> BodyHeader | None:
        try:
            with self.path(graph).open("rb") as kept:
                first = kept.readline()
        except FileNotFoundError:
            return None
        if not first.startswith(self.MARK):
            return None
        digest, _, quads = first[len(self.MARK):].decode("ascii").strip().partition(self.QUADS)
        return BodyHeader(digest, int(quads) if quads else None)

    def write(self, graph: str, body: Body) -> None:
        self._changing()
        digest = body_digest(body.text)
        write_atomically(self.path(graph), f"{self.MARK.decode('ascii')}{digest}{self.QUADS}{body.quads}\n{body.text}")
        self._headers[graph] = BodyHeader(digest, body.quads)

    def remove(self, graph: str) -> None:
        self._changing()
        self.path(graph).unlink(missing_ok=True)
        self._headers[graph] = None

    def _changing(self) -> None:
        if not self._changed:
            self._index()
            (self.folder / self.INDEX).unlink(missing_ok=True)
            self._changed = True

    def save_index(self, graphs: Callable[[], Iterable[str]]) -> None:
        """Write the index of the bodies of the graphs ``graphs()`` gives (every graph the store
        holds), if a body changed since it was last written: else they are not asked for (listing
        20,000 graphs took 0.13 s). A graph whose body has no count is left out."""
        if not self._changed:
            return
        headers = [(graph, self.header(graph)) for graph in graphs()]
        write_atomically(self.folder / self.INDEX, "".join(f"{graph}\t{header.digest}\t{header.quads}\n"
                                                          for graph, header in headers
                                                          if header is not None and header.quads is not None))
        self._changed = False

    def link_into(self, target: Path) -> None:
        """Every body, and the index, in ``target`` too, as hard links (copies where links cannot be
        made). Paths as plain text: 18,500 links take 0.1 s, against 0.2 s through ``Path``."""
        target.mkdir(parents=True, exist_ok=True)
        if not self.folder.is_dir():
            return
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith(".trig") or entry.name == self.INDEX:
                    try:
                        os.link(entry.path, f"{target}/{entry.name}")
                    except OSError:
                        shutil.copyfile(entry.path, f"{target}/{entry.name}")
