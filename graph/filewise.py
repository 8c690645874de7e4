"""Queries answered one source file at a time, and cached.

A query whose every match lies within one file's graph and that file's links graph (``GRAPH ?g``
blocks, or a file's citations and the links resolving them) answers over the whole store what its
answers over each file's two graphs add up to. Those two graphs are read from their TriG bodies
(:mod:`.trig`) into a store in memory, several files' at once (:mod:`.batched`): the store on disk
costs a string-table look-up for every term a query returns (the rows of the five tables of 1,000
documents: 10 s on disk, 4 s from bodies).

With a cache (:class:`~.answer_cache.AnswerCache`, one SQLite file), each answer is kept under a
digest of the two bodies and of the query: a build that changes a few files reads only theirs, and
an answer kept is never stale. A text made from a file's answers (its rows of a table as CSV) is kept the same way,
so what did not change is not made again either. Rows can also be kept grouped by their first
value, to be read for a few values (:meth:`FileAnswers.rows_of`), and counts made from each file's
rows kept summed over every file, to be patched by the files that changed (:meth:`FileAnswers.summed`).
"""
from __future__ import annotations

import os
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Container, Iterable, Iterator, Sequence, TypeVar

from rdflib import URIRef

from policykg.ontology import SPARQL_PREFIXES

from .answer_cache import (READ_BATCH, AnswerCache, KeptRanking, Rank, Row, Total, answer_digest, answer_key,
                           named_key, parse_rows, query_digest, rendering_name)
from .batched import ANSWER_BATCH, answer_batch
from .links import file_graphs, links_graph_iri
from .parallel import ProcessLost, ordered_map
from .sparql_text import Bindings
from .store import PolicyStore

FILE_GRAPHS = SPARQL_PREFIXES + "SELECT ?graph ?name WHERE { GRAPH ?graph { ?graph pkg:fileName ?name } }"
GROUPED = "grouped by the first value\n"  # with a query, the mark that its rows are kept grouped
Part = Callable[[list[list[Row]]], Total]  # one file's counts, from its rows of each query
T = TypeVar("T")


@dataclass(frozen=True)
class PreparedAnswers:
    """What another process needs to read prepared :class:`FileAnswers` from their cache alone."""

    cache: Path
    queries: tuple[str, ...]
    grouped: tuple[str, ...]
    files: list[tuple[str, str, str]]  # name, graph, digest of its bodies


class FileAnswers:
    """The answers of ``queries`` over a store, file by file, in the order of the files' names;
    ``cache`` keeps them. Safe to read from several threads: each file is read once.

    >>> import tempfile; from rdflib import Literal; from rdflib.namespace import DCTERMS
    >>> from policykg.ontology import PKG
    >>> folder = Path(tempfile.mkdtemp()); store = PolicyStore.open(folder)
    >>> for name, title in (("b.txt", "乙"), ("a.txt", "甲")):
    ...     file = URIRef(f"urn:{name}")
    ...     store.replace_graph(file, [(file, PKG.fileName, Literal(name)), (file, DCTERMS.title, Literal(title))])
    >>> titles = SPARQL_PREFIXES + "SELECT ?t WHERE { GRAPH ?g { ?f dcterms:title ?t } }"
    >>> list(FileAnswers(store, [titles]).by_file(titles))
    [('a.txt', [('甲',)]), ('b.txt', [('乙',)])]
    >>> store.close(); import shutil; shutil.rmtree(folder)

    The rows of the queries in ``grouped`` are kept by their first value too, to be read by it
    (:meth:`rows_of`).
    """

    def __init__(self, store: PolicyStore | None, queries: Iterable[str], cache: AnswerCache | None = None,
                 grouped: Iterable[str] = ()) -> None:
        self.store = store
        self.queries = tuple(dict.fromkeys(queries))
        self.cache = cache
        self.grouped = tuple(grouped)
        self._files: list[tuple[str, str, str]] | None = None  # name, graph, digest of its bodies
        self._asked: set[str] = set()  # the digests of the renderings and totals asked for
        self._prepared = False
        self._lock = threading.Lock()
        self._file_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def prepared(self) -> PreparedAnswers:
        """These answers, once :meth:`prepare` kept every file's, for another process to read
        (:meth:`from_prepared`)."""
        if not self.cache or not self._prepared:
            raise ValueError("only answers prepared in a cache can be read in another process")
        return PreparedAnswers(self.cache.path, self.queries, self.grouped, self._listed())

    @classmethod
    def from_prepared(cls, prepared: PreparedAnswers) -> "FileAnswers":
        """Answers read from their cache alone, where :meth:`prepare` kept every file's; the sums and
        renderings they are asked for are told by :attr:`asked`."""
        answers = cls(None, prepared.queries, AnswerCache(prepared.cache), prepared.grouped)
        answers._files = prepared.files
        answers._prepared = True
        return answers

    @property
    def file_count(self) -> int:
        """How many source files the store holds."""
        return len(self._listed())

    @property
    def asked(self) -> set[str]:
        """The names of the renderings and sums asked for so far: :meth:`prune` keeps them."""
        return set(self._asked)

    def note_asked(self, names: Iterable[str]) -> None:
        """Renderings and sums asked for elsewhere (another process's :attr:`asked`), to be kept too."""
        self._asked.update(names)

    def by_file(self, query: str) -> Iterator[tuple[str, list[Row]]]:
        """``(file name, rows)`` of ``query`` for every file, in name order."""
        self._check_given(query)
        for files in _read_batches(self._listed()):
            rows = self._rows_of([(graph, digest) for _, graph, digest in files], query)
            yield from zip((name for name, _, _ in files), rows)

    def changes_since(self, query: str, files: Collection[str]) -> tuple[set[str], Iterator[dict[str, list[Row]]]]:
        """What changed since the store held ``files`` (the digests of their bodies, as
        :attr:`PreparedAnswers.files` gives them): the files gone, and the rows of ``query`` of each
        file new, by digest, :data:`READ_BATCH` files at a time, as read. For what was made from
        ``files`` to follow the store, the new files alone read
        (:class:`~policykg.graph.views.ZoneIndustryGraph`); after a first build, that is every
        file, whose rows all at once held 750 MB at 100,000 documents."""
        self._check_given(query)
        current = self._files_by_digest()
        new = [(graph, digest) for digest, graph in current.items() if digest not in files]
        return set(files) - current.keys(), self._rows_in_parts(new, query)

    def _rows_in_parts(self, files: list[tuple[str, str]], query: str) -> Iterator[dict[str, list[Row]]]:
        """The rows of ``query`` of ``files`` (graph and digest), by digest, :data:`READ_BATCH` files at a time."""
        for part in _read_batches(files):
            yield dict(zip((digest for _, digest in part), self._rows_of(part, query)))

    def _rows_of(self, files: list[tuple[str, str]], query: str) -> list[list[Row]]:
        """The rows of ``query`` of each of ``files`` (graph and digest): those kept read in one
        statement, the others answered."""
        kept = self._kept([answer_key(digest, query) for _, digest in files])
        return [parse_rows(text) if text is not None else self._answer(graph, digest, query)
                for (graph, digest), text in zip(files, kept)]

    def kept_together(self, query: str) -> Iterator[tuple[str, list[Row]]]:
        """``(digest, rows)`` of the files whose rows of ``query`` are kept together (:meth:`keep_together`)."""
        return self.cache.together(query_digest(query)) if self.cache else iter(())

    def keep_together(self, query: str, gone: Iterable[str], new: dict[str, list[Row]]) -> None:
        """Keep the rows of ``query`` of the files ``new`` together, and forget those of the files
        ``gone`` (digests, as :meth:`changes_since` gives them), for the next build to read them
        early (:func:`~.answer_cache.kept_rows`)."""
        if self.cache:
            self.cache.keep_together(query_digest(query), gone, new)

    def rendered_by_file(self, query: str, render: Callable[[list[Row]], str], form: str,
                         known: Container[str] = frozenset()) -> Iterator[tuple[str, str | None]]:
        """``(file, text)``: ``render`` of each file's rows of ``query``, in file name order, each file
        named by the digest of its bodies, kept as made: a build that changes one file renders that
        file's rows alone (the tables of 10,000 documents are not 724,000 rows sorted and written
        again). ``form`` names the rendering (:func:`rendering_name`): a new way of rendering needs
        a new form. The text of a file in ``known`` is not read (``None``): the caller has it, made
        in this form.
        """
        self._check_given(query)
        rendering = rendering_name(query, form)
        self._asked.add(rendering)
        for files in _read_batches(self._listed()):
            wanted = [digest for _, _, digest in files if digest not in known]
            kept = dict(zip(wanted, self._kept([named_key(digest, rendering) for digest in wanted])))
            fresh: dict[str, str] = {}
            for _, graph, digest in files:
                text = kept.get(digest)
                if text is None and digest not in known:
                    text = fresh[named_key(digest, rendering)] = render(self._answer(graph, digest, query))
                yield digest, text
            if self.cache and fresh:
                self.cache.put_texts(fresh)

    def summed(self, queries: Sequence[str], part: Part, form: str) -> Total:
        """The sum over every file of ``part`` of its rows of ``queries`` (whole counts by key).

        The sum is kept with the files summed, so the next build takes the parts of the files gone
        off it and adds those of the files new, while they are fewer than the files kept: a view of
        10,000 documents does not read 9,000 files' rows again. ``form`` names ``part`` and is part
        of the key: a new way of counting needs a new form.
        """
        name = self._total_name(queries, form)
        if not self.cache:
            return self._counted(queries, part)
        files = self._files_by_digest()
        summed, total = self.cache.get_total(name) or (set(), Counter())
        if summed and summed == files.keys():
            return total  # nothing changed: nothing written (a reader may not be allowed to)
        patched, counts = self._update_total(self.cache, name, summed, files, queries, part)
        if not patched:
            return counts
        total.update(counts)
        return +total

    def summed_keys(self, queries: Sequence[str], part: Part, form: str) -> Iterator[tuple[str, ...]]:
        """The keys that the sum :meth:`summed` makes counts something for, in no set order. Where the
        sum is kept, it is brought up to date as :meth:`summed` does, then its keys are read from the
        cache a batch at a time (:meth:`~.answer_cache.AnswerCache.total_keys`), not the whole sum
        at once."""
        name = self._total_name(queries, form)
        if not self.cache:
            return iter(+self._counted(queries, part))
        self._keep_up_to_date(self.cache, name, queries, part)
        return self.cache.total_keys(name)

    def ranked(self, queries: Sequence[str], part: Part, form: str, rank: Rank, read: Callable[[str, str], T]
               ) -> "KeptRanking[T]":
        """The groups of the sum :meth:`summed` makes (keys by their first value) ranked by ``rank``,
        kept in the cache beside the sum and read from it in order, each through ``read(item,
        record)``: a refresh ranks again the groups whose counts changed alone, and the sum is not
        read whole (an agency ranking of 10,000 documents, 82,000 counts: 0.8 s).

        ``form`` names ``part`` and ``rank``: a new way of counting or ranking needs a new form.
        """
        if not self.cache:
            raise ValueError("a ranking is kept in a cache")
        name = self._total_name(queries, f"ranked\n{form}")
        self._keep_up_to_date(self.cache, name, queries, part, rank)
        return KeptRanking(self.cache, name, read)

    def _total_name(self, queries: Sequence[str], form: str) -> str:
        """The name a sum of ``queries``' rows counted in ``form`` is kept under; asked for now."""
        for query in queries:
            self._check_given(query)
        name = query_digest("\n".join([form, *queries]))
        self._asked.add(name)
        return name

    def _files_by_digest(self) -> dict[str, str]:
        return {digest: graph for _, graph, digest in self._listed()}

    def _keep_up_to_date(self, cache: AnswerCache, name: str, queries: Sequence[str], part: Part,
                         rank: Rank | None = None) -> None:
        """Bring the total kept under ``name`` up to the store's files (:meth:`_update_total`)
        without reading it: the files it sums tell whether it is."""
        files = self._files_by_digest()
        summed = cache.total_files(name)
        if summed != files.keys() or not files:
            self._update_total(cache, name, summed, files, queries, part, rank)

    def _update_total(self, cache: AnswerCache, name: str, summed: set[str], files: dict[str, str],
                      queries: Sequence[str], part: Part, rank: Rank | None = None) -> tuple[bool, Total]:
        """Make the total kept under ``name``, a sum over the files ``summed``, the sum over
        ``files`` (its groups ranked by ``rank`` when given): patched by the files that changed while
        they are fewer than those kept, else counted anew. Returns ``(True, the change patched in)``
        or ``(False, the total counted)``."""
        change = self._change(summed, files, queries, part) if summed else None
        if change is not None:
            cache.patch_total(name, summed - files.keys(), files.keys() - summed, change, rank)
            return True, change
        total = self._counted(queries, part)
        cache.put_total(name, files, total, rank)
        return False, total

    def _counted(self, queries: Sequence[str], part: Part) -> Total:
        total: Total = Counter()
        for rows in zip(*((rows for _, rows in self.by_file(query)) for query in queries)):
            total.update(part(list(rows)))
        return total

    def _change(self, summed: set[str], files: dict[str, str], queries: Sequence[str], part: Part) -> Total | None:
        """What turns a sum over the files ``summed`` into that over ``files``: the parts of the new
        files, less those of the gone ones; ``None`` when most files changed, or the rows of a file
        gone are no longer kept."""
        gone, new = summed - files.keys(), files.keys() - summed
        if len(gone) + len(new) >= len(summed):
            return None
        change: Total = Counter()
        for digest in gone:
            texts = self._kept([answer_key(digest, query) for query in queries])
            if None in texts:
                return None
            change.subtract(part([parse_rows(text) for text in texts if text is not None]))
        for digest in new:
            change.update(part([self._answer(files[digest], digest, query) for query in queries]))
        return change

    def rows(self, query: str, bindings: Bindings | None = None) -> Iterator[Row]:
        """The rows :meth:`PolicyStore.rows` gives, file after file; with ``bindings``, the store's
        own answer (a look-up is fast where it is, and its rows are not kept)."""
        if bindings:
            yield from self._store().rows(query, bindings)
            return
        for _, rows in self.by_file(query):
            yield from rows

    def rows_of(self, query: str, firsts: Collection[str]) -> Iterator[Row]:
        """The rows of ``query`` whose first value is one of ``firsts``, from every file. Where the
        query's rows are kept grouped, only those groups are read (a view's 400 agencies read their
        5,700 rows, where the store on disk looks each row's 16 patterns up: 0.7 s on 1,000
        documents); else every file's rows are filtered."""
        self._check_given(query)
        if not self.cache or query not in self.grouped:
            yield from (row for row in self.rows(query) if row[0] in firsts)
            return
        if not self._prepared:
            self.prepare()
        current = {digest for _, _, digest in self._listed()}
        wanted = sorted(firsts)
        for values in _read_batches(wanted):
            for file, rows in self.cache.grouped(query_digest(query), values):
                if file in current:
                    yield from rows

    def prepare(self, workers: int = 1, queries: Iterable[str] | None = None) -> None:
        """Read every file whose answers to ``queries`` (all those given, by default) are not all
        kept yet, in ``workers`` processes, and keep them: a first build reads each file's graphs
        once, before the tables and the views ask, and :data:`~.batched.ANSWER_BATCH` files to a
        store, each query asked once of them all. Only the queries some of those files lack are
        asked: an analysis that needs two more than the build kept does not answer the others again.
        A batch whose process dies under it is answered here, as with one worker."""
        if not self.cache:
            return
        wanted = self.queries if queries is None else tuple(queries)
        for query in wanted:
            self._check_given(query)
        complete = self.cache.files_with_all(self._marks(wanted))
        missing = [(graph, digest) for _, graph, digest in self._listed() if digest not in complete]
        asked = self._lacking(self.cache, wanted, [digest for _, digest in missing])
        batches = [missing[start:start + ANSWER_BATCH] for start in range(0, len(missing), ANSWER_BATCH)]
        tasks = ((tuple((graph, self._bodies(graph)) for graph, _ in batch), asked) for batch in batches)
        answered = (ordered_map(_answer_batch_in_worker, tasks, workers, per_message=1) if workers > 1 and len(batches) > 1
                    else ((task, _answer_batch_in_worker(task)) for task in tasks))
        for batch, (task, answers) in zip(batches, answered):
            if isinstance(answers, ProcessLost):
                answers = _answer_batch_in_worker(task)
            for (_, digest), answer in zip(batch, answers):
                self._keep(digest, answer)
        self._prepared = self._prepared or wanted == self.queries

    def prune(self, also: Iterable[str] = ()) -> None:
        """Remove what is kept for graphs this store no longer holds, for other queries than those
        given and ``also``, or rendered in a way not asked for this time."""
        if self.cache:
            queries = self._kept_queries() | {query_digest(query) for query in also} | self._asked
            self.cache.keep_only({digest for _, _, digest in self._listed()}, queries)

    def _kept_queries(self) -> set[str]:
        """The digests under which a file's answers are kept (:meth:`_marks` of every query)."""
        return self._marks(self.queries)

    def _marks(self, queries: Iterable[str]) -> set[str]:
        """The digests under which a file's answers to ``queries`` are kept: one per query, and a
        mark that the rows of a query in :attr:`grouped` are kept grouped (a file answered without
        is not done)."""
        queries = set(queries)
        return ({query_digest(query) for query in queries}
                | {query_digest(GROUPED + query) for query in self.grouped if query in queries})

    def _lacking(self, cache: AnswerCache, queries: Sequence[str], files: Iterable[str]) -> tuple[str, ...]:
        """Those of ``queries`` whose answers one of ``files`` (digests of bodies) has not kept in ``cache``."""
        kept = cache.marks_kept_by_all(files, self._marks(queries))
        return tuple(query for query in queries if not self._marks([query]) <= kept)

    def _listed(self) -> list[tuple[str, str, str]]:
        with self._lock:
            if self._files is None:
                files = sorted((name, graph) for graph, name in self._file_names().items())
                self._files = [(name, graph, answer_digest(self._digests(graph))) for name, graph in files]
            return self._files

    def _file_names(self) -> dict[str, str]:
        """The name of every source file the store holds, by its graph: as kept in the cache, and
        asked of the store for the graphs the cache does not know (all of them without a cache)."""
        store = self._store()
        if not self.cache:
            return {graph: name for graph, name in store.rows(FILE_GRAPHS)}
        graphs = file_graphs(store)
        kept = self.cache.file_names()
        unknown = graphs - kept.keys()
        if len(unknown) > len(graphs) // 2:  # a first listing: all at once (9,300 looked up one by one took 1.3 s)
            found = {graph: name for graph, name in store.rows(FILE_GRAPHS) if graph in unknown}
        else:
            bound = {"graph": tuple(map(URIRef, sorted(unknown)))}
            found = {graph: name for graph, name in store.rows(FILE_GRAPHS, bound)} if unknown else {}
        if found or kept.keys() - graphs:
            self.cache.keep_file_names(found, kept.keys() - graphs)
        return {graph: kept[graph] for graph in graphs & kept.keys()} | found

    def _store(self) -> PolicyStore:
        if self.store is None:
            raise LookupError("answers read from their cache alone: this one is not kept there")
        return self.store

    def _check_given(self, query: str) -> None:
        if query not in self.queries:
            raise ValueError("a query answered file by file must be given when the answers are made")

    def _kept(self, keys: list[str]) -> list[str | None]:
        return self.cache.get_texts(keys) if self.cache and keys else [None] * len(keys)

    def _bodies(self, graph: str) -> str:
        return self._store().trig_body(graph) + self._store().trig_body(self._links(graph))

    def _digests(self, graph: str) -> str:
        return self._store().trig_digest(graph) + self._store().trig_digest(self._links(graph))

    @staticmethod
    def _links(graph: str) -> str:
        return str(links_graph_iri(URIRef(graph)))

    def _answer(self, graph: str, digest: str, query: str) -> list[Row]:
        with self._lock:
            file_lock = self._file_locks[graph]
        with file_lock:
            key = answer_key(digest, query)
            kept = self.cache.get(key) if self.cache else None
            if kept is not None:
                return kept
            asked = self._lacking(self.cache, self.queries, [digest]) if self.cache else (query,)
            answers = answer_batch([(graph, self._bodies(graph))], asked)[0]
            self._keep(digest, answers)
            return answers[query]

    def _keep(self, digest: str, answers: dict[str, list[Row]]) -> None:
        if self.cache:
            groups: defaultdict[tuple[str, str, str], list[Row]] = defaultdict(list)
            grouped = [query for query in self.grouped if query in answers]
            for query in grouped:
                for row in answers[query]:
                    groups[digest, query_digest(query), row[0]].append(row)
            marks: dict[str, list[Row]] = {answer_key(digest, GROUPED + query): [] for query in grouped}
            self.cache.put({answer_key(digest, query): rows for query, rows in answers.items()} | marks, groups)


def _read_batches(items: list[T]) -> Iterator[list[T]]:
    """``items`` in runs of :data:`READ_BATCH`, as many as the cache reads in one statement.

    >>> list(_read_batches(list(range(1_001))))[-1]
    [1000]
    """
    for start in range(0, len(items), READ_BATCH):
        yield items[start:start + READ_BATCH]


def answer_ahead(source: object, queries: Sequence[str]) -> None:
    """Where ``source`` keeps its answers by file (:class:`FileAnswers`), those of ``queries`` it has
    not kept yet made now, in one process per core, rather than a file at a time as they are read
    (each measure and owner of 10,000 documents, which a build does not answer, for the audit)."""
    if isinstance(source, FileAnswers):
        source.prepare(os.cpu_count() or 1, queries)


def _answer_batch_in_worker(task: tuple[tuple[tuple[str, str], ...], tuple[str, ...]]) -> list[dict[str, list[Row]]]:
    return answer_batch(*task)
