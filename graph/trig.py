"""TriG text of named graphs, kept one body per graph so that a dataset is written by joining them.

Reading every quad back out of Oxigraph to serialise it costs some 10 µs a quad (10 s for the
910,216 quads of 1,000 documents) since each term is a look-up in its string table; joining bodies
written when their graphs were costs a fraction of a second. A body is what Oxigraph's TriG
serialiser writes for a graph after its ``@prefix`` lines; every body uses :data:`PREFIXES`, so
:data:`HEADER` and any bodies make a TriG document.

>>> body = trig_body('<urn:s> <http://www.w3.org/2004/02/skos/core#prefLabel> "园区" <urn:g> .\\n')
>>> HEADER.splitlines()[0], body
('@prefix pkg: <https://w3id.org/policykg/ontology#> .', '<urn:g> {\\n\\t<urn:s> skos:prefLabel "园区" .\\n}\\n')
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from policykg.ontology import PREFIXES

from . import identity
from .files import write_atomically


HEADER = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


def trig_body(nquads: str) -> str:
    """The TriG body of N-Quads text, its lines sorted: the same text whatever their order, and each
    subject's statements together, written once (a third smaller). Blank nodes get fresh labels, so
    bodies joined into one file never share one by accident."""
    lines = "\n".join(sorted(nquads.split("\n")))  # not splitlines(): a literal may hold U+2028 or a form feed
    return quads_body(ox.parse(lines, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True, lenient=True))


def quads_body(quads: Iterable[ox.Quad]) -> str:
    """The TriG body of quads already parsed (read from a store, say)."""
    text = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES).decode("utf-8")
    start = 0
    while text.startswith("@prefix ", start):
        start = text.index("\n", start) + 1
    return text[start:]


def body_digest(body: str) -> str:
    """The SHA-256 of a body, as kept with it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class TrigBodies:
    """A folder with the TriG body of each named graph, one file per graph, named by a digest of
    the graph's IRI. Each file starts with a comment holding the body's SHA-256, so that a digest is
    read without its body (what changed is known from 20,000 first lines, not 780 MB).

    Files are replaced, never rewritten in place: a checkpoint shares them by hard links.
    """

    MARK = b"# sha256 "

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, graph: str) -> Path:
        return self.folder / f"{identity.digest(graph, length=40)}.trig"

    def read(self, graph: str) -> bytes | None:
        """The body of ``graph`` as UTF-8, or ``None`` when none was kept (or not in this form)."""
        try:
            kept = self.path(graph).read_bytes()
        except FileNotFoundError:
            return None
        return kept[kept.index(b"\n") + 1:] if kept.startswith(self.MARK) else None

    def digest(self, graph: str) -> str | None:
        """The SHA-256 of the body of ``graph``, or ``None`` when none was kept."""
        try:
            with self.path(graph).open("rb") as kept:
                first = kept.readline()
        except FileNotFoundError:
            return None
        return first[len(self.MARK):].strip().decode("ascii") if first.startswith(self.MARK) else None

    def write(self, graph: str, body: str) -> None:
        write_atomically(self.path(graph), f"{self.MARK.decode('ascii')}{body_digest(body)}\n{body}")

    def remove(self, graph: str) -> None:
        self.path(graph).unlink(missing_ok=True)

    def link_into(self, target: Path) -> None:
        """Every body in ``target`` too, as hard links (copies where links cannot be made)."""
        target.mkdir(parents=True, exist_ok=True)
        for body in self.folder.glob("*.trig"):
            try:
                os.link(body, target / body.name)
            except OSError:
                target.joinpath(body.name).write_bytes(body.read_bytes())
