"""The query library: the questions researchers and auditors ask, as named, commented ``.rq`` files.

Each file starts with comment lines: a description, then one ``# param NAME: meaning`` line per
parameter (``# param NAME@zh: meaning`` for one matched against ``@zh`` labels; ``(optional)`` before
the colon for one the query also answers without, its variable then bound by the query). Parameters are
bound as RDF literals in a ``VALUES`` block (:func:`policykg.graph.sparql_text.bind_values`), written as
escaped RDF terms, so a value holding quotes or braces cannot change the query; the queries use
them in triple patterns, not in FILTERs, so that the store looks them up in its indexes.

>>> sorted(q.name for q in list_queries())[:2]
['agencies-co-owning', 'agencies-of-measure']
>>> load_query("measures-of-agency").params, load_query("measures-of-agency").optional
(('agency', 'jurisdiction'), ('jurisdiction',))
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib.resources import files

from rdflib import Literal

from policykg.loaders.errors import PolicyKGError

from .sparql_text import group_end

PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)(?:@(?P<language>[a-z-]+))?(?P<optional>\s*\(optional\))?"
                   r"\s*:\s*(?P<meaning>.+)$")

# SPARQL 1.2's LATERAL, and an OPTIONAL alone in its group (:attr:`NamedQuery.portable_text`)
LATERAL = re.compile(r"\bLATERAL\s*\{")
OPTIONAL_ALONE = re.compile(r"OPTIONAL\s*\{")


class QueryLibraryError(PolicyKGError):
    """An unknown query name, or parameters that do not fit the query."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[str, ...]
    text: str
    languages: tuple[tuple[str, str], ...] = ()  # (param, language tag) for params matched against labels
    optional: tuple[str, ...] = ()  # params the query answers without

    @property
    def portable_text(self) -> str:
        """The query in SPARQL 1.1, for engines without SPARQL 1.2's ``LATERAL`` (rdflib's): each
        ``LATERAL { OPTIONAL { … } }`` as the OPTIONAL alone, any other ``LATERAL { … }`` as the
        group ``{ … }``. The answers are the same, as the library's LATERAL groups look up variables
        bound before them; Oxigraph then evaluates the group on its own and joins it, instead of
        looking it up row by row.

        >>> NamedQuery("q", "", (), "SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL { ?o ?q ?v } } }").portable_text
        'SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?v } }'
        >>> NamedQuery("q", "", (), "SELECT * WHERE { ?s ?p ?o LATERAL { ?o ?q ?v } }").portable_text
        'SELECT * WHERE { ?s ?p ?o { ?o ?q ?v } }'
        """
        text = self.text
        while lateral := LATERAL.search(text):
            end = group_end(text, lateral.end())
            body = text[lateral.end():end - 1].strip()
            alone = OPTIONAL_ALONE.match(body) and group_end(body, body.index("{") + 1) == len(body)
            text = text[:lateral.start()] + (body if alone else f"{{ {body} }}") + text[end:]
        return text

    @property
    def parameter_list(self) -> str:
        """The parameters as a list for people, the optional ones in brackets.

        >>> load_query("measures-of-agency").parameter_list
        'agency, [jurisdiction]'
        """
        return ", ".join(f"[{p}]" if p in self.optional else p for p in self.params)

    def bindings(self, values: dict[str, str]) -> dict[str, Literal]:
        """The parameters as literals; every declared one not optional is required, no other is accepted."""
        unknown = sorted(set(values) - set(self.params))
        missing = [p for p in self.params if p not in values and p not in self.optional]
        if unknown or missing:
            wanted = ", ".join(f"[--param {p}=…]" if p in self.optional else f"--param {p}=…"
                               for p in self.params) or "no parameters"
            raise QueryLibraryError(f"query {self.name!r} takes {wanted}"
                                    + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                                    + (f"; missing: {', '.join(missing)}" if missing else ""))
        languages = dict(self.languages)
        return {name: Literal(value, lang=languages.get(name)) for name, value in values.items()}


def list_queries() -> list[NamedQuery]:
    folder = files(__package__).joinpath("queries")
    return sorted((_parse(entry.name[:-3], entry.read_text(encoding="utf-8"))
                   for entry in folder.iterdir() if entry.name.endswith(".rq")), key=lambda q: q.name)


def load_query(name: str) -> NamedQuery:
    queries = {q.name: q for q in list_queries()}
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(queries)}"
        raise QueryLibraryError(f"no query named {name!r}{hint}")
    return queries[name]


def _parse(name: str, text: str) -> NamedQuery:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    declared = [m for line in comments if (m := PARAM.match(line))]
    description = " ".join(line.lstrip("# ") for line in comments if not PARAM.match(line))
    languages = tuple((m.group("name"), m.group("language")) for m in declared if m.group("language"))
    optional = tuple(m.group("name") for m in declared if m.group("optional"))
    return NamedQuery(name, description, tuple(m.group("name") for m in declared), text, languages, optional)
