import csv
import json
from pathlib import Path

from click.testing import CliRunner

from policykg.exports.cli import main
from policykg.loaders.script import opencc_converter


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_agency_by_any_written_form_with_its_clause(seeds_built: Path) -> None:
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "agency", "市发展和改革委员会", "--format", "json"]))
    wuhan = [r for r in rows if r["jurisdiction"] == "武汉市"]
    assert len(wuhan) == 25  # no repeats, though the agency is written in two files
    first = wuhan[0]
    original = (Path(__file__).parents[2] / "seeds" / first["file"]).read_text(encoding="utf-8")
    assert original[first["char_start"]:first["char_end"]] == first["agency"]
    assert first["agency"] in first["clause"] and first["clause"].startswith("(责任单位:")


def test_an_agency_is_traced_through_the_reform_that_renamed_it(seeds_built: Path) -> None:
    """The 2018 Wuhan plan gives measures to 市国土规划局, a later Wuhan plan to 市自然资源规划局, its
    successor: each is traced with the other's measures, marked; an agency of another place is not."""
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "agency", "市自然资源规划局", "--format", "json"]))
    owners = {(r["agency"], r["jurisdiction"], r["via"]) for r in rows}
    assert owners == {("市自然资源规划局", "武汉市", ""), ("市国土规划局", "武汉市", "predecessor (2018 机构改革)")}
    assert {(r["doc_number"], r["measure_id"]) for r in rows if r["via"]} == {
        ("武政〔2018〕35号", "一.(一)"), ("武政〔2018〕35号", "二.(四)"), ("武政〔2018〕35号", "二.(五)")}
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "agency", "市质监局", "--format", "json"]))
    assert {(r["agency"], r["via"]) for r in rows} == {("市质监局", ""), ("市市场监管局", "successor (2018 机构改革)")}
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "agency", "区国土局", "--format", "json"]))
    assert {(r["agency"], r["jurisdiction"], r["via"]) for r in rows} == {("区国土局", "凉州区", "")}


def test_the_targets_an_agency_answers_for_are_those_its_measures_set(seeds_built: Path) -> None:
    """Wuhan's 市市场监管局 owns 二.(二).1 and 二.(二).2 of the first plan in the traditional compilation,
    which set four targets by 2025; 市质监局, the agency the reform merged into it, answers for them too."""
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "targets", "市市场监管局", "--format", "json"]))
    assert {(r["measure_id"], r["indicator"], r["comparison"], r["amount"], r["unit"]) for r in rows} == {
        ("二.(二).1", "东湖高新区市场主体数量", "atLeast", "20", "万家"),
        ("二.(二).2", "东湖高新区高新技术企业数量", "atLeast", "10000", "家"),
        ("二.(二).2", "瞪羚企业数量", "reach", "2", "倍"),
        ("二.(二).2", "上市企业数量", "reach", "100", "家")}
    assert {(r["jurisdiction"], r["role"], r["deadline"], r["target_year"], r["aspirational"], r["via"])
            for r in rows} == {("武汉市", "responsible", "2025年", "2025", "true", "")}
    for row in rows:
        original = (Path(__file__).parents[2] / "seeds" / row["file"]).read_text(encoding="utf-8")
        written = opencc_converter("tw2sp").convert(original[row["char_start"]:row["char_end"]])
        assert written.startswith(row["indicator"]) and written in row["sentence"]
    merged = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "targets", "市质监局", "--format", "json"]))
    assert [{**r, "via": ""} for r in merged] == rows
    assert {r["via"] for r in merged} == {"successor (2018 机构改革)"}


def test_an_agencys_targets_are_the_targets_table_joined_to_its_measures(seeds_built: Path) -> None:
    """What the trace gives is what the tables say: the targets set by the measures the agency owns."""
    owned = {(r["source_file"], r["part"], r["measure_id"]) for r in _table(seeds_built, "responsibilities")
             if r["agency_name"] == "市科技局"}
    expected = sorted((r["source_file"], r["measure_id"], r["indicator"], int(r["char_start"]))
                      for r in _table(seeds_built, "targets") if (r["source_file"], r["part"], r["measure_id"]) in owned)
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "targets", "市科技局", "--format", "json"]))
    assert len(expected) > 5
    assert sorted((r["file"], r["measure_id"], r["indicator"], r["char_start"]) for r in rows if not r["via"]) == expected


def _table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_measures_owners_are_named_as_the_reform_renamed_them(seeds_built: Path) -> None:
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "measure", "武政〔2018〕35号", "一.(一)",
                                           "--format", "json"]))
    renamed = {r["agency"]: r["renamed"] for r in rows if r["order"] != ""}
    assert renamed["市国土规划局"] == "市自然资源规划局 (2018 机构改革)" and renamed["市环保局"] == "市生态环境局 (2018 机构改革)"
    assert renamed["市发展改革委"] == "" and renamed["各区人民政府"] == ""  # names the reform left
    assert rows[0]["renamed"] == ""  # the measure's own row


def test_measure_owners_in_order(seeds_built: Path) -> None:
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "measure", "关于深入推进开发区建设的实施方案", "三",
                                           "--format", "json"]))
    owners = [(r["agency"], r["role"]) for r in rows if r["order"] != ""]
    assert owners[:3] == [("各工业园区", "implementer"), ("区发改局", "lead"), ("区工信局", "lead")]
    assert rows[0]["clause"].startswith("三、责任分工")


def test_zone_by_alias_where_each_document_names_it(seeds_built: Path) -> None:
    rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "zone", "东湖高新区", "--format", "json"]))
    assert {r["zone"] for r in rows} == {"武汉东湖高新区"} and len(rows) == 3
    assert {r["as_written"] for r in rows} == {"武汉东湖新技术开发区"}
    for row in rows:
        original = (Path(__file__).parents[2] / "seeds" / row["file"]).read_text(encoding="utf-8")
        read = opencc_converter("tw2sp").convert(original[row["char_start"]:row["char_end"]])  # as the document was
        assert read in [row["as_written"], *row["aliases"].split("、")]


def test_a_zone_written_two_ways_is_found_by_either(seeds_built: Path) -> None:
    for name in ("福州高新区", "福州高新技术产业开发区"):
        rows = _json(CliRunner().invoke(main, ["trace", str(seeds_built), "zone", name, "--format", "json"]))
        assert [(r["zone"], r["as_written"]) for r in rows] == [("福州高新区", "福州高新区"),
                                                                ("福州高新区", "福州高新技术产业开发区")]


def test_unknown_names_get_suggestions(seeds_built: Path) -> None:
    for command in ("agency", "targets"):
        result = CliRunner().invoke(main, ["trace", str(seeds_built), command, "市发改局"])
        assert result.exit_code == 2 and "closest:" in result.output and "市发改委" in result.output
    result = CliRunner().invoke(main, ["trace", str(seeds_built), "measure", "武政〔2018〕35号", "九.(九)"])
    assert result.exit_code == 2 and "closest: 四.(四)" in result.output
