import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.exports.analyze import centrality_table, lineage_table
from policykg.exports.cli import main
from policykg.exports.query import open_built_answers, open_built_store
from policykg.graph.analysis import lineage
from policykg.graph.filewise import FileAnswers
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.graph.views import citation_graph


def test_centrality_within_a_jurisdiction(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "centrality", "--jurisdiction", "武汉市",
                                       "--top", "1", "--format", "json"])
    (row,) = json.loads(result.output.split("note:")[0])
    assert row["name"] == "市发改委" and row["measures"] == 25 and row["jurisdiction"] == "武汉市"


def test_centrality_in_a_jurisdiction_mistyped_names_those_like_it(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "centrality", "--jurisdiction", "武汉"])
    assert result.exit_code == 0 and result.output.endswith(
        "note: no agency owns a measure in 武汉\nnote: jurisdictions whose agencies own measures: 武汉市\n")


def test_lineage_of_a_document_by_its_number(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "lineage", "武政〔2018〕35号", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["number"] for r in rows if r["relation"] == "chain"] == ["国办发〔2017〕7号", "鄂政发〔2017〕50号", "武政〔2018〕35号"]


def test_lineage_of_an_unknown_document_is_a_message(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "lineage", "不存在的文件"])
    assert result.exit_code == 2 and "no document matches" in result.output


def test_every_documents_chain_is_the_chain_of_its_lineage(seeds_built: Path) -> None:
    """The table of every loaded document's chain, made from one graph of the implemented citations,
    gives what each document's own lineage does."""
    store = open_built_store(seeds_built)
    _, rows, _ = lineage_table(store, None)
    citations = citation_graph(store)
    assert len(rows) == 13 and sum("→" in row[3] for row in rows) >= 5
    for _, relation, level, chain_text, _, node in rows:
        chain = lineage(citations, node).chain
        assert (relation, level, chain_text) == ("chain", chain[-1].level, " → ".join(s.number or s.title for s in chain))


def test_orphans_lists_unowned_measures(seeds_built: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seeds_built), "orphans", "--format", "csv"])
    assert sum(1 for line in result.output.splitlines() if line.startswith("no owner,")) == 103


@pytest.mark.parametrize("table", ["centrality", "lineage"])
def test_the_analyses_read_the_answers_a_build_kept_and_find_what_the_store_gives(
        seeds_built: Path, table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make = {"centrality": lambda source: centrality_table(source, None, None),
            "lineage": lambda source: lineage_table(source, None)}[table]
    expected = make(open_built_store(seeds_built))
    reads: list[str] = []
    from_trig = PolicyStore.from_trig.__func__
    monkeypatch.setattr(PolicyStore, "from_trig", classmethod(lambda cls, text: reads.append(text) or from_trig(cls, text)))
    answers = open_built_answers(seeds_built)
    assert isinstance(answers, FileAnswers) and make(answers) == expected and expected[1]
    assert not reads  # every file's answers were kept by the build


def test_a_folder_without_kept_answers_is_read_from_its_store(seeds_built: Path, tmp_path: Path) -> None:
    shutil.copytree(seeds_built / STORE_DIR, tmp_path / STORE_DIR)
    assert isinstance(open_built_answers(tmp_path), PolicyStore)
