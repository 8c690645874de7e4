"""Document identity: loaded documents, and the documents citations name.

A loaded document takes its title's IRI, so that a citation of it by title meets it, unless another
loaded document already holds that title (two plans both called 实施方案): then its IRI is qualified
by its file and part, and two documents never share a node. A cited document is the loaded one with
the same 文号 (compared without brackets and spaces, or by issuer code and serial where the citation's
year is a placeholder such as 〔20xx〕), else the loaded one with the same title, else a node of its own
under its title's IRI.

>>> resolver = DocumentResolver()
>>> plan = resolver.loaded_iri("国务院关于促进国家高新技术产业开发区高质量发展的若干意见", "a.txt#1", "国发〔2020〕7号")
>>> resolver.resolve("国务院关于促进高新区高质量发展的若干意见", "国发〔20xx〕7号") == plan
True
>>> resolver.loaded_iri("实施方案", "b.txt#1", None) != resolver.loaded_iri("实施方案", "c.txt#1", None)
True
"""
from __future__ import annotations

from rdflib import URIRef

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.normalize import compare_key, number_key

from .identity import document_iri


class DocumentResolver:
    """Loaded documents by owner (``file#part``), title and 文号."""

    def __init__(self) -> None:
        self._by_owner: dict[str, URIRef] = {}
        self._by_title: dict[str, URIRef] = {}
        self._by_number: dict[str, URIRef] = {}
        self._by_code_serial: dict[tuple[str, int], set[URIRef]] = {}

    def loaded_iri(self, title: str, owner: str, number: str | None) -> URIRef:
        """The IRI of the loaded document ``owner`` (``file#part``), decided once and remembered."""
        if owner in self._by_owner:
            return self._by_owner[owner]
        key = compare_key(title)
        iri = document_iri(title) if key and key not in self._by_title else document_iri(f"{title}@{owner}")
        self.remember(iri, title, owner, number)
        return iri

    def remember(self, iri: URIRef, title: str, owner: str, number: str | None) -> None:
        """Record a decision already made (a document loaded in an earlier build)."""
        key = compare_key(title)
        self._by_owner[owner] = iri
        if key and (iri == document_iri(title) or key not in self._by_title):
            self._by_title[key] = iri  # a title names the document holding its own IRI, else the first
        parts = split_doc_number(number) if number else None
        if parts is not None:
            self._by_number[number_key(parts.text)] = iri
            self._by_code_serial.setdefault((parts.code, parts.serial), set()).add(iri)

    def resolve(self, title: str, number: str | None) -> URIRef:
        """The IRI for a cited document."""
        return (number and self.by_number(number)) or self._by_title.get(compare_key(title)) or document_iri(title)

    def by_number(self, number: str) -> URIRef | None:
        """The loaded document a 文号 names, if any."""
        parts = split_doc_number(number)
        if parts is None:
            return None
        exact = self._by_number.get(number_key(parts.text))
        if exact is not None:
            return exact
        candidates = self._by_code_serial.get((parts.code, parts.serial), set())
        return next(iter(candidates)) if parts.year is None and len(candidates) == 1 else None
