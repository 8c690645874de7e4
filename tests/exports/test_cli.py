import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.exports.cli import main

from ..conftest import GOLD, SEEDS

PREFIX = "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"


def test_build_summarises_and_fails_on_a_bad_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_bytes((SEEDS / "000_7de621c7132f9bb7.txt").read_bytes())
    (corpus / "broken.txt").write_bytes(b"PK\x03\x04 not text")
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "failed: broken.txt: the file is a damaged ZIP archive, not a readable Word document" in result.output
    assert "1 documents, 16 measures, 70 responsibilities" in result.output
    assert (tmp_path / "out" / "measures.csv").exists()


def test_the_command_loads_the_modules_of_each_command_only_when_it_runs() -> None:
    """Nor does a build's parsing process, which imports the command's module again when spawned."""
    commands = ["policykg.exports.analyze", "policykg.exports.build", "policykg.exports.evaluate",
                "policykg.exports.networks", "policykg.exports.push", "policykg.exports.query", "policykg.exports.rdf_files",
                "policykg.exports.serve", "policykg.exports.tables", "policykg.exports.trace", "policykg.exports.views",
                "policykg.graph.store", "policykg.loaders.docx", "networkx", "pdfminer", "pyvis", "jinja2"]
    script = f"import sys, policykg.exports.cli; print([m for m in {commands!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
    script = f"import sys, policykg.exports.analyze; print([m for m in {commands!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "'policykg.exports.analyze'" in loaded.stdout and "'networkx'" in loaded.stdout  # the check sees modules loaded


def test_a_command_leaves_what_was_alive_at_its_start_to_the_collector_alone(seeds_built: Path) -> None:
    gc.unfreeze()
    alive = ["as an import would leave"]
    assert any(o is alive for o in gc.get_objects())
    try:
        assert CliRunner().invoke(main, ["query", str(seeds_built), "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"]).exit_code == 0
        assert gc.get_freeze_count() > 0 and not any(o is alive for o in gc.get_objects())  # frozen: not walked
    finally:
        gc.unfreeze()


def test_query_prints_a_table_csv_or_json(seeds_built: Path, tmp_path: Path) -> None:
    query = PREFIX + "SELECT ?id WHERE { ?m pkg:measureId ?id } ORDER BY ?id LIMIT 2"
    table = CliRunner().invoke(main, ["query", str(seeds_built), query])
    assert table.exit_code == 0 and "(2 rows)" in table.output
    rq = tmp_path / "count.rq"
    rq.write_text(PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a pkg:Measure }", encoding="utf-8")
    as_json = CliRunner().invoke(main, ["query", str(seeds_built), str(rq), "--format", "json"])
    assert json.loads(as_json.output) == [{"n": "269"}]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_a_query_file_saved_as_editors_on_chinese_windows_save_it_runs(seeds_built: Path, tmp_path: Path,
                                                                        encoding: str) -> None:
    rq = tmp_path / "agency.rq"
    rq.write_text('SELECT (COUNT(*) AS ?n) WHERE { ?a ?p "市发展改革委" }', encoding=encoding)
    result = CliRunner().invoke(main, ["query", str(seeds_built), str(rq), "--format", "json"])
    assert result.exit_code == 0 and int(json.loads(result.output)[0]["n"]) > 0, result.output


def test_query_errors_are_messages_not_tracebacks(seeds_built: Path, tmp_path: Path) -> None:
    bad = CliRunner().invoke(main, ["query", str(seeds_built), "SELEC nothing"])
    assert bad.exit_code == 2 and "invalid SPARQL" in bad.output
    empty = CliRunner().invoke(main, ["query", str(tmp_path), "SELECT * WHERE {}"])
    assert empty.exit_code == 2 and "no store here" in empty.output
    named = CliRunner().invoke(main, ["query", str(seeds_built), "measures-of-agency"])
    assert named.exit_code == 2 and "run it with --named measures-of-agency" in named.output
    assert "(parameters: agency, [jurisdiction])" in named.output
    (tmp_path / "garbled.rq").write_bytes(b'SELECT * WHERE { ?s ?p "\xff\xfe\xfd\xfa" }')
    garbled = CliRunner().invoke(main, ["query", str(seeds_built), str(tmp_path / "garbled.rq")])
    assert garbled.exit_code == 2 and f"error: {tmp_path / 'garbled.rq'}: the bytes are not valid UTF-8" in garbled.output


def test_a_damaged_store_is_an_error_naming_it_in_every_command(seeds_built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_built, out)
    damaged = sorted((out / "store").glob("*.sst"))[0]
    damaged.write_bytes(damaged.read_bytes()[:100])
    for command in (["query", str(out), "SELECT * WHERE { ?s ?p ?o } LIMIT 1"], ["trace", str(out), "zone", "东湖"],
                    ["remove", str(out), "000_7de621c7132f9bb7.txt"],
                    ["build", str(SEEDS / "000_7de621c7132f9bb7.txt"), "--out", str(out)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and f"{out / 'store'}: cannot open the store: Corruption" in result.output, command


def test_evaluate_command(seeds_built: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(GOLD), str(seeds_built), "--json"])
    figures = json.loads(result.output)
    assert figures["measures_f1"] == 1.0 and figures["citations_f1"] == 1.0
    (tmp_path / "a.json").write_text("[]", encoding="utf-8")
    bad = CliRunner().invoke(main, ["evaluate", "--gold", str(tmp_path), str(seeds_built)])
    assert (bad.exit_code, bad.output) == (2, f"error: {tmp_path / 'a.json'}: not a JSON object (one gold document "
                                              "per file)\n")


@pytest.mark.parametrize("command, name", [(["export"], "graph.ttl"), (["network", "lineage"], "lineage.graphml"),
                                           (["viz", "lineage"], "lineage.html")])
def test_an_output_file_that_cannot_be_written_is_an_error_naming_it(seeds_built: Path, tmp_path: Path,
                                                                     command: list[str], name: str) -> None:
    path = tmp_path / "no such folder" / name
    result = CliRunner().invoke(main, [command[0], str(seeds_built), *command[1:], "-o", str(path)])
    assert result.exit_code == 2
    assert f"error: {path}: cannot be written (No such file or directory" in result.output


def test_a_build_into_a_folder_that_cannot_be_made_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("", encoding="utf-8")
    out = tmp_path / "a file" / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS / "000_7de621c7132f9bb7.txt"), "--out", str(out)])
    assert result.exit_code == 2
    assert f"error: {out}: cannot be written (Not a directory)" in result.output


def test_files_named_in_gbk_are_built_named_as_written_and_removed_by_path(tmp_path: Path) -> None:
    """Archives made on Chinese Windows name their files in GBK: on Linux the names are bytes that
    are not UTF-8, which once stopped the build at its load report, and the removal at its message."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    folder = Path(os.fsdecode(bytes(corpus) + "/广东".encode("gbk")))
    plan = folder / os.fsdecode("政策.txt".encode("gbk"))
    try:
        folder.mkdir(parents=True)
    except OSError:
        pytest.skip("the file system takes only UTF-8 names")
    shutil.copy(SEEDS / "000_7de621c7132f9bb7.txt", plan)
    shutil.copy(SEEDS / "001_90d5fc22205fdc35.txt", corpus / os.fsdecode(b"\xff.txt"))
    command = [sys.executable, "-m", "policykg.exports.cli"]
    built = subprocess.run([*command, "build", str(corpus), "--out", str(out)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    report = (out / "load-report.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[:2] for line in report[1:]] == [["\\xff.txt", "loaded"], ["广东/政策.txt", "loaded"]]
    removed = subprocess.run([*command, "remove", str(out), str(plan)], capture_output=True, text=True)
    assert (removed.returncode, removed.stdout) == (0, f"removed: {corpus}/广东/政策.txt\n"), removed.stderr
    assert [row.split(",")[0] for row in (out / "documents.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
            ] == ["\\xff.txt"]


@pytest.mark.parametrize("command", [["analyze", "{out}", "centrality", "--top", "-1"],
                                     ["viz", "{out}", "zones", "-o", "{out}/v.html", "--max-nodes", "0"],
                                     ["serve", "{out}", "--port", "70000"], ["serve", "{out}", "--timeout", "0"],
                                     ["build", "{out}", "--out", "{out}", "--max-file-mb", "0"]])
def test_a_number_out_of_its_range_is_a_usage_error(seeds_built: Path, command: list[str]) -> None:
    """Before, --top -1 left the last agency out and --max-nodes 0 wrote a view of nothing."""
    result = CliRunner().invoke(main, [part.format(out=seeds_built) for part in command])
    assert result.exit_code == 2 and "is not in the range" in result.output
