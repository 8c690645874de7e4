"""Answers kept in one SQLite file: each file's answers to the exports' queries, and what is made
from them, so that a build reads again only the files that changed (:mod:`.filewise`).

An answer is kept under a digest of the bodies of the file's graphs and of the query
(:func:`answer_key`), so an answer kept is never stale. Rows can also be kept grouped by their first
value, to be read for a few values; counts made from each file's rows are kept summed over every
file with the files they sum (a total), to be patched by the files that changed; a total's groups
can be kept ranked, to be read a slice at a time (:class:`KeptRanking`).
"""
from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import sys
import threading
from collections import Counter, defaultdict
from contextlib import closing
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar, overload

ANSWER_FORMAT = "rows as text, sorted, 2"  # part of every key: a change of format is a cache of its own
READ_BATCH = 500  # files whose kept answers are read in one statement (and rendered texts kept in one transaction)
READ_KEYS = 20_000  # keys of a kept total read at a time (total_keys)
CACHE_VERSION = 2  # the cache's user_version: 1 once its files and queries are listed, 2 once totals are kept by key

Row = tuple[str, ...]
Total = Counter[tuple[str, ...]]  # whole counts by key, summed over files (:meth:`.filewise.FileAnswers.summed`)
# an item's place in a ranking: score and weight (the larger first), label, and its record as text
Ranked = tuple[float, int, str, str]
Rank = Callable[[str, Total], "Ranked | None"]  # a group's counts (keys starting with it) ranked; None: left out
T = TypeVar("T")


class AnswerCache:
    """Answers kept in one SQLite file, each under its key; safe to share between threads.

    SQLite writes a file's dozen answers in one transaction, where a file per answer cost more in
    opening and renaming files than the answers took to make.

    Keys are ``<file>/<query>`` (digests).

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); cache = AnswerCache(folder / "answers.sqlite")
    >>> cache.put({"f0/q1": [("甲", "1")]}); cache.get("f0/q1"), cache.get("f0/q3")
    ([('甲', '1')], None)
    >>> cache.put({"f1/q1": [], "f1/q2": [], "f2/q1": []}); cache.files_with_all({"q1", "q2"})
    {'f1'}
    >>> cache.keep_only({"f1"}, {"q1"}); sorted(cache.keys())
    ['f1/q1']

    Rows may be kept grouped too, by a query and a value, to be read by the value from every file:

    >>> cache.put({"f1/q1": [("a", "1"), ("b", "2")]}, {("f1", "q1", "a"): [("a", "1")], ("f1", "q1", "b"): [("b", "2")]})
    >>> list(cache.grouped("q1", ["b", "c"]))
    [('f1', [('b', '2')])]
    >>> cache.close(); import shutil; shutil.rmtree(folder)
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """The cache at ``path``, made or mended as needed; ``read_only``, opened to read alone and
        left as it lies (one missing or damaged raises :class:`sqlite3.Error`)."""
        self.path = path
        self._lock = threading.Lock()
        if read_only:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                       isolation_level=None)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:  # not a cache any more (damaged, or another file): made anew
            for leftover in path.parent.glob(f"{path.name}*"):
                leftover.unlink()
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)  # waits for another process's writes
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # a cache: no disk sync at every file's transaction
        db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, rows TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS grouped (query TEXT, value TEXT, file TEXT, rows TEXT NOT NULL, "
                   "PRIMARY KEY (query, value, file))")
        # a total kept key by key, with the files it sums: a refresh writes the keys that changed alone
        db.execute("CREATE TABLE IF NOT EXISTS total_files (name TEXT, file TEXT, PRIMARY KEY (name, file)) WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS total_counts (name TEXT, key TEXT, count INTEGER NOT NULL, "
                   "PRIMARY KEY (name, key)) WITHOUT ROWID")
        # what is kept for which files and queries, so that pruning deletes what is gone alone
        db.execute("CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY)")
        db.execute("CREATE TABLE IF NOT EXISTS queries (name TEXT PRIMARY KEY)")
        # the files found to have answers to every query of a set (files_with_all), by the set's digest
        db.execute("CREATE TABLE IF NOT EXISTS complete (queries TEXT, file TEXT, PRIMARY KEY (queries, file)) "
                   "WITHOUT ROWID")
        # each source file's name by its graph, which is made from the name: listing them from the
        # store took 0.16 s at every refresh of 10,000 documents
        db.execute("CREATE TABLE IF NOT EXISTS file_names (graph TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID")
        # a total's groups ranked (FileAnswers.ranked), kept with the total and patched with it
        db.execute("CREATE TABLE IF NOT EXISTS ranked (name TEXT, item TEXT, score REAL NOT NULL, weight INTEGER "
                   "NOT NULL, label TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, item)) WITHOUT ROWID")
        db.execute("CREATE INDEX IF NOT EXISTS ranked_order ON ranked (name, score DESC, weight DESC, label, item)")
        db.execute("CREATE INDEX IF NOT EXISTS grouped_by_file ON grouped (file)")
        # one query's answers of every file, kept again together (keep_together, kept_rows)
        db.execute("CREATE TABLE IF NOT EXISTS together (query TEXT, file TEXT, rows TEXT NOT NULL, "
                   "PRIMARY KEY (query, file)) WITHOUT ROWID")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < CACHE_VERSION:  # a cache kept before: brought up to date once
            with db:
                db.execute("BEGIN")
                if version < 1:
                    db.execute("INSERT OR IGNORE INTO files SELECT substr(key, 1, instr(key, '/') - 1) FROM answers")
                    db.execute("INSERT OR IGNORE INTO files SELECT file FROM grouped")
                    db.execute("INSERT OR IGNORE INTO queries SELECT substr(key, instr(key, '/') + 1) FROM answers")
                    db.execute("INSERT OR IGNORE INTO queries SELECT query FROM grouped")
                db.execute("DROP TABLE IF EXISTS totals")  # kept whole before version 2: counted anew, once
                db.execute(f"PRAGMA user_version = {CACHE_VERSION}")
        return db

    def get(self, key: str) -> list[Row] | None:
        text = self.get_texts([key])[0]
        return parse_rows(text) if text is not None else None

    def put(self, answers: dict[str, list[Row]], groups: dict[tuple[str, str, str], list[Row]] | None = None) -> None:
        """Keep answers by key, and ``groups`` of rows by ``(file, query, value)``, all or none."""
        self.put_texts({key: json.dumps(rows, ensure_ascii=False) for key, rows in answers.items()},
                       [(query, value, file, json.dumps(rows, ensure_ascii=False))
                        for (file, query, value), rows in (groups or {}).items()])

    def get_texts(self, keys: Sequence[str]) -> list[str | None]:
        """What is kept under each of ``keys`` (at most :data:`READ_BATCH`) as text, rows as JSON or
        a text made from them; ``None`` where nothing is. One statement for them all: one per key
        cost some 30 µs each (a second for the tables of 10,000 documents)."""
        with self._lock:
            found = dict(self._db.execute(f"SELECT key, rows FROM answers WHERE key IN ({','.join('?' * len(keys))})",
                                          keys))
        return [found.get(key) for key in keys]

    def put_texts(self, texts: dict[str, str], groups: Iterable[tuple[str, str, str, str]] = ()) -> None:
        """Keep texts by key, and groups of rows as ``(query, value, file, rows as JSON)``, all or none."""
        groups = list(groups)
        parts = [key.partition("/") for key in texts]
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?)", texts.items())
            self._db.executemany("INSERT OR REPLACE INTO grouped VALUES (?, ?, ?, ?)", groups)
            self._db.executemany("INSERT OR IGNORE INTO files VALUES (?)",
                                 {(file,) for file, _, _ in parts} | {(file,) for _, _, file, _ in groups})
            self._db.executemany("INSERT OR IGNORE INTO queries VALUES (?)",
                                 {(query,) for _, _, query in parts} | {(query,) for query, _, _, _ in groups})

    def grouped(self, query: str, values: Sequence[str]) -> Iterator[tuple[str, list[Row]]]:
        """``(file, rows)`` of every group kept for ``query`` and one of ``values``."""
        with self._lock:
            found = self._db.execute(f"SELECT file, rows FROM grouped WHERE query = ? AND value IN "
                                     f"({','.join('?' * len(values))}) ORDER BY value, file", [query, *values]).fetchall()
        return ((file, parse_rows(text)) for file, text in found)

    def keep_together(self, query: str, gone: Iterable[str], new: dict[str, list[Row]]) -> None:
        """Keep the rows of ``query`` (a digest) of the files ``new`` together with those kept so,
        and forget those of the files ``gone``, for a process that reads them for every file
        (:func:`kept_rows`). Kept by file, a file's answers lie between its others: at 10,000
        documents, off the page cache, the zones' rows of every file took 1.5 s to read, where
        written together, in one transaction, they lie in a run of the file.

        >>> import tempfile; folder = Path(tempfile.mkdtemp()); cache = AnswerCache(folder / "answers.sqlite")
        >>> cache.keep_together("q", [], {"f2": [("乙",)], "f1": []}); cache.keep_together("q", ["f2"], {"f3": []})
        >>> list(cache.together("q"))
        [('f1', []), ('f3', [])]
        >>> cache.close(); import shutil; shutil.rmtree(folder)
        """
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM together WHERE query = ? AND file = ?", ((query, file) for file in gone))
            self._db.executemany("INSERT OR REPLACE INTO together VALUES (?, ?, ?)",
                                 ((query, file, json.dumps(new[file], ensure_ascii=False)) for file in sorted(new)))

    def together(self, query: str) -> Iterator[tuple[str, list[Row]]]:
        """``(file, rows)`` of each file whose rows of ``query`` are kept together, in the order of
        the files, :data:`READ_BATCH` files at a time."""
        after = ""
        while True:
            with self._lock:
                found = self._db.execute("SELECT file, rows FROM together WHERE query = ? AND file > ? ORDER BY file "
                                         "LIMIT ?", [query, after, READ_BATCH]).fetchall()
            if not found:
                return
            after = found[-1][0]
            yield from ((file, parse_rows(text)) for file, text in found)

    def get_total(self, name: str) -> tuple[set[str], Total] | None:
        """The total kept under ``name`` and the files it sums; ``None`` when none is.

        >>> import tempfile; folder = Path(tempfile.mkdtemp()); cache = AnswerCache(folder / "answers.sqlite")
        >>> cache.put_total("t", ["f1", "f2"], Counter({("甲", "1"): 2, ("乙",): 1}))
        >>> cache.patch_total("t", gone=["f2"], new=["f3"], change=Counter({("甲", "1"): -2, ("丙",): 1}))
        >>> files, total = cache.get_total("t"); sorted(files), sorted(total.items())
        (['f1', 'f3'], [(('丙',), 1), (('乙',), 1)])
        >>> cache.close(); import shutil; shutil.rmtree(folder)
        """
        files = self.total_files(name)
        if not files:
            return None
        with self._lock:
            counted = self._db.execute("SELECT key, count FROM total_counts WHERE name = ?", [name]).fetchall()
        return files, _counts(counted)

    def total_keys(self, name: str) -> Iterator[tuple[str, ...]]:
        """The keys the total kept under ``name`` counts something for, read :data:`READ_KEYS` at a
        time in the order of their texts, each value one string however many keys hold it (a
        document's IRI is in each of its rows): a reader of 150,000 keys holds their tuples alone,
        not their counts, their texts and one string of them all. The lineage view of 30,000
        documents peaked at 211 MB reading them so, 272 MB reading its sum whole.

        >>> import tempfile; folder = Path(tempfile.mkdtemp()); cache = AnswerCache(folder / "answers.sqlite")
        >>> cache.put_total("t", ["f1"], Counter({("甲", "1"): 2, ("乙",): 1, ("丙",): 0}))
        >>> sorted(cache.total_keys("t"))
        [('乙',), ('甲', '1')]
        >>> cache.close(); import shutil; shutil.rmtree(folder)
        """
        after = ""
        while True:
            with self._lock:
                texts = [key for (key,) in self._db.execute(
                    "SELECT key FROM total_counts WHERE name = ? AND key > ? AND count > 0 ORDER BY key LIMIT ?",
                    [name, after, READ_KEYS])]
            if not texts:
                return
            after = texts[-1]
            for key in _parsed_keys(texts):
                yield tuple(map(sys.intern, key))

    def total_files(self, name: str) -> set[str]:
        """The files the total kept under ``name`` sums (none when no total is kept)."""
        with self._lock:
            return {file for (file,) in self._db.execute("SELECT file FROM total_files WHERE name = ?", [name])}

    def group_total(self, name: str, group: str) -> Total:
        """The counts of the total kept under ``name`` whose keys start with ``group``."""
        with self._lock:
            return self._group_total(name, group)

    def _group_total(self, name: str, group: str) -> Total:
        start = _total_key((group,))[:-1] + ","  # the keys' JSON texts starting so, by their range
        return _counts(self._db.execute("SELECT key, count FROM total_counts WHERE name = ? AND key >= ? AND key < ?",
                                        [name, start, start[:-1] + "-"]))

    def put_total(self, name: str, files: Iterable[str], total: Total, rank: Rank | None = None) -> None:
        """Keep ``total`` under ``name``, the sum over ``files``, in place of what was kept; with
        ``rank``, its groups ranked too (:meth:`ranking`), in the same transaction."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM total_files WHERE name = ?", [name])
            self._db.execute("DELETE FROM total_counts WHERE name = ?", [name])
            self._db.execute("DELETE FROM ranked WHERE name = ?", [name])
            self._db.executemany("INSERT INTO total_files VALUES (?, ?)", ((name, file) for file in files))
            self._db.executemany("INSERT INTO total_counts VALUES (?, ?, ?)",
                                 ((name, _total_key(key), count) for key, count in total.items() if count))
            if rank:
                groups: defaultdict[str, Total] = defaultdict(Counter)
                for key, count in total.items():
                    if count:
                        groups[key[0]][key] = count
                self._rank(name, {group: rank(group, counts) for group, counts in groups.items()})

    def patch_total(self, name: str, gone: Iterable[str], new: Iterable[str], change: Total,
                    rank: Rank | None = None) -> None:
        """Make the total kept under ``name`` the sum without the files ``gone`` and with those
        ``new``, by adding ``change`` (their counts, the gone ones negative): only its keys are
        written. With ``rank``, the groups of those keys are ranked again, in the same transaction."""
        changed = [(name, _total_key(key), count) for key, count in change.items() if count]
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM total_files WHERE name = ? AND file = ?", ((name, file) for file in gone))
            self._db.executemany("INSERT INTO total_files VALUES (?, ?)", ((name, file) for file in new))
            self._db.executemany("INSERT INTO total_counts VALUES (?, ?, ?) ON CONFLICT (name, key) "
                                 "DO UPDATE SET count = count + excluded.count", changed)
            self._db.executemany("DELETE FROM total_counts WHERE name = ? AND key = ? AND count = 0",
                                 ((name, key) for name, key, _ in changed))
            if rank:
                groups = {key[0] for key, count in change.items() if count}
                self._rank(name, {group: rank(group, self._group_total(name, group)) for group in groups})

    def _rank(self, name: str, ranked: dict[str, Ranked | None]) -> None:
        """Keep the groups' places in the ranking under ``name``; a group ranked ``None`` leaves it."""
        self._db.executemany("INSERT OR REPLACE INTO ranked VALUES (?, ?, ?, ?, ?, ?)",
                             ((name, group, *place) for group, place in ranked.items() if place))
        self._db.executemany("DELETE FROM ranked WHERE name = ? AND item = ?",
                             ((name, group) for group, place in ranked.items() if not place))

    def ranking(self, name: str, offset: int, limit: int) -> list[tuple[str, str]]:
        """``(item, record)`` of the ranking kept under ``name``, from ``offset`` on: score and
        weight the larger first, then label and item in order."""
        with self._lock:
            return self._db.execute("SELECT item, record FROM ranked WHERE name = ? ORDER BY score DESC, weight DESC, "
                                    "label, item LIMIT ? OFFSET ?", [name, limit, offset]).fetchall()

    def ranking_size(self, name: str) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM ranked WHERE name = ?", [name]).fetchone()[0]

    def file_names(self) -> dict[str, str]:
        """The source files' names kept, by their graphs."""
        with self._lock:
            return dict(self._db.execute("SELECT graph, name FROM file_names"))

    def keep_file_names(self, names: dict[str, str], gone: Iterable[str]) -> None:
        """Keep the names of source files by their graphs, and forget those of the graphs ``gone``."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO file_names VALUES (?, ?)", names.items())
            self._db.executemany("DELETE FROM file_names WHERE graph = ?", ((graph,) for graph in gone))

    def files(self) -> list[str]:
        """The files anything is kept for (the digests of their graphs' bodies)."""
        with self._lock:
            return [name for (name,) in self._db.execute("SELECT name FROM files")]

    def keys(self) -> set[str]:
        with self._lock:
            return {key for (key,) in self._db.execute("SELECT key FROM answers")}

    def files_with_all(self, queries: set[str]) -> set[str]:
        """The files whose answers to every one of ``queries`` are kept (keys ``<file>/<query>``).

        A file found so is marked for the set, and keeps the mark while it is kept: only the files
        kept since the last call have their keys read (matching all 200,000 keys of 10,000
        documents in SQL took 0.16 s at every refresh)."""
        marks = answer_digest("\n".join(sorted(queries)))
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")  # it writes what it read: another process waits its turn
            found = {file for (file,) in self._db.execute("SELECT file FROM complete WHERE queries = ?", [marks])}
            unmarked = [name for (name,) in self._db.execute("SELECT name FROM files") if name not in found]
            newly = [file for file in unmarked if queries <= self._queries_of(file)]
            self._db.executemany("INSERT OR IGNORE INTO complete VALUES (?, ?)", ((marks, file) for file in newly))
        return found | set(newly)

    def marks_kept_by_all(self, files: Iterable[str], queries: set[str]) -> set[str]:
        """Those of ``queries`` (as :meth:`files_with_all` takes them) that every one of ``files`` has
        answers kept for: read file by file, until none is left."""
        kept = set(queries)
        with self._lock:
            for file in files:
                kept &= self._queries_of(file)
                if not kept:
                    break
        return kept

    def _queries_of(self, file: str) -> set[str]:
        """The queries a file has answers kept for, read by the range of its keys."""
        keys = self._db.execute("SELECT key FROM answers WHERE key >= ? AND key < ?", [f"{file}/", f"{file}0"])
        return {key.partition("/")[2] for (key,) in keys}

    def keep_only(self, files: set[str], queries: set[str]) -> None:
        """Remove everything kept for a file not in ``files`` or a query not in ``queries``. The
        files and queries kept are listed, so what is gone is deleted alone (a refresh at 10,000
        documents: one file's keys, where matching all 200,000 took 0.3 s)."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            gone = [name for (name,) in self._db.execute("SELECT name FROM files") if name not in files]
            self._db.executemany("DELETE FROM answers WHERE key >= ? AND key < ?",  # a file's keys, by range
                                 ((f"{file}/", f"{file}0") for file in gone))
            self._db.executemany("DELETE FROM grouped WHERE file = ?", ((file,) for file in gone))
            together = [query for (query,) in self._db.execute("SELECT DISTINCT query FROM together")]
            self._db.executemany("DELETE FROM together WHERE query = ? AND file = ?",
                                 ((query, file) for query in together for file in gone))
            self._db.executemany("DELETE FROM files WHERE name = ?", ((file,) for file in gone))
            self._db.executemany("DELETE FROM complete WHERE file = ?", ((file,) for file in gone))
            stale = [name for (name,) in self._db.execute("SELECT name FROM queries") if name not in queries]
            if stale:  # after a change of policykg's queries: every key matched, once
                marks = ",".join("?" * len(stale))
                self._db.execute(f"DELETE FROM answers WHERE substr(key, instr(key, '/') + 1) IN ({marks})", stale)
                self._db.execute(f"DELETE FROM grouped WHERE query IN ({marks})", stale)
                self._db.execute(f"DELETE FROM together WHERE query IN ({marks})", stale)
                self._db.execute(f"DELETE FROM queries WHERE name IN ({marks})", stale)
                self._db.execute("DELETE FROM complete")  # a set holding a stale query is complete no more
            unasked = [(name,) for (name,) in self._db.execute("SELECT DISTINCT name FROM total_files")
                       if name not in queries]
            self._db.executemany("DELETE FROM total_files WHERE name = ?", unasked)
            self._db.executemany("DELETE FROM total_counts WHERE name = ?", unasked)
            self._db.executemany("DELETE FROM ranked WHERE name = ?", unasked)

    def close(self) -> None:
        self._db.close()


class KeptRanking(Sequence[T]):
    """A ranking kept in a cache (:meth:`~.filewise.FileAnswers.ranked`), read a slice at a time; the
    counts of a group that is not ranked (a total over all groups) are read by :meth:`group_total`."""

    def __init__(self, cache: AnswerCache, name: str, read: Callable[[str, str], T]) -> None:
        self._cache, self._name, self._read = cache, name, read
        self._size: int | None = None

    def __len__(self) -> int:
        if self._size is None:
            self._size = self._cache.ranking_size(self._name)
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a kept ranking is read in steps of one")
            return [self._read(item, record)
                    for item, record in self._cache.ranking(self._name, start, max(stop - start, 0))]
        found = self[index:index + 1] if index >= 0 else self[len(self) + index:len(self) + index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def group_total(self, group: str) -> Total:
        return self._cache.group_total(self._name, group)


def _total_key(key: tuple[str, ...]) -> str:
    """A total's key as kept: a JSON array, one text for each key."""
    return json.dumps(key, ensure_ascii=False)


def _parsed_keys(texts: Iterable[str]) -> list[list[str]]:
    """Totals' keys as kept (:func:`_total_key`), parsed at once: one JSON array of them all."""
    return json.loads(f"[{','.join(texts)}]")


def _counts(counted: Iterable[tuple[str, int]]) -> Total:
    """Kept ``(key, count)`` pairs as a total; all keys parsed at once."""
    pairs = list(counted)
    keys = _parsed_keys(key for key, _ in pairs)
    return Counter(dict(zip(map(tuple, keys), (count for _, count in pairs))))


def kept_rows(cache: Path, query: str) -> Iterator[tuple[str, list[Row]]]:
    """The rows of ``query`` kept together (:meth:`AnswerCache.keep_together`) in the cache at
    ``cache``, of each file, by the digest of the file's bodies; as far as it can be read (none
    when it cannot be opened). A digest names the content of a file's graphs, so rows read before
    a build knows its files are still true after it: a process that will make views reads them
    while the build loads the store (the zones view's 72,000 rows at 10,000 documents, 0.2 s),
    and counts them as they come (:class:`~.views.ZoneIndustryGraph`). The file is opened to read
    alone: a cache that cannot be read is left as it is.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); kept = AnswerCache(folder / "answers.sqlite")
    >>> kept.keep_together(query_digest("q"), [], {"f2": [], "f1": [("甲",)]}); kept.close()
    >>> list(kept_rows(folder / "answers.sqlite", "q")), list(kept_rows(folder / "none.sqlite", "q"))
    ([('f1', [('甲',)]), ('f2', [])], [])
    >>> import shutil; shutil.rmtree(folder)
    """
    try:
        with closing(AnswerCache(cache, read_only=True)) as kept:
            yield from kept.together(query_digest(query))
    except sqlite3.Error:
        return


def rendering_name(query: str, form: str) -> str:
    """The name the renderings of ``query``'s rows made in ``form`` are kept under
    (:meth:`~.filewise.FileAnswers.rendered_by_file`): each file's, under ``<digest of its bodies>/<name>``."""
    return query_digest(f"{form}\n{query}")


def parse_rows(text: str) -> list[Row]:
    """Rows kept as JSON text."""
    return [tuple(row) for row in json.loads(text)]


def answer_key(digest: str, query: str) -> str:
    """Where the answer of ``query`` over graphs whose bodies have ``digest`` is kept."""
    return named_key(digest, query_digest(query))


def named_key(digest: str, name: str) -> str:
    """Where what is kept under ``name`` (a query's or a rendering's digest) for the graphs whose
    bodies have ``digest`` lies."""
    return f"{digest}/{name}"


@functools.lru_cache(maxsize=256)
def query_digest(query: str) -> str:
    """A query's digest, as the keys of its answers hold it (:func:`answer_digest`)."""
    return answer_digest(query)


def answer_digest(text: str) -> str:
    """The SHA-256 of a text with the form answers are kept in (:data:`ANSWER_FORMAT`): a new form
    keys every answer anew."""
    return hashlib.sha256(f"{ANSWER_FORMAT}\n{text}".encode("utf-8")).hexdigest()
