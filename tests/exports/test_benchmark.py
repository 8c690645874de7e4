"""The benchmark's measurements on a small synthetic corpus: each reports what it claims to."""
from __future__ import annotations

import importlib.util
import json
import resource
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from policykg.exports import formatting
from policykg.exports.benchmark import (STAGE_NAMES, _chunks_of_lines, _command_run, _cpu_seconds, _latencies,
                                        _lines_from_the_end, compile_policykg, each_query_apart, main, markdown,
                                        measure_analyses, measure_build, measure_queries, measure_refresh,
                                        measure_stages, measure_store_writes, measure_update, measure_workers,
                                        query_parameters, query_samples, run_phase, traces_table)
from policykg.graph.identity import file_iri
from policykg.graph.library import list_queries
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.loaders.synthetic import CorpusPlan, write_corpus
from tests.conftest import SEEDS, kept_in_memory


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    write_corpus(CorpusPlan.from_seeds(SEEDS, 12, seed=5), folder / "corpus")
    write_corpus(CorpusPlan.from_seeds(SEEDS, 1, seed=6), folder / "extra")
    return folder


@pytest.fixture(scope="module")
def built(work: Path) -> dict:
    return measure_build(work / "corpus", work / "out", workers=1)


def test_the_build_reports_its_parts_and_its_store(built: dict) -> None:
    assert built["documents"] == 12 and built["failed"] == 0
    assert built["wall_s"] == pytest.approx(built["load_s"] + built["exports_s"])
    assert built["triples"] > 10_000 and built["peak_mb"] > 50 and built["cpu_s"] > 0
    assert built["store_mb"] > built["bodies_mb"] > 0 and built["cache_mb"] > 0


def test_every_library_query_is_timed_and_finds_the_corpus_own_values(work: Path, built: dict) -> None:
    results = measure_queries(work / "out", work / "corpus", repeats=3)
    samples = query_samples(work / "corpus")
    scoped = {"measures-of-agency with jurisdiction", "measures-without-owner with jurisdiction", "targets with jurisdiction",
              "targets-of-agency with jurisdiction"}
    assert set(results) == set(samples) == {q.name for q in list_queries()} | scoped
    for name in ("measures-of-agency", "measures-of-agency with jurisdiction", "agencies-of-measure", "lineage-paths",
                 "documents-implementing", "zones-by-industry", "measures-without-owner", "zone-mentions", "targets",
                 "targets-of-agency"):
        assert results[name]["rows"] > 0, name
    assert all(r["p95_ms"] >= r["median_ms"] > 0 and r["runs"] == 3 for r in results.values())
    # the jurisdiction narrows: to one agency of the name, to one place's documents; fewer rows
    assert set(samples["measures-of-agency with jurisdiction"][1]) == {"agency", "jurisdiction"}
    assert set(samples["measures-of-agency"][1]) == {"agency"}
    assert set(samples["measures-without-owner with jurisdiction"][1]) == {"jurisdiction"}
    assert not samples["measures-without-owner"][1]
    for name in ("measures-of-agency", "measures-without-owner", "targets", "targets-of-agency"):
        assert results[f"{name} with jurisdiction"]["rows"] <= results[name]["rows"]


def test_the_query_parameters_are_the_last_document_of_the_corpus(work: Path) -> None:
    lines = (work / "corpus" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    documents = [document for line in lines for document in json.loads(line)["documents"]]
    zoned = next(document for document in reversed(documents) if document["zones"])
    parameters = query_parameters(work / "corpus")
    assert parameters["lineage-paths"] == {"document": documents[-1]["title"]}
    assert parameters["measures-without-owner"] == {"jurisdiction": documents[-1]["jurisdiction"]}
    assert parameters["zone-mentions"] == {"zone": zoned["zones"][0]["name"]}
    assert parameters["zones-by-industry"] == {"industry": zoned["zones"][0]["industries"][0]}


def test_the_lines_of_a_file_are_read_from_its_end_in_blocks_of_any_size(tmp_path: Path) -> None:
    path = tmp_path / "truth.jsonl"
    path.write_bytes("\n".join(json.dumps({"n": n, "名": "园" * n}, ensure_ascii=False) for n in range(40)).encode())
    expected = path.read_bytes().split(b"\n")[::-1]
    for block in (1, 2, 7, 64, 1 << 20):
        assert list(_lines_from_the_end(path, block)) == expected, block


def test_each_query_is_timed_in_a_process_of_its_own(work: Path, built: dict) -> None:
    results = each_query_apart(work / "out", work / "corpus", repeats=2)
    assert set(results) == set(query_samples(work / "corpus"))
    assert measure_queries(work / "out", work / "corpus", 2, only="agencies-of-measure").keys() == {"agencies-of-measure"}
    assert all(r["runs"] == 2 and r["median_ms"] > 0 for r in results.values())
    assert results["agencies-of-measure"]["rows"] > 0


def test_each_trace_command_is_timed_on_the_corpus_own_values(work: Path, built: dict) -> None:
    results = run_phase("traces", out=work / "out", corpus=work / "corpus", repeats=2)
    assert set(results) == {"trace agency", "trace targets", "trace measure", "trace zone", "tree_peak_mb"}
    for label in ("trace agency", "trace targets", "trace measure", "trace zone"):
        assert results[label]["rows"] > 0 and results[label]["runs"] == 2, label
    table = "\n".join(traces_table([{"documents": 12, "traces": results}]))
    assert "| look-up | 12 docs |" in table and f"| trace zone | {results['trace zone']['median_ms']:.1f} / " in table
    assert f"| peak MB (all processes) | {results['tree_peak_mb']:,.0f} |" in table
    assert traces_table([{"documents": 12}]) == []  # a run from before traces were timed


def test_a_measurement_apart_reports_the_memory_of_its_processes_together(work: Path, built: dict) -> None:
    result = run_phase("queries", out=work / "out", corpus=work / "corpus", repeats=1, only="agencies-of-measure")
    assert result["agencies-of-measure"]["runs"] == 1 and result["tree_peak_mb"] > 5


def test_analyses_trace_a_lineage_across_levels(work: Path, built: dict) -> None:
    results = measure_analyses(work / "out", work / "corpus")
    assert results["lineage_levels"] >= 2 and results["centrality_s"] > 0
    assert results["audit_s"] > 0 and results["audit_kept_s"] > 0 and results["peak_mb"] > 0


def test_one_document_is_added_replaced_and_removed(work: Path, built: dict) -> None:
    results = measure_update(work / "out", work / "extra")
    assert set(results) == {"add_s", "replace_s", "remove_s", "add_with_exports_s", "remove_with_exports_s"}
    (name,) = [p.name for p in (work / "extra").iterdir() if p.name != "truth.jsonl"]
    graphs = PolicyStore.open_read_only(work / "out" / STORE_DIR).named_graphs()
    assert str(file_iri(name)) not in graphs and len(graphs) >= 12  # removed again; the corpus stays


def test_the_command_adds_and_removes_one_document_and_each_run_is_timed(work: Path, built: dict) -> None:
    results = measure_refresh(work / "out", work / "extra", runs=2, cold_runs=1, pause_s=0)
    assert set(results) == {"add", "remove", "cold_add", "cold_remove"}
    for key, times in results.items():
        assert set(times) == {"wall_s", "cpu_s", "read_mb"}
        runs = 1 if key.startswith("cold") else 2
        assert len(times["wall_s"]) == len(times["cpu_s"]) == len(times["read_mb"]) == runs
        assert all(cpu > 0 for cpu in times["cpu_s"]) and all(wall > 0 for wall in times["wall_s"])
        assert all(read >= 0 for read in times["read_mb"])
    if not kept_in_memory(work):  # the store's files read from storage once out of the page cache
        assert results["cold_add"]["read_mb"][0] > 0.5 and results["cold_remove"]["read_mb"][0] > 0.5
    # each removal succeeded, so each addition had added the file; the last removal took it away
    (name,) = [p.name for p in (work / "extra").iterdir() if p.name != "truth.jsonl"]
    assert str(file_iri(name)) not in PolicyStore.open_read_only(work / "out" / STORE_DIR).named_graphs()
    with pytest.raises(RuntimeError, match=f"policykg remove .* failed: not in the store: {name}"):
        _command_run(["remove", str(work / "out"), name])


def test_policykg_is_compiled_before_its_commands_are_timed() -> None:
    compiled = Path(importlib.util.cache_from_source(formatting.__file__))
    compiled.unlink(missing_ok=True)  # one module not compiled yet
    folders = compile_policykg()
    modules = [module for folder in folders for module in folder.rglob("*.py")]
    assert len(folders) == 4 and len(modules) > 40 and compiled.is_file()
    assert all(Path(importlib.util.cache_from_source(str(module))).stat().st_mtime >= module.stat().st_mtime
               for module in modules)


def test_one_and_two_workers_load_the_same_quads(work: Path) -> None:
    one, two = (measure_workers(work / "corpus", work, workers) for workers in (1, 2))
    assert one["digest"] == two["digest"] and one["quads"] > 10_000


def test_the_store_writes_load_every_quad_in_loads_of_the_size_asked(work: Path, built: dict) -> None:
    nquads = work / "out.nq"
    ox.Store.read_only(str(work / "out" / STORE_DIR)).dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
    lines = built["triples"]
    small, whole = (measure_store_writes(nquads, work, batch) for batch in (lines // 5, 10 * lines))
    assert small["quads"] == whole["quads"] == built["triples"]
    assert small["loads"] in (5, 6) and whole["loads"] == 1
    assert small["wall_s"] > 0 and small["cpu_s"] > 0 and small["peak_mb"] > 0
    assert small["sst_files"] >= whole["sst_files"] > 0


def test_the_cpu_of_processes_started_and_waited_for_is_counted() -> None:
    before = _cpu_seconds(resource.RUSAGE_CHILDREN)
    burn = "import time\nwhile time.process_time() < 0.3: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)
    assert _cpu_seconds(resource.RUSAGE_CHILDREN) - before >= 0.3
    assert _cpu_seconds(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) > _cpu_seconds(resource.RUSAGE_CHILDREN)


def test_each_stage_of_a_load_is_timed_on_the_files_asked(work: Path) -> None:
    stages = measure_stages(work / "corpus", work, files=4)
    assert stages["files"] == 4 and 1 <= stages["parsed"] <= 4 and stages["mb"] > 0
    assert list(stages["cpu_s"]) == list(STAGE_NAMES) and all(cpu > 0 for cpu in stages["cpu_s"].values())
    assert stages["quads"] > 1_000 and not (work / "stages-store").exists()


def test_the_stages_command_keeps_each_stage_best_run(work: Path) -> None:
    done = CliRunner().invoke(main, ["stages", str(work / "corpus"), "--files", "2", "--runs", "2",
                                     "--work", str(work / "stages")])
    assert done.exit_code == 0, done.output
    assert "| stage | CPU s, best of 2 | CPU s per MB | share |" in done.output
    assert all(f"| {name} |" in done.output for name in STAGE_NAMES.values()) and "| the load |" in done.output
    assert "2 files (2 read)" in done.output and "MB/s." in done.output


def test_a_run_is_reported_again_from_its_results(work: Path, built: dict) -> None:
    results = {"machine": {"cpu": "cpu", "cores": "2", "memory_gib": "8", "python": "3", "pyoxigraph": "0",
                           "rdflib": "7"},
               "sizes": [{"documents": 12, "mb": 0.2, "build": built, "queries": {}, "analyses": {
                   "centrality_s": 0.1, "lineage_s": 0.1, "audit_s": 2.0, "audit_kept_s": 0.5, "peak_mb": 99}}]}
    (work / "results.json").write_text(json.dumps(results), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", "--work", str(work)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == markdown(results)
    assert f"| {built['cpu_s'] / 0.2:.2f} |" in done.output  # the build's CPU per MB of source
    results["sizes"][0]["build"] = {k: v for k, v in built.items() if k != "cpu_s"}  # a run from before it was measured
    assert "| 12 | 0.2 |" in markdown(results) and "| - |" in markdown(results)


def test_the_text_is_cut_in_pieces_of_the_lines_asked(tmp_path: Path) -> None:
    path = tmp_path / "lines.nq"
    path.write_text("一二三\n四五\n六\n七八九十", encoding="utf-8")
    assert list(_chunks_of_lines(path, 3)) == ["一二三\n四五\n六\n", "七八九十"]
    assert list(_chunks_of_lines(path, 1)) == ["一二三\n", "四五\n", "六\n", "七八九十"]


def test_the_store_writes_command_gives_each_size_its_runs(work: Path, built: dict) -> None:
    done = CliRunner().invoke(main, ["store-writes", str(work / "out"), "--work", str(work / "writes"),
                                     "--batches", "1000,10000", "--rounds", "2"])
    assert done.exit_code == 0, done.output
    rows = [line for line in done.output.splitlines() if line.startswith("| 1")]
    assert [row.split(" | ")[0] for row in rows] == ["| 1,000", "| 10,000"]
    assert all(row.count(", ") == 4 for row in rows)  # two runs each of wall, CPU, peak and SST files
    assert not (work / "writes" / "store-writes.nq").exists()


def test_the_report_is_a_markdown_table(work: Path, built: dict) -> None:
    size = {"documents": 12, "mb": 0.2, "build": built,
            "queries": measure_queries(work / "out", work / "corpus", repeats=2),
            "analyses": {"centrality_s": 0.1, "lineage_s": 0.1, "audit_s": 2.0, "audit_kept_s": 0.5, "peak_mb": 99},
            "rdflib": {"load_s": 1.0, "peak_mb": 100, "queries": {
                "measures-of-agency": {"rows": 0, "runs": 0, "capped_s": 600.0},
                "agencies-of-measure": {"rows": 3, "runs": 2, "median_ms": 40.0, "p95_ms": 50.0}}}}
    size["queries"]["measures-of-agency"]["median_ms"] = 100.0
    size["queries"]["agencies-of-measure"]["median_ms"] = 2.0
    refresh = {"add": {"wall_s": [1.5, 0.5], "cpu_s": [2.0, 1.0]}, "remove": {"wall_s": [0.4], "cpu_s": [0.6]},
               "tree_peak_mb": 120.5}  # as run_phase reports every phase
    report = markdown({"machine": {"cpu": "cpu", "cores": "2", "memory_gib": "8", "python": "3", "pyoxigraph": "0",
                                   "rdflib": "7"}, "sizes": [size], "refresh": {"12": refresh}})
    assert "| 12 | 0.2 |" in report and "measures-of-agency (auditor)" in report
    assert "| 12 | 0.1 | 0.1 | 2.0 (0.5) | 99 |" in report
    assert "measures-of-agency with jurisdiction (auditor)" in report
    assert "rdflib stopped after 600 s: over 6000x" in report and "rdflib 40 / 50 (2 runs): 20x" in report
    assert "12-document store, 2 runs each: added 1.00 s (0.50 to 1.50; CPU 1.50 s), removed 0.40 s" in report
    assert f"the full build they spare took {built['wall_s']:.1f} s" in report
    # each target's verdict leads, measured where this run's sizes allow
    verdicts = report[report.index("Against the targets:"):report.index("| documents |")]
    most = max(built["peak_mb"], 99, 120.5)  # the build's, the analyses' or the refreshes'
    assert f"| peak memory ≤ 2 GB (1,907 MB) whatever the corpus size | {most:,.0f} MB (" in verdicts
    assert "| 10,000 documents built end to end at ≥ 3 MB/s | not measured: no corpus of 10,000 documents" in verdicts


def test_a_baseline_query_past_its_cap_is_stopped_and_reported_as_such() -> None:
    def endless() -> list:
        while True:
            pass

    assert _latencies(endless, repeats=5, cap_s=0.2) == {"rows": 0, "runs": 0, "capped_s": 0.2}
    quick = _latencies(lambda: [1, 2], repeats=5, cap_s=5)
    assert quick["runs"] == 5 and quick["rows"] == 2
