"""Triples as N-Quads text: how graphs travel from parsing processes to the store's bulk loader.

Text pickles cheaply between processes, and Oxigraph parses it in Rust several times faster than
Python can build its terms one by one.

>>> from rdflib import Literal, URIRef
>>> print(nquads(URIRef("urn:g"), [(URIRef("urn:s"), URIRef("urn:p"), Literal('说"明"\\n', lang="zh"))]), end="")
<urn:s> <urn:p> "说\\"明\\"\\n"@zh <urn:g> .
"""
from __future__ import annotations

from typing import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nquads(graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> str:
    """The triples in the named graph ``graph``, one N-Quads line each."""
    tail = f" <{graph}> .\n"
    return "".join(f"{rdf_term(s)} {rdf_term(p)} {rdf_term(o)}{tail}" for s, p, o in triples)


def rdf_term(term: Node) -> str:
    """One term as N-Triples writes it."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")
