"""Run SPARQL over a built folder and format the results as a table, CSV or JSON."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox
from rdflib import Literal

from policykg.graph.answer_cache import AnswerCache
from policykg.graph.filewise import FileAnswers
from policykg.graph.library import list_queries
from policykg.graph.store import STORE_DIR, PolicyStore, RowSource, StoreError
from policykg.graph.views import VIEW_GROUPED, VIEW_QUERIES
from policykg.loaders.decode import decode_bytes

from .build import ANSWERS_CACHE
from .folder_lock import opening_store
from .formatting import format_rows


def read_query(text_or_path: str) -> str:
    """The query itself, or the text of a ``.rq`` file; the name of a query of the library is
    refused with the way to run it (as SPARQL it would fail on its first word).

    >>> read_query("measures-without-owner")
    Traceback (most recent call last):
    ...
    policykg.graph.store.StoreError: measures-without-owner is a query of the library: run it with --named measures-without-owner (parameters: [jurisdiction])
    """
    path = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")):
        if not path.is_file():
            raise StoreError(f"{text_or_path}: no such query file")
        return _query_file_text(path)
    named = next((query for query in list_queries() if query.name == text_or_path.strip()), None)
    if named:
        raise StoreError(f"{named.name} is a query of the library: run it with --named {named.name} "
                         f"(parameters: {named.parameter_list or 'none'})")
    return text_or_path


def _query_file_text(path: Path) -> str:
    """A query file's text, in the encoding it was saved in: UTF-8 with or without a byte-order
    mark, UTF-16, GBK or Big5, as editors on Chinese Windows save files; never with bytes replaced.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); query = folder / "q.rq"
    >>> _ = query.write_bytes('SELECT * WHERE { ?s ?p "开发区" }'.encode("gbk")); _query_file_text(query)
    'SELECT * WHERE { ?s ?p "开发区" }'
    >>> import shutil; shutil.rmtree(folder)
    """
    decoded = decode_bytes(path.read_bytes(), str(path))
    if decoded.warning:
        raise StoreError(f"{path}: {decoded.warning}; save it as UTF-8")
    return decoded.text


def open_built_store(folder: Path) -> PolicyStore:
    """The store of a folder written by ``policykg build``, opened for reading, never in the middle
    of a build's publishing a new one (:func:`~.folder_lock.opening_store`)."""
    with opening_store(folder):
        if not (folder / STORE_DIR).is_dir():
            raise StoreError(f"{folder}: no store here; run `policykg build PATH --out {folder}` first")
        return PolicyStore.open_read_only(folder / STORE_DIR)


def open_built_answers(folder: Path, queries: Sequence[str] = VIEW_QUERIES,
                       grouped: Sequence[str] = VIEW_GROUPED) -> RowSource:
    """The store of a built folder with the answers its builds kept (:data:`.build.ANSWERS_CACHE`),
    for the analyses and views: they read each file's kept answers rather than the store on disk
    (the ownerships of 10,000 documents: 4 s against 34 s). ``queries`` are those to be answered
    (a query the builds did not keep is answered from each file's TriG body, and kept); ``grouped``
    those of them kept by their first value too. The store alone when nothing was kept."""
    store = open_built_store(folder)
    if not (folder / ANSWERS_CACHE).is_file():
        return store
    return FileAnswers(store, queries, AnswerCache(folder / ANSWERS_CACHE), grouped)


def run_query(store: PolicyStore, query: str, output: str, bindings: dict[str, Literal] | None = None) -> str:
    """Results formatted as ``table``, ``csv`` or ``json``."""
    result = store.query(query, bindings)
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"boolean": bool(result)}) if output == "json" else str(bool(result)).lower()
    if isinstance(result, ox.QueryTriples):
        return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in result)
    columns = [v.value for v in result.variables]
    return format_rows(columns, [[_text(solution[c]) for c in columns] for solution in result], output)


def _text(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))
