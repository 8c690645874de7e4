import pytest
from rdflib import Literal, URIRef

from policykg.graph.sparql_text import QueryTextError, bind_values
from policykg.graph.store import PolicyStore

SUBQUERY_CASES = {
    # the subquery projects ?t: the values go in it
    "projected": ("SELECT ?d ?t WHERE { { SELECT DISTINCT ?d ?t WHERE { ?d <urn:title> ?t } } }", True),
    # a LIMIT, or ?t computed by the subquery: the values stay outside, where they mean the same
    "limited": ("SELECT ?d ?t WHERE { { SELECT ?d ?t WHERE { ?d <urn:title> ?t } LIMIT 1 } }", False),
    "computed": ("SELECT ?d ?t WHERE { { SELECT ?d (STR(?x) AS ?t) WHERE { ?d <urn:title> ?x } } }", False),
    # two branches of a UNION project ?t: the values go in each, or the other's rows would pass unbound
    "union": ("SELECT ?d ?t WHERE { { SELECT ?d ?t WHERE { ?d <urn:title> ?t } } "
              "UNION { SELECT ?d ?t WHERE { VALUES ?t { \"乙\" } ?d <urn:title> ?x } } }", True),
}


@pytest.mark.parametrize("case", sorted(SUBQUERY_CASES))
def test_bound_values_go_where_they_select_and_answer_the_same(case: str) -> None:
    query, into_subquery = SUBQUERY_CASES[case]
    store = PolicyStore.open(None)
    for number, title in enumerate(["甲", "乙", "丙"]):
        store.replace_graph(URIRef(f"urn:g{number}"), _titled(number, title))
    bindings = {"t": Literal("乙")}
    placed = bind_values(query, bindings)
    subquery_starts = placed.index("SELECT", 1)
    assert (placed.index("VALUES") > subquery_starts) == into_subquery
    assert placed.count("VALUES (?t)") == (2 if case == "union" else 1)
    outside = query.replace("WHERE {", 'WHERE { VALUES (?t) { ("乙") }', 1)
    assert sorted(store.select(query, bindings)) == sorted(store.select(outside))
    if case == "union":
        assert sorted(store.select(query, bindings)) == [(URIRef(f"urn:doc{n}"), Literal("乙")) for n in (0, 1, 1, 2)]
    elif case != "limited":
        assert list(store.select(query, bindings)) == [(URIRef("urn:doc1"), Literal("乙"))]


def _titled(number: int, title: str) -> list[tuple[URIRef, URIRef, Literal]]:
    return [(URIRef(f"urn:doc{number}"), URIRef("urn:title"), Literal(title))]


def test_an_iri_that_would_change_the_query_or_a_query_without_where_is_refused() -> None:
    with pytest.raises(QueryTextError, match="not an IRI"):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("urn:a> } ?x <urn:b")})
    with pytest.raises(QueryTextError, match="need a query with a WHERE clause"):
        bind_values("ASK { ?s ?p ?o }", {"s": URIRef("urn:a")})
