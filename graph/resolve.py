"""Cited documents meet loaded ones: by title, and by 文号 despite placeholder years and spacing.

A citation's node is its title's IRI unless a loaded document carries the same 文号 (compared
without brackets and spaces), or the same issuer code and serial where the citation's year is a
placeholder such as 〔20xx〕.

>>> resolver = DocumentResolver()
>>> resolver.register(document_iri("国务院关于促进国家高新技术产业开发区高质量发展的若干意见"), "国发〔2020〕7号")
>>> resolver.resolve("国务院关于促进高新区高质量发展的若干意见", "国发〔20xx〕7号") == document_iri("国务院关于促进国家高新技术产业开发区高质量发展的若干意见")
True
"""
from __future__ import annotations

from rdflib import URIRef

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.normalize import number_key

from .identity import document_iri


class DocumentResolver:
    """Loaded documents by 文号, for resolving the documents citations name."""

    def __init__(self) -> None:
        self._by_number: dict[str, URIRef] = {}
        self._by_code_serial: dict[tuple[str, int], set[URIRef]] = {}

    def register(self, iri: URIRef, number: str | None) -> None:
        """Record a loaded document and its 文号."""
        parts = split_doc_number(number) if number else None
        if parts is None:
            return
        self._by_number[number_key(parts.text)] = iri
        self._by_code_serial.setdefault((parts.code, parts.serial), set()).add(iri)

    def resolve(self, title: str, number: str | None) -> URIRef:
        """The IRI for a cited document."""
        parts = split_doc_number(number) if number else None
        if parts is not None:
            exact = self._by_number.get(number_key(parts.text))
            if exact is not None:
                return exact
            candidates = self._by_code_serial.get((parts.code, parts.serial), set())
            if parts.year is None and len(candidates) == 1:
                return next(iter(candidates))
        return document_iri(title)
