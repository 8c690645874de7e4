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

from typing import NamedTuple

from rdflib import URIRef

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.normalize import compare_key, number_key

from .identity import document_iri, document_iri_for_key


class DocumentKeys(NamedTuple):
    """What a document is looked up by: its title's comparison key, and its 文号's key and issuer
    code with serial (``""`` when it has no 文号). The graph stores them (``pkg:titleKey``,
    ``pkg:numberKey``, ``pkg:issuerSerial``), so that a store's resolver is read without computing
    a key again.

    >>> DocumentKeys.of("武汉市人民政府关于加快开发区发展的意见", "武政〔2018〕35号").issuer_serial
    '武政/35'
    """

    title: str
    number: str
    issuer_serial: str

    @classmethod
    def of(cls, title: str, number: str | None) -> "DocumentKeys":
        parts = split_doc_number(number) if number else None
        if parts is None:
            return cls(compare_key(title), "", "")
        return cls(compare_key(title), number_key(parts.text), f"{parts.code}/{parts.serial}")


class DocumentResolver:
    """Loaded documents by owner (``file#part``), title and 文号."""

    def __init__(self) -> None:
        self._by_owner: dict[str, URIRef] = {}
        self._by_title: dict[str, URIRef] = {}
        self._by_number: dict[str, URIRef] = {}
        self._by_issuer_serial: dict[str, set[URIRef]] = {}

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
        self.remember_keys(iri, owner, DocumentKeys.of(title, number))

    def remember_keys(self, iri: URIRef, owner: str, keys: DocumentKeys) -> None:
        """:meth:`remember` with the document's keys already computed (as the store holds them)."""
        self._by_owner[owner] = iri
        if keys.title and (iri == document_iri_for_key(keys.title) or keys.title not in self._by_title):
            self._by_title[keys.title] = iri  # a title names the document holding its own IRI, else the first
        if keys.number:
            self._by_number[keys.number] = iri
            self._by_issuer_serial.setdefault(keys.issuer_serial, set()).add(iri)

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
        candidates = self._by_issuer_serial.get(f"{parts.code}/{parts.serial}", set())
        return next(iter(candidates)) if parts.year is None and len(candidates) == 1 else None
