import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from policykg.graph import answer_cache
from policykg.graph.answer_cache import AnswerCache, KeptRanking


def rank_by_count(group: str, counts: Counter) -> tuple[float, int, str, str] | None:
    """Groups ranked by their counts' sum, then how many keys, labelled by their first key's last value."""
    if not group or not counts:
        return None
    return float(sum(counts.values())), len(counts), min(counts)[-1], str(sorted(counts.values()))


def test_a_damaged_cache_is_made_anew(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database, but the bytes of something else" * 100)
    cache = AnswerCache(path)
    cache.put({"k": [("甲",)]})
    assert cache.get("k") == [("甲",)]


def _kept(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}")) for table in ("answers", "grouped", "total_files",
                                                                               "total_counts")}


@pytest.mark.parametrize("kept_before_listing", [False, True])
def test_pruning_deletes_what_gone_files_and_queries_no_longer_asked_kept(tmp_path: Path,
                                                                          kept_before_listing: bool) -> None:
    path = tmp_path / "cache.sqlite"
    cache = AnswerCache(path)
    for file in ("f1", "f2", "f3"):
        cache.put({f"{file}/q1": [("a", file)], f"{file}/q2": [("b", file)]},
                  {(file, "q1", "a"): [("a", file)], (file, "q2", "b"): [("b", file)]})
    cache.put_total("q1", ["f1", "f2", "f3"], Counter({("a",): 3}))
    cache.put_total("old", ["f1"], Counter({("x",): 1}))
    cache.close()
    if kept_before_listing:  # as a cache kept before it listed its files and queries
        with sqlite3.connect(path) as db:
            db.execute("DROP TABLE files")
            db.execute("DROP TABLE queries")
            db.execute("PRAGMA user_version = 0")
    cache = AnswerCache(path)
    cache.keep_only({"f1", "f3"}, {"q1"})
    assert _kept(path) == {"answers": [("f1/q1", '[["a", "f1"]]'), ("f3/q1", '[["a", "f3"]]')],
                           "grouped": [("q1", "a", "f1", '[["a", "f1"]]'), ("q1", "a", "f3", '[["a", "f3"]]')],
                           "total_files": [("q1", "f1"), ("q1", "f2"), ("q1", "f3")],
                           "total_counts": [("q1", '["a"]', 3)]}
    cache.put({"f4/q1": []})
    cache.keep_only({"f4"}, {"q1"})
    assert cache.keys() == {"f4/q1"}


def test_a_kept_ranking_is_patched_with_its_total_and_read_in_order_a_slice_at_a_time(tmp_path: Path) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    total = Counter({("a", "x"): 2, ("b", "x"): 1, ("b", "y"): 1, ("c", "z"): 2, ("", "all"): 5})
    cache.put_total("r", ["f1", "f2"], total, rank_by_count)
    ranking = KeptRanking(cache, "r", lambda item, record: (item, record))
    # a and b weigh 2, c too; b has two keys, then a before c by label
    assert ranking[:10] == [("b", "[1, 1]"), ("a", "[2]"), ("c", "[2]")] and len(ranking) == 3
    assert ranking[1] == ("a", "[2]") and ranking[-1] == ("c", "[2]") and ranking[1:2] == [("a", "[2]")]
    with pytest.raises(IndexError):
        ranking[3]
    assert ranking.group_total("") == Counter({("", "all"): 5}) and ranking.group_total("b") == Counter(
        {("b", "x"): 1, ("b", "y"): 1})
    # f2 gone: b loses both keys and leaves the ranking, c gains; a is not ranked again
    ranked: list[str] = []
    cache.patch_total("r", ["f2"], [], Counter({("b", "x"): -1, ("b", "y"): -1, ("c", "z"): 1}),
                      lambda group, counts: ranked.append(group) or rank_by_count(group, counts))
    ranking = KeptRanking(cache, "r", lambda item, record: item)
    assert ranking[:10] == ["c", "a"] and sorted(ranked) == ["b", "c"]
    cache.keep_only(set(), set())  # a ranking goes with its total when no longer asked for
    assert len(KeptRanking(cache, "r", str)) == 0


def test_files_with_every_answer_are_marked_once_and_unmarked_when_gone(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    cache.put({"f1/q1": [], "f1/q2": [], "f2/q1": []})
    assert cache.files_with_all({"q1", "q2"}) == {"f1"}
    cache.put({"f2/q2": [], "f3/q1": [], "f3/q2": []})  # f2 now has both, f3 is new
    read = []
    queries_of = AnswerCache._queries_of
    monkeypatch.setattr(AnswerCache, "_queries_of", lambda self, file: read.append(file) or queries_of(self, file))
    assert cache.files_with_all({"q1", "q2"}) == {"f1", "f2", "f3"}
    assert sorted(read) == ["f2", "f3"]  # f1's mark stands: its keys are not read again
    assert cache.files_with_all({"q1", "q2"}) == {"f1", "f2", "f3"} and len(read) == 2
    assert cache.files_with_all({"q1"}) == {"f1", "f2", "f3"}  # another set: marked on its own
    cache.keep_only({"f2", "f3"}, {"q1", "q2"})
    assert cache.files_with_all({"q1", "q2"}) == {"f2", "f3"}
    cache.keep_only({"f2", "f3"}, {"q1"})  # q2 no longer asked: its answers are deleted
    assert cache.files_with_all({"q1", "q2"}) == set() and cache.files_with_all({"q1"}) == {"f2", "f3"}


def test_the_answers_every_file_kept_are_read_until_none_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnswerCache(tmp_path / "cache.sqlite")
    cache.put({"f1/q1": [], "f1/q2": [], "f2/q1": [], "f3/q3": []})
    assert cache.marks_kept_by_all(["f1", "f2"], {"q1", "q2", "q3"}) == {"q1"}
    assert cache.marks_kept_by_all([], {"q1"}) == {"q1"}
    read = []
    queries_of = AnswerCache._queries_of
    monkeypatch.setattr(AnswerCache, "_queries_of", lambda self, file: read.append(file) or queries_of(self, file))
    assert cache.marks_kept_by_all(["f3", "f1", "f2"], {"q1", "q2"}) == set() and read == ["f3"]


def test_two_processes_marking_the_same_files_at_once_both_get_every_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    AnswerCache(path).put({f"f{n}/{query}": [] for n in range(300) for query in ("q1", "q2")})
    caches = [AnswerCache(path), AnswerCache(path)]  # a connection each, as two processes have
    with ThreadPoolExecutor(max_workers=2) as both:
        found = list(both.map(lambda cache: cache.files_with_all({"q1", "q2"}), caches))
    assert found == [{f"f{n}" for n in range(300)}] * 2


def test_a_cache_that_kept_totals_whole_counts_them_anew_once(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with sqlite3.connect(path) as db:  # as version 1 kept them: each total one row of JSON
        db.execute("CREATE TABLE totals (name TEXT PRIMARY KEY, files TEXT NOT NULL, counts TEXT NOT NULL)")
        db.execute("""INSERT INTO totals VALUES ('q1', '["f1"]', '[["a", 1]]')""")
        db.execute("PRAGMA user_version = 1")
    cache = AnswerCache(path)
    assert cache.get_total("q1") is None
    cache.put_total("q1", ["f1"], Counter({("a",): 1}))
    cache.close()
    with sqlite3.connect(path) as db:
        assert "totals" not in {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert AnswerCache(path).get_total("q1") == ({"f1"}, Counter({("a",): 1}))


def test_a_totals_keys_are_read_in_batches_each_value_one_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answer_cache, "READ_KEYS", 2)
    cache = AnswerCache(tmp_path / "cache.sqlite")
    counts = Counter({("0", f"urn:doc{n % 3}", title): n + 1 for n, title in enumerate(["甲", "乙", 'a "b"', "a", "ab"])})
    cache.put_total("t", ["f1"], counts)
    cache.patch_total("t", gone=["f1"], new=["f2"], change=Counter({("0", "urn:doc0", "甲"): -1, ("1", "urn:doc9"): 2}))
    keys = list(cache.total_keys("t"))
    assert sorted(keys) == sorted((set(counts) - {("0", "urn:doc0", "甲")}) | {("1", "urn:doc9")})
    assert len(keys) == len(set(keys)) == 5  # none read twice across the five batches
    assert len({id(value) for key in keys for value in key[1:2]}) == 4  # urn:doc0, 1, 2 and 9: one string each
