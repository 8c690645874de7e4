"""SPARQL text rewritten before it is asked: bound values placed where the store plans with them,
and the ontology's prefixes declared.

Oxigraph applies its own substitutions after planning a query, and evaluates a subquery on its own,
so a value bound from outside does not narrow what is read; written into the query as a ``VALUES``
block where it is selected, it does (:func:`bind_values`). A query sent to the SPARQL endpoint
knows the ontology's prefixes as one asked of the store does (:func:`with_default_prefixes`).
"""
from __future__ import annotations

import re
from itertools import product
from typing import Mapping

from rdflib import URIRef
from rdflib.term import Node

from policykg.loaders.errors import PolicyKGError
from policykg.ontology import PREFIXES

from .nquads import rdf_term

Bindings = Mapping[str, Node | tuple[Node, ...]]  # a variable's value, or values it may take (one row each)
WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
UNSAFE_IRI = re.compile(r'[\s<>"{}|^`\\]')
# for placing bound values (:func:`bind_values`): variables, expressions (``(… AS ?n)``), the
# modifiers a subquery's rows feed, and braces outside string literals
VARIABLE = re.compile(r"[?$](\w+)")
PARENTHESISED = re.compile(r"\([^()]*\)")
SOLUTION_MODIFIER = re.compile(r"\b(GROUP|HAVING|LIMIT|OFFSET)\b", re.IGNORECASE)
DECLARED_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)  # the keyword in any case
GROUP_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[{}]')


class QueryTextError(PolicyKGError):
    """Values that cannot be bound into a query."""


def with_default_prefixes(query: str) -> str:
    """The query with the ontology's prefixes (:data:`~policykg.ontology.PREFIXES`) it does not
    declare itself declared before it.

    >>> query = with_default_prefixes("PREFIX pkg: <urn:mine#> SELECT * WHERE { ?m a pkg:Measure }")
    >>> query.count("PREFIX pkg:"), query.count("PREFIX org:"), query.endswith("PREFIX pkg: <urn:mine#> SELECT * WHERE { ?m a pkg:Measure }")
    (1, 1, True)
    """
    declared = set(DECLARED_PREFIX.findall(query))
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()
                   if prefix not in declared) + query


def bind_values(query: str, bindings: Bindings) -> str:
    """The query with ``bindings`` as a ``VALUES`` block opening the WHERE clauses they select in.

    Those are the innermost subqueries that project every bound variable and have no solution
    modifier that the block would change (GROUP BY, HAVING, LIMIT, OFFSET): each branch of a
    ``UNION`` that projects them takes the block. Else it is the query's first WHERE clause. The
    answers are the same either way (the library puts no such subquery in an OPTIONAL, a MINUS or
    a NOT EXISTS, where they would not be), but Oxigraph evaluates a subquery on its own, so values
    outside it would be joined with everything it finds (measures-of-agency on 1,000 documents reads
    every agency label: 380 ms against 40 ms). Oxigraph then plans the query around the bound
    values; its own substitutions were applied after planning (agencies-of-measure on 1,000
    documents: 1,058 ms against 48 ms). The values are written as N-Triples terms, escaped, so a
    value holding quotes or braces stays a value.

    >>> from rdflib import Literal
    >>> print(bind_values('SELECT ?s WHERE { ?s ?p ?o }', {"o": Literal('a"} ?x', lang="zh")}))
    SELECT ?s WHERE { VALUES (?o) { ("a\\"} ?x"@zh) } ?s ?p ?o }
    >>> print(bind_values('SELECT ?s ?n WHERE { { SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o } } ?s ?q ?n }',
    ...                   {"o": Literal("a")}))
    SELECT ?s ?n WHERE { { SELECT DISTINCT ?s ?o WHERE { VALUES (?o) { ("a") } ?s ?p ?o } } ?s ?q ?n }
    >>> print(bind_values('SELECT * WHERE { { SELECT ?o WHERE { ?s ?p ?o } } UNION { SELECT ?o WHERE { ?o ?p ?s } } }',
    ...                   {"o": Literal("a")}).replace(" UNION", "\\nUNION"))
    SELECT * WHERE { { SELECT ?o WHERE { VALUES (?o) { ("a") } ?s ?p ?o } }
    UNION { SELECT ?o WHERE { VALUES (?o) { ("a") } ?o ?p ?s } } }

    A tuple of values binds the variable to any of them (one row of the block each):

    >>> print(bind_values('SELECT ?s WHERE { ?s ?p ?o }', {"s": (URIRef("urn:a"), URIRef("urn:b"))}))
    SELECT ?s WHERE { VALUES (?s) { (<urn:a>) (<urn:b>) } ?s ?p ?o }
    """
    if not bindings:
        return query
    clauses = [m for m in WHERE_OPEN.finditer(query) if "#" not in _line_before(query, m.start())]
    if not clauses:
        raise QueryTextError("bound parameters need a query with a WHERE clause")
    selecting = [m for m in clauses[1:] if _selects_unchanged(query, m, set(bindings))]
    innermost = [m for m in selecting if not any(_encloses(query, m, other) for other in selecting)]
    names = " ".join(f"?{name}" for name in bindings)
    choices = [value if isinstance(value, tuple) else (value,) for value in bindings.values()]
    rows = " ".join(f"({' '.join(_value_text(term) for term in row)})" for row in product(*choices))
    for where in reversed(innermost or clauses[:1]):  # from the end, so earlier positions stay
        query = f"{query[:where.end()]} VALUES ({names}) {{ {rows} }}{query[where.end():]}"
    return query


def _encloses(query: str, outer: re.Match[str], inner: re.Match[str]) -> bool:
    """Whether the WHERE clause ``inner`` lies inside the group ``outer`` opens."""
    return outer.end() < inner.start() < group_end(query, outer.end())


def _selects_unchanged(query: str, where: re.Match[str], names: set[str]) -> bool:
    """Whether a subquery's WHERE clause can take the values: it projects each name as a plain
    variable, and no modifier after the clause (up to the subquery's end) depends on its rows."""
    projection = query[query.rfind("SELECT", 0, where.start()):where.start()]
    while (plain := PARENTHESISED.sub("", projection)) != projection:
        projection = plain
    projected = set(VARIABLE.findall(projection))
    body_end = group_end(query, where.end())
    modifiers = query[body_end:query.find("}", body_end)]
    return names <= projected and not SOLUTION_MODIFIER.search(modifiers)


def group_end(text: str, start: int) -> int:
    """The position after the brace closing the group opened just before ``start`` (braces inside
    string literals aside)."""
    depth, position = 1, start
    for token in GROUP_TOKEN.finditer(text, start):
        position = token.end()
        depth += {"{": 1, "}": -1}.get(token.group(), 0)
        if depth == 0:
            break
    return position


def _line_before(text: str, position: int) -> str:
    return text[text.rfind("\n", 0, position) + 1:position]


def _value_text(term: Node) -> str:
    if isinstance(term, URIRef) and UNSAFE_IRI.search(term):
        raise QueryTextError(f"not an IRI: {term!r}")
    return rdf_term(term)
