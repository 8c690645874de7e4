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

from typing import NamedTuple, Protocol

from rdflib import URIRef

from policykg.loaders.docnumber import DocNumber, split_doc_number
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
        return cls(compare_key(title), *(_number_keys(parts) if parts else ("", "")))


def _number_keys(parts: DocNumber) -> tuple[str, str]:
    """A 文号's key and its issuer code with serial."""
    return number_key(parts.text), f"{parts.code}/{parts.serial}"


class StoredDocument(NamedTuple):
    iri: URIRef
    owner: str  # file#part
    keys: DocumentKeys


class DocumentIndex(Protocol):
    """Where a resolver looks up documents loaded earlier (:class:`policykg.graph.store.StoredDocuments`)."""

    def find(self, kind: str, key: str) -> list[StoredDocument]:
        """The documents with this ``file`` name, ``title`` key, ``number`` key or issuer ``serial``,
        ordered by owner."""

    def every(self) -> list[StoredDocument]:
        """Every document, ordered by owner."""


LOOKUPS_BEFORE_READING_ALL = 500  # a big batch reads the whole index once instead


class DocumentResolver:
    """Loaded documents by owner (``file#part``), title and 文号.

    With an ``index`` (the store's documents), the resolver looks up the keys it is asked about, so
    adding one file to a big store reads a handful of documents, not all of them; after
    ``LOOKUPS_BEFORE_READING_ALL`` look-ups it reads the whole index at once.
    """

    def __init__(self, index: DocumentIndex | None = None) -> None:
        self._by_owner: dict[str, URIRef] = {}
        self._by_title: dict[str, URIRef] = {}
        self._by_number: dict[str, URIRef] = {}
        self._by_issuer_serial: dict[str, set[URIRef]] = {}
        self._index = index
        self._asked: set[tuple[str, str]] = set()

    def loaded_iri(self, title: str, owner: str, number: str | None) -> URIRef:
        """The IRI of the loaded document ``owner`` (``file#part``), decided once and remembered."""
        self._learn("file", owner.rsplit("#", 1)[0])
        if owner in self._by_owner:
            return self._by_owner[owner]
        key = compare_key(title)
        self._learn("title", key)
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
        found = number and self.by_number(number)
        if found:
            return found
        key = compare_key(title)
        self._learn("title", key)
        return self._by_title.get(key) or document_iri(title)

    def by_number(self, number: str) -> URIRef | None:
        """The loaded document a 文号 names, if any."""
        parts = split_doc_number(number)
        if parts is None:
            return None
        key, serial = _number_keys(parts)
        self._learn("number", key)
        exact = self._by_number.get(key)
        if exact is not None:
            return exact
        self._learn("serial", serial)
        candidates = self._by_issuer_serial.get(serial, set())
        return next(iter(candidates)) if parts.year is None and len(candidates) == 1 else None

    def _learn(self, kind: str, key: str) -> None:
        """Remember the stored documents a key finds (once per key); a document's title key is
        looked up before the document is remembered, so that titles keep the index's order."""
        if self._index is None or not key or (kind, key) in self._asked:
            return
        self._asked.add((kind, key))
        if len(self._asked) > LOOKUPS_BEFORE_READING_ALL:
            found, self._index = self._index.every(), None
        else:
            found = self._index.find(kind, key)
        for document in found:
            self._learn("title", document.keys.title)
            self.remember_keys(document.iri, document.owner, document.keys)
