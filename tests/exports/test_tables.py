import csv
import shutil
from pathlib import Path

import pytest

from policykg.exports import tables
from policykg.exports.build import TABLES_CACHE, build, remove
from policykg.exports.tables import TABLES, table_rows, write_tables
from policykg.graph.store import STORE_DIR, PolicyStore

from ..conftest import SEEDS

CHANGED = "000_7de621c7132f9bb7.txt"


def _csv_rows(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


def _assert_tables_are_the_store_queried_whole(out: Path) -> None:
    store = PolicyStore.open_read_only(out / STORE_DIR)
    for table in TABLES:
        assert _csv_rows(out, table) == table_rows(store, table), table


def test_tables_written_file_by_file_are_the_whole_store_queried_at_once(seeds_built: Path) -> None:
    _assert_tables_are_the_store_queried_whole(seeds_built)
    assert all(_csv_rows(seeds_built, table) for table in TABLES)


def test_a_warm_cache_reads_no_graph(seeds_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    counts = write_tables(store, tmp_path, tmp_path / "cache")
    read: list[str] = []
    monkeypatch.setattr(PolicyStore, "from_trig", classmethod(lambda cls, text: read.append(text)))
    (tmp_path / "again").mkdir()
    assert write_tables(store, tmp_path / "again", tmp_path / "cache") == counts and not read
    for table in TABLES:
        assert (tmp_path / "again" / f"{table}.csv").read_bytes() == (tmp_path / f"{table}.csv").read_bytes()


def test_a_change_to_the_tables_code_is_a_new_cache(seeds_built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    graph = store.named_graphs()[0]
    key, _ = tables.file_tables(store, graph)
    monkeypatch.setattr(tables, "CACHE_KEY", "another version of tables.py")
    assert tables.file_tables(store, graph)[0] != key


def test_only_a_changed_file_gets_a_new_entry_and_a_removed_one_loses_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS], out)
    before = set((out / TABLES_CACHE).iterdir())
    assert len(before) == len(list(SEEDS.iterdir()))
    changed = tmp_path / CHANGED
    changed.write_text((SEEDS / CHANGED).read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"),
                       encoding="utf-8")
    build([changed], out)
    after = set((out / TABLES_CACHE).iterdir())
    assert len(before - after) == 1 and len(after - before) == 1
    _assert_tables_are_the_store_queried_whole(out)
    remove(out, [CHANGED])
    assert set((out / TABLES_CACHE).iterdir()) == after - (after - before)
    _assert_tables_are_the_store_queried_whole(out)


def test_a_lost_cache_is_made_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS / CHANGED], out)
    first = (out / "measures.csv").read_bytes()
    shutil.rmtree(out / TABLES_CACHE)
    remove(out, ["not-loaded.txt"])  # rewrites every export
    assert (out / "measures.csv").read_bytes() == first and list((out / TABLES_CACHE).iterdir())
