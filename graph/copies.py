"""Files that hold a document another file holds too: a policy saved from two sites, a file copied
under another name. Each keeps its own graph, so that either can be removed alone; the load report
says which files they share with (:func:`shared_with_other_files`), so that a count of documents or
measures can leave one out.

Two files are copies where their bytes are the same (SHA-256); two documents are the same where
their titles and 文号s are, compared by their keys (script, brackets and spacing aside), as
:mod:`.resolve` compares a citation with the documents it may name. A title alone says too little
(many plans are called 实施方案), and so does a 文号 alone (a page may give the plan a notice issues
the notice's 文号).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from .identity import file_iri
from .store import PolicyStore

SAME_BYTES = """SELECT ?file ?twinName WHERE {
  GRAPH ?file { ?file pkg:sha256 ?sha }
  GRAPH ?twin { ?twin pkg:sha256 ?sha ; pkg:fileName ?twinName }
  FILTER(?twin != ?file)
}"""
# a document's keys are in its own file's graph alone (a citation's node has no title key): asked for
# the document's source file instead, Oxigraph reads every selector's first, 8 times slower
SAME_DOCUMENT = """SELECT ?file ?part ?twinName ?twinPart WHERE {
  GRAPH ?file { ?doc pkg:numberKey ?number ; pkg:titleKey ?title ; pkg:part ?part }
  GRAPH ?twin { ?other pkg:numberKey ?number ; pkg:titleKey ?title ; pkg:part ?twinPart . ?twin pkg:fileName ?twinName }
  FILTER(?twin != ?file)
}"""
FILES_PER_QUERY = 500  # the files a query is asked about at once, as a VALUES block
NAMED_AT_MOST = 3  # other files a reason names; a policy reposted by every city's site has hundreds


def shared_with_other_files(store: PolicyStore, files: Sequence[str]) -> dict[str, str]:
    """What each of ``files`` (as the store names them) shares with other files in the store, said as
    a load report says it (:func:`said`); files that share nothing are left out."""
    names = {str(file_iri(name)): name for name in files}
    copies: defaultdict[str, set[str]] = defaultdict(set)
    documents: defaultdict[str, set[tuple[int, str, int]]] = defaultdict(set)
    for start in range(0, len(files), FILES_PER_QUERY):
        chunk = {"file": tuple(file_iri(name) for name in files[start:start + FILES_PER_QUERY])}
        for file, twin in store.rows(SAME_BYTES, chunk):
            copies[names[file]].add(twin)
        for file, part, twin, twin_part in store.rows(SAME_DOCUMENT, chunk):
            documents[names[file]].add((int(part), twin, int(twin_part)))
    return {name: said(copies[name], documents[name]) for name in files if copies[name] or documents[name]}


def said(copies: set[str], documents: set[tuple[int, str, int]]) -> str:
    """What one file shares: the files it is a copy of, then its documents (part, other file, its
    part) that other files hold.

    >>> said({"b.txt"}, {(1, "b.txt", 1), (1, "c.html", 1)})
    'a copy of b.txt (the same bytes); the same document (title and 文号) as c.html'
    >>> said(set(), {(1, "b.txt", 1), (1, "c.html", 2)})
    'the same document (title and 文号) as b.txt, c.html part 2'
    >>> said({f"{n}.html" for n in range(300)}, set())
    'a copy of 0.html, 1.html, 10.html and 297 more (the same bytes)'
    >>> said(set(), {(2, "b.txt", 1), (3, "c.html", 1), (3, "d.html", 4)}).split("; ")
    ['part 2: the same document (title and 文号) as b.txt', 'part 3: the same document (title and 文号) as c.html, d.html part 4']
    """
    by_part: defaultdict[int, list[str]] = defaultdict(list)
    for part, twin, twin_part in sorted(documents):
        if twin not in copies:
            by_part[part].append(twin if twin_part == 1 else f"{twin} part {twin_part}")
    same = [f"the same document (title and 文号) as {_listed(twins)}" for twins in by_part.values()]
    if list(by_part) != [1]:
        same = [f"part {part}: {what}" for part, what in zip(by_part, same)]
    copied = f"a copy of {_listed(sorted(copies))} (the same bytes)" if copies else ""
    return "; ".join(filter(None, (copied, *same)))


def _listed(names: list[str]) -> str:
    """``a, b, c`` or, past :data:`NAMED_AT_MOST`, ``a, b, c and 4 more``."""
    more = len(names) - NAMED_AT_MOST
    return ", ".join(names[:NAMED_AT_MOST]) + (f" and {more} more" if more > 0 else "")
