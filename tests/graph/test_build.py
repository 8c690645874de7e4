import shutil
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from policykg.graph.build import build_file_graph
from policykg.graph.corpus import InputFolders, find_input_files
from policykg.graph.links import build_links, citation_records
from policykg.graph.resolve import DocumentResolver
from policykg.loaders.pipeline import parse_source_text, read_source_file
from policykg.loaders.records import SourceFile
from policykg.ontology import ELI, OA, PKG, read_ontology, read_shapes

SEEDS = Path(__file__).parents[2] / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.iterdir())


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_seed_graph_passes_the_shapes(name: str) -> None:
    source, resolver = read_source_file(SEEDS / name), DocumentResolver()
    graph = build_file_graph(source, resolver).graph()
    for triples in build_links(citation_records(source, resolver), resolver).values():
        graph += triples
    conforms, _, text = validate(graph, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none")
    assert conforms, text


def test_building_twice_gives_the_same_graph() -> None:
    source = read_source_file(SEEDS / "002_3963f5b69747dc62.txt")
    first = build_file_graph(source)
    second = build_file_graph(read_source_file(SEEDS / "002_3963f5b69747dc62.txt"))
    assert first.name == second.name
    assert first.triples == second.triples
    assert not any(node.startswith("_:") for triple in first.triples for node in triple)  # no blank node


def test_documents_measures_and_owners_are_linked() -> None:
    graph = build_file_graph(read_source_file(SEEDS / "000_7de621c7132f9bb7.txt")).graph()
    (doc,) = graph.subjects(PKG.part, None)
    measures = list(graph.objects(doc, ELI.has_part))
    assert len(measures) == 16
    owners = [o for m in measures for o in graph.objects(m, PKG.responsibility)]
    assert len(owners) == 70
    assert len(set(graph.subjects(PKG.citingDocument, doc))) == 2  # the citations, as written
    assert not set(graph.objects(doc, ELI.cites))  # where they point is the links graph's business


def test_same_agency_written_two_ways_is_one_node_within_a_jurisdiction() -> None:
    text = ("武汉市人民政府关于推进开发区建设的意见\n二、主要任务\n(一)规划。(责任单位:市发改委)\n"
            "(二)布局。(责任单位:市发展改革委)")
    graph = build_file_graph(SourceFile("w.txt", "w.txt", "0" * 64, "utf-8", parse_source_text(text, "w.txt"))).graph()
    agents = set(graph.objects(None, PKG.agent))
    assert len(agents) == 1


def test_a_target_is_set_by_its_document_and_by_the_measure_whose_text_sets_it() -> None:
    text = ("武汉市人民政府关于推进开发区建设的意见\n一、发展目标\n到2025年,开发区营业收入力争突破1000亿元。\n"
            "二、主要任务\n(一)培育企业。到20xx年,高新技术企业达到500家以上。(责任单位:市科技局)")
    graph = build_file_graph(SourceFile("w.txt", "w.txt", "0" * 64, "utf-8", parse_source_text(text, "w.txt"))).graph()
    targets = {str(graph.value(target, PKG.indicator)): target for target in graph.subjects(RDF.type, PKG.Target)}
    goal, task = targets["开发区营业收入"], targets["高新技术企业"]
    (doc,) = graph.subjects(PKG.part, None)
    assert graph.value(goal, PKG.settingDocument) == graph.value(task, PKG.settingDocument) == doc
    assert graph.value(goal, PKG.settingMeasure) is None  # a goal, not a measure
    assert str(graph.value(graph.value(task, PKG.settingMeasure), PKG.measureId)) == "二.(一)"
    assert (graph.value(goal, PKG.amount), graph.value(goal, PKG.unit)) == (Literal("1000", datatype=XSD.decimal), Literal("亿元"))
    assert graph.value(goal, PKG.targetYear) == Literal("2025", datatype=XSD.gYear)
    assert graph.value(task, PKG.targetYear) is None and str(graph.value(task, PKG.deadline)) == "20xx年"
    assert [graph.value(target, PKG.comparison) for target in (goal, task)] == [PKG.atLeast, PKG.atLeast]
    assert [graph.value(target, PKG.aspirational).toPython() for target in (goal, task)] == [True, False]
    at = graph.value(task, PKG.selector)
    assert text[graph.value(at, OA.start).toPython():graph.value(at, OA.end).toPython()] == "高新技术企业达到500家以上"


def _zones_as_written(text: str, name: str) -> dict[str, tuple[URIRef, set[URIRef], str]]:
    """Each zone a one-file corpus names, by the name it writes: the zone, its jurisdictions and
    its label."""
    source = SourceFile(name, name, "0" * 64, "utf-8", parse_source_text(text, name))
    graph = build_file_graph(source).graph()
    zones = {}
    for mention in graph.subjects(RDF.type, PKG.ZoneMention):
        zone, at = graph.value(mention, PKG.zone), graph.value(mention, PKG.selector)
        written = str(graph.value(mention, PKG.asWritten))
        assert text[graph.value(at, OA.start).toPython():graph.value(at, OA.end).toPython()] == written
        zones[written] = (zone, set(graph.objects(zone, PKG.jurisdiction)), str(graph.value(zone, SKOS.prefLabel)))
    return zones


def test_a_zone_called_by_its_kind_alone_is_its_jurisdictions() -> None:
    """经济技术开发区 in a Guiyang plan and in a Lianyungang plan are two zones, each its city's;
    a zone with a specific name is one wherever it is named, however its kind is written."""
    guiyang, lianyungang = (_zones_as_written(
        f"{city}人民政府关于推进开发区建设的意见\n二、主要任务\n(一)规划。高新开发区、经济技术开发区等2个开发区"
        f"达到千亿级,支持武汉东湖{kind}。(责任单位:市发改委)", f"{city}.txt")
        for city, kind in (("贵阳市", "新技术开发区"), ("连云港市", "高新区")))
    assert guiyang["经济技术开发区"][0] != lianyungang["经济技术开发区"][0]
    assert guiyang["经济技术开发区"][1] and guiyang["经济技术开发区"][1] != lianyungang["经济技术开发区"][1]
    assert guiyang["武汉东湖新技术开发区"] == lianyungang["武汉东湖高新区"] == (
        guiyang["武汉东湖新技术开发区"][0], set(), "武汉东湖高新区")


def test_find_input_files_walks_folders_sorted() -> None:
    assert [name for _, name in find_input_files([SEEDS])] == SEED_FILES


def test_find_input_files_leaves_out_the_output_folder_and_what_links_into_it(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "docs")
    out = tmp_path / "out"
    (out / "store").mkdir(parents=True)
    (out / "responsibility.html").write_text("<html></html>", encoding="utf-8")
    (out / "store" / "MANIFEST-000005").write_bytes(b"\0")
    (tmp_path / "docs" / "to-out").symlink_to(out)
    assert [name for _, name in find_input_files([tmp_path], InputFolders(out))] == [f"docs/{n}" for n in SEED_FILES]
    assert list(find_input_files([out], InputFolders(out))) == []
    assert len(list(find_input_files([tmp_path]))) == len(SEED_FILES) + 2  # the folder's two files, walked once


def test_a_file_read_again_keeps_the_name_it_was_first_read_under_however_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "corpus" / "hubei").mkdir(parents=True)
    for name in ("hubei/a.txt", "b.txt"):
        (tmp_path / "corpus" / name).write_text("武汉市人民政府关于推进开发区建设的意见", encoding="utf-8")
    corpus = (tmp_path / "corpus").resolve()  # as a build notes the folders it read
    read = InputFolders(named_from=(corpus,))
    assert [name for _, name in find_input_files([corpus / "hubei" / "a.txt"], read)] == ["hubei/a.txt"]
    assert [name for _, name in find_input_files([corpus / "hubei"], read)] == ["hubei/a.txt"]
    assert [name for _, name in find_input_files([corpus / "hubei" / "a.txt"])] == ["a.txt"]  # nothing read before
    below = InputFolders(named_from=(corpus / "hubei",))  # a folder inside, read first: its files keep their names
    assert [name for _, name in find_input_files([corpus], below)] == ["b.txt", "a.txt"]
    assert below.reading([corpus]).named_from == (corpus / "hubei", corpus)
    assert read.reading([corpus / "hubei", corpus / "b.txt"]) == read


def test_each_file_is_found_once_however_often_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "corpus" / "hubei").mkdir(parents=True)
    (tmp_path / "corpus" / "hubei" / "a.txt").write_text("意见", encoding="utf-8")
    (tmp_path / "corpus" / "b.txt").write_text("意见", encoding="utf-8")
    corpus, hubei = tmp_path / "corpus", tmp_path / "corpus" / "hubei"
    assert [name for _, name in find_input_files([hubei / "a.txt", hubei / "a.txt"])] == ["a.txt"]
    assert [name for _, name in find_input_files([corpus, hubei])] == ["b.txt", "hubei/a.txt"]
    assert [name for _, name in find_input_files([hubei, corpus])] == ["a.txt", "b.txt"]  # named from hubei, read first
