"""RDF terms as N-Triples text, and graphs as N-Quads: how graphs travel from parsing processes to
the store's bulk loader.

Text pickles cheaply between processes, and Oxigraph parses it in Rust several times faster than
Python can build its terms one by one; written straight as text, a file's terms also cost a
fraction of rdflib's objects to make.

>>> print(nquads(URIRef("urn:g"), [(iri("urn:s"), iri("urn:p"), text('说"明"\\n', "zh"))]), end="")
<urn:s> <urn:p> "说\\"明\\"\\n"@zh <urn:g> .
>>> Terms(XSD).date
'<http://www.w3.org/2001/XMLSchema#date>'
>>> integer(3), boolean(False)
('"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>')
"""
from __future__ import annotations

from typing import Iterable

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
Triple = tuple[str, str, str]  # three N-Triples terms


class Terms:
    """A namespace's terms as N-Triples text, each written once and then read as an attribute."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        term = iri(getattr(self._namespace, name))
        setattr(self, name, term)
        return term


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, language: str | None = None) -> str:
    """A string literal, with a language tag when given."""
    written = f'"{escaped(value)}"'
    return f"{written}@{language}" if language else written


def typed(value: object, datatype: URIRef) -> str:
    return f'"{escaped(str(value))}"^^<{datatype}>'


def escaped(value: str) -> str:
    """``value`` with the characters N-Triples escapes in a literal escaped. Most values have none:
    looking for them costs a tenth of ``str.translate``, which reads every character.

    >>> print(escaped('说"明"'), escaped("园区"))
    说\\"明\\" 园区
    """
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(ESCAPES)
    return value


INTEGER, BOOLEAN = XSD.integer, XSD.boolean  # read once: a namespace's attribute is a look-up in rdflib


def integer(value: int) -> str:
    return typed(value, INTEGER)


def boolean(value: bool) -> str:
    return typed("true" if value else "false", BOOLEAN)


def nquads(graph: URIRef, triples: Iterable[Triple]) -> str:
    """Triples of N-Triples terms in the named graph ``graph``, one N-Quads line each."""
    tail = f" <{graph}> .\n"
    return "".join(f"{s} {p} {o}{tail}" for s, p, o in triples)


def rdf_term(term: Node) -> str:
    """An rdflib term as N-Triples writes it.

    >>> rdf_term(Literal(7)), rdf_term(URIRef("urn:x"))
    ('"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '<urn:x>')
    """
    if isinstance(term, URIRef):
        return iri(term)
    if isinstance(term, Literal):
        if term.language:
            return text(str(term), term.language)
        return typed(term, term.datatype) if term.datatype else text(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")
