"""Agencies renamed or merged by the 2018 reform of Party and state institutions (机构改革): a plan
of 2017 gives a measure to 市国土规划局, one of 2020 to 市自然资源和规划局, the same body under its
new name. The reform renamed local departments the same way everywhere (``agency_renamings.tsv``),
so an agency's predecessors and successors are the agencies of its own jurisdiction whose names
the table pairs with its own.

>>> sorted(successor_keys("市环境保护局")), sorted(predecessor_keys("武汉市自然资源规划局"))
(['市生态环境局'], ['武汉市国土规划局', '武汉市国土资源局', '武汉市国土资源规划局', '武汉市规划局'])

In the graph, a renaming is a W3C ORG ``org:ChangeEvent`` between two agencies the corpus names
(:func:`change_event`); which of them it names is known only once the corpus is loaded, so the
renamings have a graph of their own (:data:`~policykg.graph.links.RENAMINGS_GRAPH`).
"""
from __future__ import annotations

import functools
from importlib.resources import files

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import ORG

from .identity import agency_iri_beside, digest
from .store import RdfTriple

RENAMINGS_FILE = "agency_renamings.tsv"
REFORM = "2018 机构改革"


@functools.lru_cache(maxsize=1)
def _renamings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(before, afters)`` pairs of agency keys without their place, the longest before first."""
    rows = files(__package__).joinpath(RENAMINGS_FILE).read_text(encoding="utf-8").splitlines()
    pairs = [row.split("\t") for row in rows if row and not row.startswith("#")]
    return tuple(sorted(((before, tuple(after.split("|"))) for before, after in pairs), key=lambda p: -len(p[0])))


@functools.lru_cache(maxsize=65536)  # a corpus writes the same few thousand keys in every file
def successor_keys(key: str) -> frozenset[str]:
    """The keys an agency of ``key`` (an :func:`~.identity.agency_key`) may have had after the reform;
    none for a name the reform gave (市自然资源规划局 ends as 市规划局 does, but is its successor).

    >>> successor_keys("市自然资源规划局"), sorted(successor_keys("市规划局"))
    (frozenset(), ['市自然资源局', '市自然资源规划局'])
    """
    if predecessor_keys(key):
        return frozenset()
    for before, afters in _renamings():
        if key.endswith(before) and len(key) > len(before):
            return frozenset(key[:-len(before)] + after for after in afters)
    return frozenset()


@functools.lru_cache(maxsize=65536)
def predecessor_keys(key: str) -> frozenset[str]:
    """The keys of the agencies the reform made into an agency of ``key``."""
    return frozenset(key[:-len(after)] + before for before, afters in _renamings() for after in afters
                     if key.endswith(after) and len(key) > len(after))


RELATIONS = {"predecessor": predecessor_keys, "successor": successor_keys}  # the keys renamed, each way


def counterparts(agency: URIRef, key: str) -> dict[URIRef, str]:
    """The agencies of ``agency``'s jurisdiction the reform renamed it from or into, whether or not
    a file names them: IRI → ``predecessor`` or ``successor``.

    >>> from policykg.graph.identity import agency_iri
    >>> wuhan = URIRef("https://w3id.org/policykg/place/420100")
    >>> counterparts(agency_iri("市环保局", wuhan), "市环境保护局") == {agency_iri("市生态环境局", wuhan): "successor"}
    True
    """
    return {agency_iri_beside(agency, other): relation for relation, keys_of in RELATIONS.items()
            for other in sorted(keys_of(key))}


def renamed_agencies(agencies: dict[URIRef, str]) -> dict[URIRef, str]:
    """Those of the agencies (IRI → :func:`~.identity.agency_key`) the reform renamed from or into
    another."""
    return {agency: key for agency, key in agencies.items() if counterparts(agency, key)}


def change_event(original: URIRef, resulting: URIRef) -> set[RdfTriple]:
    """The reform's renaming of the agency ``original`` into ``resulting``, as W3C ORG states it:
    an ``org:ChangeEvent`` with both agencies, each pointing at it."""
    event = URIRef(f"{original}/renamed/{digest(str(resulting))}")
    return {(event, RDF.type, ORG.ChangeEvent), (event, RDFS.label, Literal(REFORM, lang="zh")),
            (event, ORG.originalOrganization, original), (event, ORG.resultingOrganization, resulting),
            (original, ORG.changedBy, event), (resulting, ORG.resultedFrom, event)}
