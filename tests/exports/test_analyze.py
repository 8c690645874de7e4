import json
from pathlib import Path

from click.testing import CliRunner

from policykg.exports.cli import main


def test_centrality_within_a_jurisdiction(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "centrality", "--jurisdiction", "武汉市",
                                       "--top", "1", "--format", "json"])
    (row,) = json.loads(result.output.split("note:")[0])
    assert row["name"] == "市发改委" and row["measures"] == 25 and row["jurisdiction"] == "武汉市"


def test_lineage_of_a_document_by_its_number(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "lineage", "武政〔2018〕35号", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["number"] for r in rows if r["relation"] == "chain"] == ["国办发〔2017〕7号", "鄂政发〔2017〕50号", "武政〔2018〕35号"]


def test_lineage_of_an_unknown_document_is_a_message(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "lineage", "不存在的文件"])
    assert result.exit_code == 2 and "no document matches" in result.output


def test_orphans_lists_unowned_measures(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "orphans", "--format", "csv"])
    assert sum(1 for line in result.output.splitlines() if line.startswith("no owner,")) == 103
