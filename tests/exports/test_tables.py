import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from policykg.exports.build import build, remove
from policykg.exports.tables import LAYOUT_FILE, RENAMINGS_CSV, TABLES, RangeCopier, shaped_rows, table_rows
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.loaders.pipeline import read_source_file

SEEDS = Path(__file__).parents[2] / "seeds"


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


def test_the_targets_table_holds_every_target_the_loaders_found_at_its_place(seeds_built: Path) -> None:
    columns = TABLES["targets"][0]
    rows = [dict(zip(columns, row)) for row in _csv_rows(seeds_built, "targets")]
    found = [(source.name, str(document.part), t.indicator, t.comparison, t.amount, t.unit, t.deadline, str(t.year or ""),
              str(t.aspirational).lower(), str(t.span.start), str(t.span.end))
             for source in map(read_source_file, sorted(SEEDS.iterdir())) for document in source.documents
             for t in document.targets]
    assert len(found) >= 100 and any(not row["deadline"] for row in rows) and sorted(found) == sorted(
        tuple(row[c] for c in ("source_file", "part", "indicator", "comparison", "amount", "unit", "deadline", "target_year",
                               "aspirational", "char_start", "char_end")) for row in rows)
    in_measures = [row for row in rows if row["measure_id"]]
    assert in_measures and {row["measure_id"] for row in in_measures} <= {row[2] for row in _csv_rows(seeds_built, "measures")}


def test_rows_are_sorted_by_file_part_and_position_with_lists_sorted_and_formulas_inert() -> None:
    row = ("b.txt", "1", "=开发区", "zone", "乙;甲", "", "3", "6")
    rows = shaped_rows("zones", [row, ("a.txt", "10", "园区", "z", "", "乙;丙", "40", "42"),
                                 ("a.txt", "9", "园", "z", "", "", "30", "31"), ("a.txt", "10", "区", "z", "", "", "9", "10")])
    assert [r[:2] + r[6:7] for r in rows] == [["a.txt", "9", "30"], ["a.txt", "10", "9"], ["a.txt", "10", "40"],
                                              ["b.txt", "1", "3"]]
    assert rows[2][5] == "丙;乙" and rows[3][2:5] == ["'=开发区", "zone", "乙;甲"]


def _build_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before_refresh=lambda out: None
                   ) -> tuple[Path, Counter[str]]:
    """Build the seeds, change one file, call ``before_refresh``, build the file again; the output
    folder and how many bytes of each table were copied from the tables before."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    build([corpus], out)
    changed = corpus / "000_7de621c7132f9bb7.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("准确把握功能定位", "准确把握功能"), encoding="utf-8")
    before_refresh(out)
    copied: Counter[str] = Counter()
    copy = RangeCopier.copy

    def counted(self: RangeCopier, offset: int, length: int) -> None:
        copied[Path(self.target.name).stem] += length
        copy(self, offset, length)

    monkeypatch.setattr(RangeCopier, "copy", counted)
    build([changed], out)
    return out, copied


def test_a_refresh_copies_the_rows_of_unchanged_files_from_the_tables_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_built: Path) -> None:
    out, copied = _build_changed(tmp_path, monkeypatch)
    assert_tables_are_the_store_queried_whole(out)
    sizes = sum((out / f"{table}.csv").stat().st_size for table in TABLES)
    assert sizes / 2 < copied.total() < sizes  # four files of five copied, the changed one written
    layouts = json.loads((out / LAYOUT_FILE).read_text(encoding="utf-8"))
    assert set(layouts) == set(TABLES) and all(len(layout["files"]) == 5 for layout in layouts.values())


def test_a_table_changed_since_it_was_written_is_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(out: Path) -> None:
        path = out / "measures.csv"  # an unchanged file's rows edited, the size kept: only the time tells
        path.write_bytes(path.read_bytes().replace(b"004_aa0a9f9876963823.txt", b"004_aa0a9f9876963823.TXT", 1))
        (out / "zones.csv").unlink()

    out, copied = _build_changed(tmp_path, monkeypatch, edit)
    assert_tables_are_the_store_queried_whole(out)
    assert copied["zones"] == 0 and copied["measures"] == 0  # the table changed and the table gone: written whole
    assert copied["responsibilities"] > 0  # the tables left alone were still copied from


def test_the_rows_of_a_table_rendered_another_way_are_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def as_rendered_before_another_way(out: Path) -> None:
        layouts = json.loads((out / LAYOUT_FILE).read_text(encoding="utf-8"))
        layouts["measures"]["rendering"] = "csv, 0"
        (out / LAYOUT_FILE).write_text(json.dumps(layouts), encoding="utf-8")

    out, copied = _build_changed(tmp_path, monkeypatch, as_rendered_before_another_way)
    assert_tables_are_the_store_queried_whole(out)
    rendered = json.loads((out / LAYOUT_FILE).read_text(encoding="utf-8"))
    assert rendered["measures"]["rendering"] != "csv, 0"
    assert copied["measures"] == 0 and copied.keys() == set(TABLES) - {"measures"}


def test_ranges_are_copied_between_written_bytes_and_a_source_shorter_than_said_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "before.csv").write_bytes("表头\r\n甲,1\r\n乙,2\r\n丙,3\r\n".encode("utf-8"))
    with (tmp_path / "before.csv").open("rb") as source, (tmp_path / "after.csv").open("wb") as target:
        copier = RangeCopier(source, target)
        copier.write("表头\r\n".encode("utf-8"))
        copier.copy(8, 7)  # 甲,1 and 乙,2: one range
        copier.copy(15, 7)
        copier.write("丁,4\r\n".encode("utf-8"))
        copier.flush()
        assert copier.position == target.tell()
    assert (tmp_path / "after.csv").read_bytes().decode("utf-8") == "表头\r\n甲,1\r\n乙,2\r\n丁,4\r\n"
    with (tmp_path / "before.csv").open("rb") as source, (tmp_path / "short.csv").open("wb") as target:
        copier = RangeCopier(source, target)
        copier.copy(20, 100)
        with pytest.raises(OSError, match="before.csv: not as its layout says"):
            copier.flush()


def test_the_renamings_table_gives_each_renaming_with_the_agencies_and_measures_the_responsibilities_give(
        seeds_built: Path) -> None:
    """Wuhan's six renamings: each agency by the IRI responsibilities.csv gives it, and its measures
    counted there."""
    with (seeds_built / RENAMINGS_CSV).open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == ["jurisdiction", "before", "before_id", "after", "after_id", "measures_before", "measures_after",
                      "reform"]
    assert len(rows) == 6 and {row[0] for row in rows} == {"武汉市"} and {row[7] for row in rows} == {"2018 机构改革"}
    assert ["武汉市", "市国土规划局", "市自然资源规划局", "3", "3"] == [
        rows[0][0], rows[0][1], rows[0][3], rows[0][5], rows[0][6]]
    owned: dict[str, set[tuple[str, ...]]] = {}
    for row in _csv_rows(seeds_built, "responsibilities"):  # source_file, part, _, measure_id, …, agency_id
        owned.setdefault(row[6], set()).add((row[0], row[1], row[3]))
    assert [(int(row[5]), int(row[6])) for row in rows] == [
        (len(owned.get(row[2], ())), len(owned.get(row[4], ()))) for row in rows]


def test_the_renamings_table_follows_the_files_a_refresh_takes_off(tmp_path: Path) -> None:
    """Wuhan's 2018 opinion names the agencies before the reform, the compilation's Wuhan plans those
    after it: without the compilation, no renaming is left to state."""
    out = tmp_path / "out"
    build([SEEDS], out)
    assert len((out / RENAMINGS_CSV).read_text(encoding="utf-8-sig").splitlines()) == 7
    remove(out, ["002_3963f5b69747dc62.txt"])
    assert (out / RENAMINGS_CSV).read_text(encoding="utf-8-sig").splitlines()[1:] == []
