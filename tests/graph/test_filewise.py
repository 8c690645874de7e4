import os
import pickle
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import URIRef

from policykg.exports.tables import TABLE_QUERIES
from policykg.graph.corpus import load_corpus, remove_files
from policykg.graph import filewise, views
from policykg.graph.answer_cache import AnswerCache, kept_rows
from policykg.graph.filewise import FileAnswers
from policykg.graph.identity import file_iri
from policykg.graph.parallel import ProcessLost
from policykg.graph.store import PolicyStore
from policykg.graph.views import (AGENCY_MEASURES, DOCUMENT_TITLES, RESPONSIBILITY_DETAILS, VIEW_QUERIES, ZONES,
                                  distinct_rows)

from ..conftest import SEEDS, load_changed_seed
from .test_answer_cache import rank_by_count

QUERIES = TABLE_QUERIES + VIEW_QUERIES
GROUPED = [query for query in QUERIES if "GROUP_CONCAT" in query]  # lists joined in no set order


@pytest.fixture()
def store(tmp_path: Path) -> PolicyStore:
    store = PolicyStore.open(tmp_path / "store")
    load_corpus([SEEDS], store)
    return store


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    from_trig = PolicyStore.from_trig.__func__
    monkeypatch.setattr(PolicyStore, "from_trig", classmethod(lambda cls, text: reads.append(text) or from_trig(cls, text)))
    return reads


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_answers_file_by_file_are_the_answers_over_the_whole_store(store: PolicyStore, number: int) -> None:
    query = QUERIES[number]
    filewise, whole = list(FileAnswers(store, [query]).rows(query)), list(store.rows(query))
    if query in GROUPED:
        def unordered(rows: list[tuple[str, ...]]) -> set:
            return {tuple(frozenset(cell.split(";")) for cell in row) for row in rows}
        filewise, whole = unordered(filewise), unordered(whole)
    elif "DISTINCT" in query:  # distinct within each file: a value many files hold comes once from each
        filewise, whole = set(filewise), set(whole)
    else:
        filewise, whole = Counter(filewise), Counter(whole)
    assert filewise == whole and whole


def test_each_file_is_read_once_for_every_query_and_threads(store: PolicyStore, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _counting_reads(monkeypatch)
    cache = AnswerCache(tmp_path / "cache.sqlite")
    answers = FileAnswers(store, QUERIES, cache)
    readers = [threading.Thread(target=lambda q=query: list(answers.rows(q))) for query in QUERIES[:4]]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    files = len(list(SEEDS.iterdir()))
    assert len(reads) == files
    assert len(cache.keys()) == files * len(QUERIES)


def test_a_warm_cache_reads_no_graph_and_answers_the_same(store: PolicyStore, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    cold = {query: list(FileAnswers(store, QUERIES, cache).rows(query)) for query in QUERIES}
    reads = _counting_reads(monkeypatch)
    warm = FileAnswers(store, QUERIES, cache)
    assert {query: list(warm.rows(query)) for query in QUERIES} == cold and not reads


def test_a_changed_or_removed_file_is_read_again_alone_and_its_old_answers_pruned(
        store: PolicyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    first = FileAnswers(store, QUERIES, cache)
    for query in QUERIES:
        list(first.rows(query))
    before = cache.keys()
    name = load_changed_seed(store, tmp_path, "准确把握功能定位", "准确把握功能")
    reads = _counting_reads(monkeypatch)
    second = FileAnswers(store, QUERIES, cache)
    for query in QUERIES:
        list(second.rows(query))
    second.prune()
    after = cache.keys()
    assert len(reads) == 1 and len(after - before) == len(QUERIES) == len(before - after)
    remove_files(store, [name])
    third = FileAnswers(store, QUERIES, cache)
    for query in QUERIES:
        list(third.rows(query))
    third.prune()
    assert len(cache.keys()) == len(after) - len(QUERIES)


def test_a_query_not_given_is_refused_and_a_bound_one_asks_the_store(store: PolicyStore) -> None:
    answers = FileAnswers(store, TABLE_QUERIES)
    with pytest.raises(ValueError):
        list(answers.rows(VIEW_QUERIES[0]))
    with pytest.raises(ValueError):
        list(answers.rendered_by_file(VIEW_QUERIES[0], str, "text, 1"))
    agency = next(iter(store.rows(VIEW_QUERIES[0])))[1]
    bound = {"agency": URIRef(agency)}
    assert list(answers.rows(AGENCY_MEASURES, bound)) == list(store.rows(AGENCY_MEASURES, bound))


@pytest.mark.parametrize("workers", [1, 2])
def test_prepared_answers_are_read_by_no_one_after_and_are_the_same(store: PolicyStore, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    monkeypatch.setattr(filewise, "ANSWER_BATCH", 2)  # the seeds' five files in three batches
    cache = AnswerCache(tmp_path / "cache.sqlite")
    FileAnswers(store, QUERIES, cache).prepare(workers)
    assert len(cache.keys()) == len(list(SEEDS.iterdir())) * len(QUERIES)
    expected = [list(FileAnswers(store, QUERIES).rows(query)) for query in QUERIES]
    reads = _counting_reads(monkeypatch)
    prepared = FileAnswers(store, QUERIES, cache)
    assert [list(prepared.rows(query)) for query in QUERIES] == expected and not reads


def test_a_file_is_asked_only_the_queries_whose_answers_it_lacks(store: PolicyStore, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, ...]] = []
    answer_batch = filewise.answer_batch
    monkeypatch.setattr(filewise, "answer_batch", lambda files, queries: asked.append(tuple(queries))
                        or answer_batch(files, queries))
    cache = AnswerCache(tmp_path / "cache.sqlite")
    tables = FileAnswers(store, TABLE_QUERIES, cache)
    tables.prepare()
    assert set(asked) == {TABLE_QUERIES}
    asked.clear()
    every = FileAnswers(store, QUERIES, cache, grouped=[RESPONSIBILITY_DETAILS])
    every.prepare(queries=[RESPONSIBILITY_DETAILS, *TABLE_QUERIES])
    assert set(asked) == {(RESPONSIBILITY_DETAILS,)}
    zones = list(FileAnswers(store, [ZONES]).rows(ZONES))
    asked.clear()
    assert list(every.rows(ZONES)) == zones  # the rest, file by file
    lacking = tuple(query for query in QUERIES if query not in TABLE_QUERIES and query != RESPONSIBILITY_DETAILS)
    assert set(asked) == {lacking} and len(asked) == len(list(SEEDS.iterdir()))
    asked.clear()
    every.prepare()
    assert not asked and every.prepared().queries == every.queries
    agency = next(iter(store.rows(RESPONSIBILITY_DETAILS)))[0]  # kept grouped when answered ahead, too
    assert set(every.rows_of(RESPONSIBILITY_DETAILS, [agency])) == {
        row for row in store.rows(RESPONSIBILITY_DETAILS) if row[0] == agency} and not asked


def test_answering_ahead_prepares_kept_answers_in_one_process_per_core_and_leaves_a_store_alone(
        store: PolicyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    FileAnswers(store, TABLE_QUERIES, cache).prepare()
    prepared: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(FileAnswers, "prepare", lambda self, workers, queries: prepared.append((workers, tuple(queries))))
    filewise.answer_ahead(store, [ZONES])  # the store itself keeps no answers: nothing to do
    filewise.answer_ahead(FileAnswers(store, QUERIES, cache), [ZONES])
    assert prepared == [(os.cpu_count(), (ZONES,))]


def test_a_batch_whose_answering_process_died_is_answered_here(store: PolicyStore, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lost = []
    monkeypatch.setattr(filewise, "ordered_map", lambda function, tasks, workers, per_message:
                        ((task, lost.append(task) or ProcessLost()) for task in tasks))
    monkeypatch.setattr(filewise, "ANSWER_BATCH", 2)
    cache = AnswerCache(tmp_path / "cache.sqlite")
    FileAnswers(store, QUERIES, cache).prepare(workers=2)
    assert [len(files) for files, _ in lost] == [2, 2, 1]
    expected = [list(FileAnswers(store, QUERIES).rows(query)) for query in QUERIES]
    assert [list(FileAnswers(store, QUERIES, cache).rows(query)) for query in QUERIES] == expected
    assert len(cache.keys()) == len(list(SEEDS.iterdir())) * len(QUERIES)


def test_rows_kept_by_their_first_value_are_read_by_it_and_kept_before_they_are_read(
        store: PolicyStore, tmp_path: Path) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    FileAnswers(store, QUERIES, cache).prepare()  # answers kept, not grouped
    every = list(store.rows(RESPONSIBILITY_DETAILS))
    some = sorted({row[0] for row in every})[::5]
    grouped = FileAnswers(store, QUERIES, cache, grouped=[RESPONSIBILITY_DETAILS])
    rows = list(grouped.rows_of(RESPONSIBILITY_DETAILS, some))
    assert Counter(rows) == Counter(row for row in every if row[0] in some) and len(rows) > 50
    load_changed_seed(store, tmp_path, "市环保局", "市生态环境局")
    changed = list(store.rows(RESPONSIBILITY_DETAILS))
    agencies = {row[0] for row in every + changed}
    assert Counter(changed) != Counter(every)
    assert Counter(FileAnswers(store, QUERIES, cache, grouped=[RESPONSIBILITY_DETAILS]).rows_of(
        RESPONSIBILITY_DETAILS, agencies)) == Counter(changed)


def test_a_kept_total_is_patched_by_the_changed_files_alone_into_the_total_made_anew(
        store: PolicyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    queries = [DOCUMENT_TITLES, ZONES]
    before = distinct_rows(FileAnswers(store, QUERIES, cache), queries)
    assert before == distinct_rows(store, queries) == distinct_rows(FileAnswers(store, QUERIES), queries)
    assert all(before)
    with _no_total_written(monkeypatch):
        assert distinct_rows(FileAnswers(store, QUERIES, cache), queries) == before
    load_changed_seed(store, tmp_path, "武汉", "汉阳")
    parts: list[list] = []
    numbered = views.numbered_rows
    monkeypatch.setattr(views, "numbered_rows", lambda rows: parts.append(rows) or numbered(rows))
    after = distinct_rows(FileAnswers(store, QUERIES, cache), queries)
    assert len(parts) == 2  # the changed file's old part taken off, its new part added
    assert after == distinct_rows(store, queries) != before
    with _no_total_written(monkeypatch):  # the patched total is what is kept
        assert distinct_rows(FileAnswers(store, QUERIES, cache), queries) == after


@contextmanager
def _no_total_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as unchanged:
        for method in ("put_total", "patch_total"):
            unchanged.setattr(AnswerCache, method, lambda *arguments: pytest.fail("a total kept as it was is written"))
        yield


def test_rendered_texts_are_kept_and_only_a_changed_file_is_rendered_again(store: PolicyStore, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    query = TABLE_QUERIES[0]
    rendered: list[int] = []

    def render(rows: list[tuple[str, ...]]) -> str:
        rendered.append(len(rows))
        return "".join(f"{row}\n" for row in sorted(rows))

    def texts() -> list[str]:
        answers = FileAnswers(store, QUERIES, cache)
        made = [text for _, text in answers.rendered_by_file(query, render, "test, 1")]
        answers.prune()
        return made

    first = texts()
    assert first == [render(rows) for _, rows in FileAnswers(store, [query]).by_file(query)]
    rendered.clear()
    reads = _counting_reads(monkeypatch)
    assert texts() == first and not rendered
    FileAnswers(store, QUERIES, cache).prepare()
    assert not reads  # the rows stay kept beside their rendered text
    load_changed_seed(store, tmp_path, "武汉市人民政府关于", "武汉市政府关于")
    rendered.clear()
    second = texts()
    assert len(rendered) == 1 and second[1:] == first[1:] and second[0] != first[0]
    again = list(FileAnswers(store, QUERIES, cache).rendered_by_file(query, render, "test, 2"))
    assert [text for _, text in again] == second
    assert len(rendered) == 1 + len(first)  # another form is rendered anew
    known = {key for key, _ in again[1:]}
    reads = _counting_reads(monkeypatch)
    assert [text for _, text in FileAnswers(store, QUERIES, cache).rendered_by_file(query, render, "test, 2", known)] \
        == second[:1] + [None] * len(known) and not reads  # what the caller knows is neither read nor made


def test_a_ranking_of_file_answers_is_patched_by_the_changed_files_alone(store: PolicyStore, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def ranking(source: FileAnswers) -> list[str]:
        ranked = source.ranked([DOCUMENT_TITLES], lambda rows: Counter((title[:1], title) for _, title in rows[0]),
                               "first characters", rank_by_count, lambda item, record: item)
        return ranked[:len(ranked)]

    def anew(source: PolicyStore) -> list[str]:
        counts = Counter((title[:1], title) for _, title in source.rows(DOCUMENT_TITLES))
        ranks = {group: rank_by_count(group, Counter({k: v for k, v in counts.items() if k[0] == group}))
                 for group, _ in counts}
        return [group for group, (score, weight, label, _) in
                sorted(ranks.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[1][2], kv[0]))]

    cache = AnswerCache(tmp_path / "cache.sqlite")
    assert ranking(FileAnswers(store, QUERIES, cache)) == anew(store) and len(anew(store)) > 3
    assert remove_files(store, ["003_736a3c4bc8902ef8.txt"]) == ["003_736a3c4bc8902ef8.txt"]
    patched: list[int] = []
    put_total = cache.put_total
    monkeypatch.setattr(cache, "put_total", lambda *args: patched.append(1) or put_total(*args))
    assert ranking(FileAnswers(store, QUERIES, cache)) == anew(store)
    assert not patched  # patched, not counted anew
    with pytest.raises(ValueError, match="kept in a cache"):
        FileAnswers(store, QUERIES).ranked([DOCUMENT_TITLES], lambda rows: Counter(), "f", rank_by_count, str)


def test_file_names_are_kept_and_only_new_files_named_by_the_store(store: PolicyStore, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    listed = [name for name, _ in FileAnswers(store, QUERIES).by_file(QUERIES[0])]
    assert [name for name, _ in FileAnswers(store, QUERIES, cache).by_file(QUERIES[0])] == listed
    assert sorted(cache.file_names().values()) == listed and len(listed) == 5
    remove_files(store, [listed[0]])
    name = load_changed_seed(store, tmp_path, "准确把握功能定位", "准确把握功能")  # the same name: its graph kept
    asked = []
    rows = PolicyStore.rows
    monkeypatch.setattr(PolicyStore, "rows", lambda self, query, bindings=None, **kw:
                        asked.append(bindings) or rows(self, query, bindings, **kw))
    assert [file for file, _ in FileAnswers(store, QUERIES, cache).by_file(QUERIES[0])] == listed
    assert not [bindings for bindings in asked if bindings and "graph" in bindings]  # no name asked of the store
    assert name == listed[0] and sorted(cache.file_names().values()) == listed
    remove_files(store, [listed[1]])
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "new.txt").write_bytes((SEEDS / listed[2]).read_bytes())
    load_corpus([tmp_path / "extra"], store)
    asked.clear()
    left = sorted([listed[0], *listed[2:], "new.txt"])
    assert [file for file, _ in FileAnswers(store, QUERIES, cache).by_file(QUERIES[0])] == left
    assert [list(map(str, bindings["graph"])) for bindings in asked if bindings and "graph" in bindings] == [
        [str(file_iri("new.txt"))]]
    assert sorted(cache.file_names().values()) == left


def test_prepared_answers_are_read_in_another_process_from_the_cache_alone(store: PolicyStore, tmp_path: Path) -> None:
    answers = FileAnswers(store, QUERIES, AnswerCache(tmp_path / "cache.sqlite"))
    with pytest.raises(ValueError, match="prepared"):
        answers.prepared()
    answers.prepare()
    prepared = answers.prepared()
    elsewhere = FileAnswers.from_prepared(pickle.loads(pickle.dumps(prepared)))
    assert elsewhere.store is None and elsewhere.file_count == answers.file_count == len(list(SEEDS.iterdir()))
    for query in QUERIES:
        assert list(elsewhere.by_file(query)) == list(answers.by_file(query))
    not_kept = replace(prepared, files=[("new.txt", "urn:new", "0" * 64)])
    with pytest.raises(LookupError, match="not kept"):
        list(FileAnswers.from_prepared(not_kept).by_file(QUERIES[0]))


def test_rows_kept_together_are_read_for_every_file_by_digest_and_changes_since_name_the_new_files_alone(
        store: PolicyStore, tmp_path: Path) -> None:
    answers = FileAnswers(store, QUERIES, AnswerCache(tmp_path / "cache.sqlite"))
    answers.prepare()
    assert not list(kept_rows(tmp_path / "cache.sqlite", ZONES))  # none kept together yet
    gone, parts = answers.changes_since(ZONES, ())
    new = {digest: rows for part in parts for digest, rows in part.items()}
    answers.keep_together(ZONES, gone, new)
    early = dict(kept_rows(tmp_path / "cache.sqlite", ZONES))
    by_name = dict(answers.by_file(ZONES))
    assert early == {digest: by_name[name] for name, _, digest in answers.prepared().files} and any(early.values())
    assert early == dict(answers.kept_together(ZONES)) == new and not gone
    gone, parts = answers.changes_since(ZONES, early.keys())
    assert not gone and not list(parts)
    name = load_changed_seed(store, tmp_path, "武汉", "汉阳")
    changed = FileAnswers(store, QUERIES, AnswerCache(tmp_path / "cache.sqlite"))
    changed.prepare()
    digests = {file: digest for file, _, digest in changed.prepared().files}
    old_digest = {file: digest for file, _, digest in answers.prepared().files}[name]
    assert old_digest != digests[name]
    gone, parts = changed.changes_since(ZONES, early.keys())
    new_part, = parts
    assert (gone, new_part) == ({old_digest}, {digests[name]: dict(changed.by_file(ZONES))[name]})
    changed.keep_together(ZONES, (), new_part)
    assert dict(kept_rows(tmp_path / "cache.sqlite", ZONES)).keys() == set(digests.values()) | {old_digest}
    changed.prune()  # the old digest's answers gone, its rows kept together too
    assert dict(kept_rows(tmp_path / "cache.sqlite", ZONES)).keys() == set(digests.values())
    assert not list(kept_rows(tmp_path / "no-such.sqlite", ZONES))
    assert not (tmp_path / "no-such.sqlite").exists()
