"""The synthetic corpus: deterministic, realistic enough that the loaders read back what it wrote."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from policykg.loaders.pipeline import read_source_file
from policykg.loaders.synthetic import CorpusPlan, write_corpus
from tests.conftest import SEEDS

DOCUMENTS = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    write_corpus(CorpusPlan.from_seeds(SEEDS, DOCUMENTS, seed=11), out)
    return out


@pytest.fixture(scope="module")
def truth(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_same_seed_writes_the_same_bytes() -> None:
    first = [(f.name, f.data) for f in CorpusPlan.from_seeds(SEEDS, 25, seed=3).files()]
    again = [(f.name, f.data) for f in CorpusPlan.from_seeds(SEEDS, 25, seed=3).files()]
    other = [(f.name, f.data) for f in CorpusPlan.from_seeds(SEEDS, 25, seed=4).files()]
    assert first == again
    assert first != other


def test_the_corpus_holds_the_asked_number_of_documents(truth: list[dict]) -> None:
    assert sum(len(f["documents"]) for f in truth) == DOCUMENTS
    assert any(len(f["documents"]) > 1 for f in truth), "no compilation page"


def test_the_corpus_mixes_scripts_formats_and_encodings(corpus: Path, truth: list[dict]) -> None:
    assert any(d["traditional"] for f in truth for d in f["documents"])
    assert {f["encoding"] for f in truth} == {"utf-8", "gb18030"}
    assert {Path(f["name"]).suffix for f in truth} == {".txt", ".html"}
    assert {d["level"] for f in truth for d in f["documents"]} == {"province", "city", "county"}
    text = "".join((corpus / f["name"]).read_bytes().decode(f["encoding"]) for f in truth)
    for syntax in ("(责任单位:", "(牵头单位:", "牵头,", "负责)", "\n\n牵头单位:", "。主责单位:", "由", "的责任主体", "〔20xx〕",
                   "浏览"):
        assert syntax in text, syntax
    assert "序号\t重点任务\t牵头单位\t配合单位" in text and "<td>牵头单位</td>" in text  # task tables, in text and HTML


def test_lineage_runs_from_districts_through_cities_and_provinces_to_the_nation(truth: list[dict]) -> None:
    documents = {d["title"]: d for f in truth for d in f["documents"]}

    def depth(title: str, seen: frozenset[str] = frozenset()) -> int:
        cited = [c["title"] for c in documents[title]["citations"] if c["basis"] and c["title"] not in seen]
        return 1 + max((depth(t, seen | {title}) if t in documents else 1 for t in cited), default=0)

    assert max(depth(title) for title in documents) >= 4  # district → city → province → national


def test_the_loaders_read_back_what_was_written(corpus: Path, truth: list[dict]) -> None:
    expected: Counter[tuple] = Counter()
    found: Counter[tuple] = Counter()
    for file in truth:
        source = read_source_file(corpus / file["name"], file["name"])
        assert [(d.title, d.doc_number) for d in source.documents] == [
            (d["title"], d["doc_number"]) for d in file["documents"]]
        for written, read in zip(file["documents"], source.documents):
            assert read.traditional == written["traditional"]
            assert {(c.title, c.doc_number, c.basis) for c in read.citations} == {
                (c["title"], c["doc_number"], c["basis"]) for c in written["citations"]}
            expected.update((file["name"], m["measure_id"], o["name"], o["role"])
                            for m in written["measures"] for o in m["owners"])
            found.update((file["name"], m.measure_id, a.name, a.role) for m in read.measures for a in m.agencies)
            zones = {zone.name: set(zone.industries) for zone in read.zones}
            assert all(set(zone["industries"]) == zones.get(zone["name"]) for zone in written["zones"])
    assert found == expected
    assert sum(len(d["zones"]) for f in truth for d in f["documents"]) > DOCUMENTS / 4
