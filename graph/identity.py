"""Identity rules: deterministic IRIs for documents, agencies, places, zones and industries.

The same thing gets the same IRI in every run and from every document that mentions it. IRIs are
minted from comparison keys (hashed), never from raw titles or 文号 as written.

>>> agency_key("市发改委") == agency_key("市发展和改革委员会") == agency_key("市发展改革委")
True
"""
from __future__ import annotations

import functools
import hashlib
from importlib.resources import files
from urllib.parse import quote

from rdflib import URIRef

from policykg.loaders.normalize import compare_key
from policykg.loaders.zones import short_form
from policykg.ontology import ID

ABBREVIATIONS_FILE = "agency_abbreviations.tsv"


def digest(key: str, length: int = 16) -> str:
    """A short, stable hash of a key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:length]


def document_iri(title: str) -> URIRef:
    """A document, loaded or only cited, is identified by its title's comparison key."""
    return document_iri_for_key(compare_key(title))


def document_iri_for_key(title_key: str) -> URIRef:
    """:func:`document_iri` of a title whose comparison key is known."""
    return ID[f"doc/{digest(title_key)}"]


def file_iri(source_file: str) -> URIRef:
    """A source file, and the named graph of everything read from it, by its path in the corpus."""
    return ID[f"file/{digest(source_file)}"]


def measure_iri(document: URIRef, measure_id: str, occurrence: int = 1) -> URIRef:
    """A measure by its id in its document; the n-th repeat of an id gets ``~n``."""
    suffix = f"~{occurrence}" if occurrence > 1 else ""
    return URIRef(f"{document}/measure/{quote(measure_id, safe='')}{suffix}")


def place_iri(name: str, adcode: str | None) -> URIRef:
    return ID[f"place/{adcode}"] if adcode else ID[f"place/zone-{digest(compare_key(name))}"]


@functools.lru_cache(maxsize=65536)
def agency_iri(name: str, jurisdiction: URIRef | None) -> URIRef:
    """An agency within its jurisdiction: 市发改委 in Wuhan is not 市发改委 in Jiaxing (remembered:
    a file names its agencies again in each measure they own, and its graph and its links ask too)."""
    scope = digest(str(jurisdiction), 8) if jurisdiction else "national"
    return ID[f"agency/{scope}/{digest(agency_key(name))}"]


def agency_iri_beside(agency: str, key: str) -> URIRef:
    """The agency of ``key`` (an :func:`agency_key`) in the jurisdiction of the agency ``agency``.

    >>> wuhan = URIRef("https://w3id.org/policykg/place/420100")
    >>> agency_iri_beside(agency_iri("市环保局", wuhan), "市生态环境局") == agency_iri("市生态环境局", wuhan)
    True
    """
    return URIRef(f"{agency.rsplit('/', 1)[0]}/{digest(key)}")


def zone_iri(name: str, scope: URIRef | None = None) -> URIRef:
    """A zone by its name with its kind written short, however a document writes the kind; one
    named by its kind alone (经济技术开发区) within ``scope``, the jurisdiction or document whose
    zone it is.

    >>> zone_iri("武汉东湖新技术开发区") == zone_iri("武汉东湖高新区") != zone_iri("武汉经济技术开发区")
    True
    >>> zone_iri("经济技术开发区", ID["place/520100"]) != zone_iri("经济技术开发区", ID["place/320700"])
    True
    """
    within = f"{digest(str(scope), 8)}/" if scope else ""
    return ID[f"zone/{within}{digest(compare_key(short_form(name)))}"]


def industry_iri(name: str) -> URIRef:
    return ID[f"industry/{digest(compare_key(name))}"]


@functools.lru_cache(maxsize=65536)
def agency_key(name: str) -> str:
    """The comparison key of an agency name with abbreviations written out in full (remembered: the
    same names come back in every file of a place, and each tries every abbreviation)."""
    key = compare_key(name).replace("和", "")
    for short, full in _abbreviations():
        if key.endswith(short):
            key = key[: -len(short)] + full
            break
    return key + "员会" if key.endswith("委") else key


@functools.lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    rows = files(__package__).joinpath(ABBREVIATIONS_FILE).read_text(encoding="utf-8").splitlines()
    pairs = [tuple(row.split("\t")) for row in rows if row and not row.startswith("#")]
    return tuple(sorted(((compare_key(s), compare_key(f)) for s, f in pairs), key=lambda p: -len(p[0])))
