import errno
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from policykg.exports.cli import main
from policykg.exports.query import open_built_store
from policykg.graph.identity import file_iri
from policykg.graph.store import PolicyStore

READ_AS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}
DATASETS = (".nq", ".trig", ".jsonld")


def quads_read(path: Path, suffix: str) -> set[tuple]:
    """The statements rdflib reads in a file: with their graph's name where the format holds one."""
    if suffix in DATASETS:
        dataset = Dataset()
        dataset.parse(path, format=READ_AS[suffix])
        return set(dataset.quads((None, None, None, None)))
    return {(s, p, o, None) for s, p, o in Graph().parse(path, format=READ_AS[suffix])}


@pytest.fixture(scope="module")
def stored(seeds_built: Path, tmp_path_factory: pytest.TempPathFactory) -> set[tuple]:
    """Every quad of the seeds' store, as rdflib reads them from Oxigraph's N-Quads."""
    path = tmp_path_factory.mktemp("stored") / "stored.nq"
    path.write_text(open_built_store(seeds_built).dump_nquads(), encoding="utf-8")
    return quads_read(path, ".nq")


@pytest.mark.parametrize("suffix", READ_AS)
def test_the_whole_graph_is_written_in_each_format_and_read_back_the_same(seeds_built: Path, tmp_path: Path,
                                                                         stored: set[tuple], suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    result = CliRunner().invoke(main, ["export", str(seeds_built), "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("11 named graphs as ") and result.output.endswith(f" -> {path}\n")
    assert [file.name for file in tmp_path.iterdir()] == [path.name]  # the partial file moved into place
    read = quads_read(path, suffix)
    if suffix in DATASETS:
        assert read == stored
    else:  # merged: a triple several graphs hold is one
        assert read == {(s, p, o, None) for s, p, o, _ in stored} and len(read) < len(stored)
    if suffix == ".nt":  # each graph's triples in turn
        assert len(path.read_text(encoding="utf-8").splitlines()) == len(stored)


@pytest.mark.parametrize("suffix", [".trig", ".ttl"])
def test_a_source_files_graph_is_written_alone(seeds_built: Path, tmp_path: Path, stored: set[tuple],
                                               suffix: str) -> None:
    source = next(line.split(",")[0] for line in (seeds_built / "load-report.csv").read_text(encoding="utf-8-sig")
                  .splitlines()[1:] if line.startswith("001_"))
    graph = str(file_iri(source))
    own = {quad for quad in stored if str(quad[3]).startswith(graph)}  # its graph, and its links graph
    assert {str(quad[3]) for quad in own} == {graph, f"{graph}/links"}
    path = tmp_path / f"one{suffix}"
    result = CliRunner().invoke(main, ["export", str(seeds_built), "-o", str(path), "--source", source])
    assert result.exit_code == 0, result.output
    assert result.output == f"2 named graphs as {'TriG' if suffix == '.trig' else 'Turtle'} -> {path}\n"
    read = quads_read(path, suffix)
    assert read == (own if suffix == ".trig" else {(s, p, o, None) for s, p, o, _ in own})


@pytest.mark.parametrize("arguments, message", [
    (["-o", "graph.csv"], "error: graph.csv: the graph is written as .ttl, .nt, .rdf, .nq, .trig or .jsonld"),
    (["-o", "graph.ttl", "--source", "nowhere.txt"],
     "error: nowhere.txt: not in the store (the load report lists the files it holds)"),
])
def test_an_export_that_cannot_be_written_says_why_and_writes_nothing(seeds_built: Path, tmp_path: Path,
                                                                      arguments: list[str], message: str) -> None:
    arguments[1] = str(tmp_path / arguments[1])
    result = CliRunner().invoke(main, ["export", str(seeds_built), *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_an_export_cut_short_leaves_no_half_written_file(seeds_built: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def fill_the_disk(store: PolicyStore, path: Path, *_: object) -> None:
        path.write_text("@prefix pkg: <https://w3id.org/policykg/ontology#> .\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PolicyStore, "write_as", fill_the_disk)
    path = tmp_path / "graph.ttl"
    result = CliRunner().invoke(main, ["export", str(seeds_built), "-o", str(path)])
    assert result.exit_code == 2
    assert f"error: {path}: cannot be written (No space left on device)" in result.output
    assert not list(tmp_path.iterdir())
