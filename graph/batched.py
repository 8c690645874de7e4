"""Many files' answers from one store in memory, each query planned once for them all.

Oxigraph parses and plans a query anew each time it is asked: the exports' twelve queries take 4
ms on an empty store, half of what answering them takes over one file's graphs. So a batch of files
is loaded into one store and each query asked once, in a form that says which file each row came
from (:func:`batched_query`): rows are then dealt to their files, each file getting exactly what
its own graphs answer. A query of another form is asked file by file.

>>> from policykg.ontology import SPARQL_PREFIXES
>>> query = SPARQL_PREFIXES + "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?d dcterms:title ?t } }"
>>> print(batched_query(query).removeprefix(SPARQL_PREFIXES))
SELECT DISTINCT ?policykg_file ?t WHERE { GRAPH ?g { ?d dcterms:title ?t } BIND (REPLACE(STR(?g), "/links$", "") AS ?policykg_file) }
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from .answer_cache import Row
from .links import LINKS_SUFFIX
from .sparql_text import group_end
from .store import PolicyStore
from .trig import HEADER

ANSWER_BATCH = 8  # files answered in one store: a third fewer instructions than one by one; as many in flight as before
FILE_VARIABLE = "?policykg_file"
SELECT = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?(?=[?(])", re.IGNORECASE)  # not SELECT *
SELECT_WORD = re.compile(r"\bSELECT\b", re.IGNORECASE)  # one, with no query inside it
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
GRAPH_BLOCK = re.compile(r"\s*GRAPH\s+(\?\w+)\s*\{", re.IGNORECASE)
GROUP_BY = re.compile(r"\s*(?:GROUP\s+BY(?P<keys>(?:\s+\?\w+)+))?\s*", re.IGNORECASE)
AGGREGATE = re.compile(r"\b(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
# a file's graph from a graph's IRI: its links graph is named by the file graph's and a suffix
FILE_OF = f'REPLACE(STR({{graph}}), "{re.escape(LINKS_SUFFIX)}$", "")'


def batched_query(query: str) -> str | None:
    """``query`` asked of many files' graphs at once, each row led by the IRI of the file whose
    graphs it matched; ``None`` when the query is not of the form this knows: one ``SELECT``
    of variables named (``DISTINCT`` or not), every pattern in a ``GRAPH ?var`` block, then at most
    a ``GROUP BY`` (which an aggregate needs).
    The first block's graph names the file, and every other block's graph is held to the same file,
    so each file's rows are those its graphs alone give, groups and duplicates included."""
    select = SELECT.search(query)
    where = WHERE.search(query, select.end()) if select else None
    if not select or not where or len(SELECT_WORD.findall(query)) != 1:
        return None
    end = group_end(query, where.end())
    graphs = _graph_variables(query, where.end(), end - 1)
    grouping = GROUP_BY.fullmatch(query, end)
    if not graphs or not grouping or (AGGREGATE.search(query) and not grouping["keys"]):
        return None  # aggregated without GROUP BY, a file without a match would still have its row
    files = [f"BIND ({FILE_OF.format(graph=graphs[0])} AS {FILE_VARIABLE})"]
    files += [f"FILTER ({FILE_OF.format(graph=graph)} = {FILE_VARIABLE})" for graph in graphs[1:]]
    group_by = f" GROUP BY {FILE_VARIABLE}{grouping['keys']}" if grouping["keys"] else ""
    return (f"{query[:select.end()]}{FILE_VARIABLE} {query[select.end():end - 1].rstrip()} {' '.join(files)} }}"
            f"{group_by}")


def _graph_variables(query: str, start: int, end: int) -> list[str]:
    """The graph variables of the ``GRAPH ?var {…}`` blocks that are all of ``query[start:end]``;
    none when anything else is there."""
    graphs, position = [], start
    while query[position:end].strip():
        block = GRAPH_BLOCK.match(query, position, end)
        if not block:
            return []
        graphs.append(block[1])
        position = group_end(query, block.end())
    return graphs


def answer_batch(files: Sequence[tuple[str, str]], queries: Iterable[str]) -> list[dict[str, list[Row]]]:
    """The answers of ``queries`` for each of ``files``, given as (graph IRI, TriG bodies of its
    graphs): each query asked once of all their graphs where :func:`batched_query` can, else of each
    file's graphs alone. A file's rows are sorted, so that they are the same whichever way asked."""
    queries = list(queries)
    together = PolicyStore.from_trig(HEADER + "".join(bodies for _, bodies in files))
    index = {graph: number for number, (graph, _) in enumerate(files)}
    answers: list[dict[str, list[Row]]] = [{} for _ in files]
    alone: list[PolicyStore] = []
    for query in queries:
        batched = batched_query(query)
        if batched is None:
            alone = alone or _stores_alone(files, together)
            for answer, store in zip(answers, alone):
                answer[query] = sorted(store.rows(query))
            continue
        for answer in answers:
            answer[query] = []
        for file, *row in together.rows(batched):
            answers[index[file]][query].append(tuple(row))
        for answer in answers:
            answer[query].sort()
    return answers


def _stores_alone(files: Sequence[tuple[str, str]], together: PolicyStore) -> list[PolicyStore]:
    """A store of each file's graphs alone: a batch of one file is its own."""
    if len(files) == 1:
        return [together]
    return [PolicyStore.from_trig(HEADER + bodies) for _, bodies in files]
