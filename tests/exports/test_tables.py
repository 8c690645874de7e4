import csv
from pathlib import Path

from policykg.exports.tables import TABLES, shaped_rows, table_rows
from policykg.graph.store import STORE_DIR, PolicyStore


def _csv_rows(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


def assert_tables_are_the_store_queried_whole(out: Path) -> None:
    store = PolicyStore.open_read_only(out / STORE_DIR)
    for table in TABLES:
        assert _csv_rows(out, table) == table_rows(store, table), table


def test_tables_written_file_by_file_are_the_whole_store_queried_at_once(seeds_built: Path) -> None:
    assert_tables_are_the_store_queried_whole(seeds_built)
    assert all(_csv_rows(seeds_built, table) for table in TABLES)


def test_rows_are_sorted_by_file_part_and_position_with_lists_sorted_and_formulas_inert() -> None:
    row = ("b.txt", "1", "=开发区", "zone", "乙;甲", "")
    rows = shaped_rows("zones", [row, ("a.txt", "10", "园区", "z", "", "乙;丙"), ("a.txt", "9", "园", "z", "", "")])
    assert [r[:2] for r in rows] == [["a.txt", "9"], ["a.txt", "10"], ["b.txt", "1"]]
    assert rows[1][5] == "丙;乙" and rows[2][2:5] == ["'=开发区", "zone", "乙;甲"]
