import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from policykg.graph import identity
from policykg.graph import store as store_module
from policykg.graph.store import BODIES_INDEX, TRIG_DIR, PolicyStore, sweep_bodies, trig_layout_path, trig_spare_path
from policykg.graph.trig import HEADER, TrigBodies, body_digest, trig_body
from policykg.ontology import PKG


def _graph(title: str, subject: str = "urn:doc") -> Graph:
    graph = Graph()
    graph.add((URIRef(subject), PKG.citedTitle, Literal(title, lang="zh")))
    graph.add((URIRef(subject), PKG.selector, BNode("at")))  # the same label in every graph
    graph.add((BNode("at"), PKG.order, Literal(len(title))))
    return graph


def _dataset_of(trig: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return dataset


def _quads(store: PolicyStore) -> set[str]:
    """The store's quads with blank nodes named by the graph they are in (labels are local to a file)."""
    dataset = Dataset()
    dataset.parse(data=store.dump_nquads(), format="nquads")
    return _named(dataset)


def _named(dataset: Dataset) -> set[str]:
    """Each quad as text, a blank node written as its graph's blank node: no graph here has two."""
    def term(node: object, graph: object) -> str:
        return f"_:{graph}" if isinstance(node, BNode) else node.n3()
    return {" ".join(term(t, g) for t in (s, p, o)) + f" {g}" for s, p, o, g in dataset.quads() if g is not None}


def test_header_and_bodies_make_one_trig_document() -> None:
    bodies = [trig_body(f'<urn:s> <{PKG.order}> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g{n}> .\n')
              for n in range(3)]
    dataset = Dataset()
    dataset.parse(data=HEADER + "".join(body.text for body in bodies), format="trig")
    assert sorted(str(g) for *_, g in dataset.quads()) == ["urn:g0", "urn:g1", "urn:g2"]
    assert "pkg:order 1" in bodies[1].text  # written with the prefixes of the header


def test_trig_of_the_store_holds_what_the_store_holds_after_every_change(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name, title in (("urn:g1", "甲"), ("urn:g2", "乙乙"), ("urn:g3", "丙丙丙"), ("urn:g1", "丁")):
        store.replace_graph(URIRef(name), _graph(title))
    store.remove_graph(URIRef("urn:g3"))
    assert store.triple_count() == len(_quads(store)) == 6  # kept with the bodies
    store.dump_trig(tmp_path / "graph.trig")
    trig = _dataset_of(tmp_path / "graph.trig")
    assert _named(trig) == _quads(store)
    assert len(_quads(store)) == 6  # two graphs of three: blank nodes of the same label were not merged
    assert isomorphic(trig.graph(URIRef("urn:g1")), _graph("丁"))


def test_a_checkpoint_shares_the_bodies_and_neither_store_sees_the_others_changes(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    store.replace_graph(URIRef("urn:g"), _graph("甲"))
    store.checkpoint(tmp_path / "copy")
    copy = PolicyStore.open(tmp_path / "copy", bodies=tmp_path / "store" / TRIG_DIR)
    copy.replace_graph(URIRef("urn:g"), _graph("乙"))
    copy.replace_graph(URIRef("urn:g2"), _graph("丙"))
    copy.dump_trig(tmp_path / "copy.trig")
    store.dump_trig(tmp_path / "store.trig")
    assert isomorphic(_dataset_of(tmp_path / "copy.trig").graph(URIRef("urn:g")), _graph("乙"))
    assert isomorphic(_dataset_of(tmp_path / "store.trig").graph(URIRef("urn:g")), _graph("甲"))
    assert _named(_dataset_of(tmp_path / "store.trig")) == _quads(store)
    assert not (tmp_path / "copy" / TRIG_DIR).exists() and len(list((tmp_path / "store" / TRIG_DIR).iterdir())) == 3


def test_a_sweep_leaves_the_bodies_of_the_saved_index_alone(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name, title in (("urn:g1", "甲"), ("urn:g2", "乙"), ("urn:g1", "丙")):
        store.replace_graph(URIRef(name), _graph(title))
    store.remove_graph(URIRef("urn:g2"))
    (tmp_path / "store" / TRIG_DIR / "left-by-a-build-cut-short.part").write_text("x", encoding="utf-8")
    (tmp_path / "store" / TRIG_DIR / "not-a-body").mkdir()  # not ours: left alone
    store.close()
    sweep_bodies(tmp_path / "store")
    reopened = PolicyStore.open(tmp_path / "store")
    assert sorted(path.name for path in (tmp_path / "store" / TRIG_DIR).iterdir()) == [
        f"{reopened.trig_digest('urn:g1')}.trig", "not-a-body"]
    reopened.dump_trig(tmp_path / "graph.trig")
    assert isomorphic(_dataset_of(tmp_path / "graph.trig").graph(URIRef("urn:g1")), _graph("丙"))


def test_a_store_without_bodies_is_checkpointed_and_its_copy_dumped(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    store.replace_graph(URIRef("urn:g"), _graph("甲"))
    expected = _quads(store)
    del store
    shutil.rmtree(tmp_path / "store" / TRIG_DIR)  # as a store written before bodies were kept
    PolicyStore.open(tmp_path / "store").checkpoint(tmp_path / "copy")
    PolicyStore.open(tmp_path / "copy").dump_trig(tmp_path / "copy.trig")
    assert _named(_dataset_of(tmp_path / "copy.trig")) == expected


def test_a_store_without_bodies_is_read_once_and_keeps_them(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    store.replace_graph(URIRef("urn:g"), _graph("甲"))
    expected = _quads(store)
    store.close()
    shutil.rmtree(tmp_path / "store" / TRIG_DIR)  # as a store written before bodies were kept
    old = PolicyStore.open_read_only(tmp_path / "store")
    assert old.triple_count() == 3  # counted by the store
    old.dump_trig(tmp_path / "read-only.trig")
    del old
    reopened = PolicyStore.open(tmp_path / "store")
    reopened.dump_trig(tmp_path / "graph.trig")
    reopened.close()
    assert _named(_dataset_of(tmp_path / "read-only.trig")) == _named(_dataset_of(tmp_path / "graph.trig")) == expected
    kept = TrigBodies(tmp_path / "store" / TRIG_DIR, tmp_path / "store" / BODIES_INDEX)
    assert kept.header("urn:g").quads == 3 and kept.read("urn:g") is not None


def test_bodies_named_by_their_graph_are_named_by_their_content_without_being_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name, title in (("urn:g1", "甲"), ("urn:g2", "乙")):
        store.replace_graph(URIRef(name), _graph(title))
    store.dump_trig(tmp_path / "before.trig")
    store.close()
    folder = tmp_path / "store" / TRIG_DIR
    lines = (tmp_path / "store" / BODIES_INDEX).read_text(encoding="utf-8").splitlines()[1:]  # as they were kept:
    for line in lines:  # no first line saying the index lists every graph
        graph, digest, _ = line.split("\t")
        (folder / f"{digest}.trig").rename(folder / f"{identity.digest(graph, length=40)}.trig")
    (folder / TrigBodies.GRAPH_NAMED_INDEX).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    (tmp_path / "store" / BODIES_INDEX).unlink()
    monkeypatch.setattr(store_module, "quads_body", None)  # not read from the store again
    reopened = PolicyStore.open(tmp_path / "store")
    reopened.checkpoint(tmp_path / "copy")  # as a build copies it
    reopened.close()
    copy = PolicyStore.open(tmp_path / "copy", bodies=folder)
    copy.dump_trig(tmp_path / "after.trig")
    assert (tmp_path / "after.trig").read_bytes() == (tmp_path / "before.trig").read_bytes()
    assert (tmp_path / "store" / BODIES_INDEX).read_bytes() == (tmp_path / "copy" / BODIES_INDEX).read_bytes()
    sweep_bodies(tmp_path / "store")
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"{copy.trig_digest(graph)}.trig" for graph in ("urn:g1", "urn:g2"))


def test_a_store_in_memory_is_dumped_by_oxigraph(tmp_path: Path) -> None:
    store = PolicyStore.open(None)
    store.replace_graph(URIRef("urn:g"), _graph("甲"))
    store.dump_trig(tmp_path / "graph.trig")
    assert _named(_dataset_of(tmp_path / "graph.trig")) == _quads(store)
    assert list(ox.parse(path=str(tmp_path / "graph.trig"), format=ox.RdfFormat.TRIG))


def test_a_body_groups_each_subject_whatever_the_order_of_its_lines() -> None:
    lines = ['<urn:b> <urn:p> "行\u2028分\x0c页" <urn:g> .', '<urn:a> <urn:p> "1" <urn:g> .', '<urn:a> <urn:q> "2" <urn:g> .']
    body = trig_body("\n".join(lines + lines[:1]) + "\n")
    assert body == trig_body("\n".join(reversed(lines)) + "\n") and body.quads == 3  # a line twice is one quad
    assert body.text.count("<urn:a>") == 1
    parsed = {(str(s), str(o)) for s, _, o, _ in Dataset().parse(data=HEADER + body.text, format="trig").quads()}
    assert ("urn:b", "行\u2028分\x0c页") in parsed


def test_a_body_digest_is_kept_with_the_body_and_left_out_of_the_dataset(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    store.replace_graph(URIRef("urn:g"), _graph("甲"))
    digest = store.trig_digest("urn:g")
    assert digest == body_digest(store.trig_body("urn:g"))
    assert (tmp_path / "store" / TRIG_DIR / f"{digest}.trig").read_bytes().startswith(TrigBodies.MARK + digest.encode())
    store.replace_graph(URIRef("urn:g"), _graph("乙"))
    assert store.trig_digest("urn:g") == body_digest(store.trig_body("urn:g")) != body_digest("")
    assert store.trig_digest("urn:none") == body_digest("")
    store.dump_trig(tmp_path / "graph.trig")
    assert b"sha256" not in (tmp_path / "graph.trig").read_bytes()


def test_the_index_of_bodies_goes_at_a_change_and_comes_back_at_a_flush(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name, word in (("urn:g1", "甲"), ("urn:g2", "乙")):
        store.replace_graph(URIRef(name), _graph(word))
    store.flush()
    bodies = lambda: TrigBodies(tmp_path / "store" / TRIG_DIR, tmp_path / "store" / BODIES_INDEX)  # noqa: E731
    indexed = bodies()
    first_lines = {name: indexed.path(indexed.header(name).digest).read_bytes().split(b"\n", 1)[0]
                   for name in ("urn:g1", "urn:g2")}
    assert first_lines["urn:g1"] == f"# sha256 {indexed.header('urn:g1').digest} quads 3".encode()
    store.replace_graph(URIRef("urn:g1"), _graph("丙"))
    assert not (tmp_path / "store" / BODIES_INDEX).exists()  # a store left now has no stale index
    assert bodies().header("urn:g1") is None  # its bodies are made again from its quads
    store.flush()
    reopened = bodies()
    assert reopened.header("urn:g1").digest == body_digest(store.trig_body("urn:g1")) != indexed.header("urn:g1").digest
    assert reopened.header("urn:g2") == indexed.header("urn:g2")


def test_trig_written_again_copies_the_unchanged_graphs_from_the_file_written_before(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name, title in (("urn:g1", "甲"), ("urn:g2", "乙乙"), ("urn:g3", "丙丙丙")):
        store.replace_graph(URIRef(name), _graph(title))
    before = tmp_path / "before.trig"
    store.dump_trig(before)
    assert trig_layout_path(before).is_file()
    trig_spare_path(before).unlink(missing_ok=True)  # the copy a first file keeps, to be edited: not what this is about
    # an unchanged graph's bytes edited, the file's size and time kept: only a copy carries the edit
    stat = before.stat()
    before.write_bytes(before.read_bytes().replace("乙乙".encode(), "乙二".encode()))
    os.utime(before, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    store.replace_graph(URIRef("urn:g1"), _graph("丁"))
    store.remove_graph(URIRef("urn:g3"))
    store.replace_graph(URIRef("urn:g4"), _graph("戊"))
    store.dump_trig(tmp_path / "after.trig", before)
    assert "乙二" in (tmp_path / "after.trig").read_text(encoding="utf-8")  # urn:g2 copied from before.trig
    store.dump_trig(tmp_path / "whole.trig")
    assert (tmp_path / "after.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes().replace(
        "乙乙".encode(), "乙二".encode())
    layout = json.loads(trig_layout_path(before).read_text(encoding="utf-8"))
    trig_layout_path(before).write_text(json.dumps({name: {**kept, "rendering": "another"}  # pieces made otherwise
                                                    for name, kept in layout.items()}), encoding="utf-8")
    store.dump_trig(tmp_path / "other.trig", before)
    assert (tmp_path / "other.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()  # nothing copied
    trig_layout_path(before).write_text(json.dumps(layout), encoding="utf-8")
    os.utime(before, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # no longer as written: nothing copied
    store.dump_trig(tmp_path / "again.trig", before)
    assert (tmp_path / "again.trig").read_bytes() == (tmp_path / "whole.trig").read_bytes()
    assert _named(_dataset_of(tmp_path / "again.trig")) == _quads(store)


class _Unlisted:
    """A store's Oxigraph store that refuses to list its graphs: they must come from elsewhere."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def named_graphs(self) -> None:
        raise AssertionError("the graphs were listed from the store")

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def test_a_store_whose_index_lists_every_graph_lists_them_from_it(tmp_path: Path) -> None:
    store = PolicyStore.open(tmp_path / "store")
    for name in ("urn:g1", "urn:g2", "urn:g3"):
        store.replace_graph(URIRef(name), _graph(name))
    store.close()
    reopened = PolicyStore.open(tmp_path / "store")
    oxigraph = reopened._store
    reopened._oxigraph = _Unlisted(oxigraph)
    reopened.remove_graph(URIRef("urn:g2"))
    reopened.replace_graph(URIRef("urn:g4"), _graph("丁"))
    reopened.replace_graph(URIRef("urn:g1"), [])  # emptied: no graph any more
    assert reopened.named_graphs() == ["urn:g3", "urn:g4"]
    reopened._oxigraph, reopened._graph_names = oxigraph, None  # as the store lists them
    assert reopened.named_graphs() == ["urn:g3", "urn:g4"]
    reopened.close()
    assert (tmp_path / "store" / BODIES_INDEX).read_text(encoding="utf-8").startswith(TrigBodies.EVERY_GRAPH)


def test_an_index_missing_a_graph_leaves_the_listing_to_the_store(tmp_path: Path) -> None:
    store = PolicyStore.open(None)  # graphs written without bodies, as before bodies were kept
    for name in ("urn:g1", "urn:g2"):
        store.replace_graph(URIRef(name), _graph(name))
    bodies = TrigBodies(tmp_path / "trig", tmp_path / "trig-index.tsv")
    bodies.write("urn:g1", trig_body(store.dump_graph("urn:g1").decode("utf-8").replace(" .\n", " <urn:g1> .\n")))
    bodies.save_index(store.named_graphs)
    assert TrigBodies(tmp_path / "trig", tmp_path / "trig-index.tsv").graphs() is None
    assert not (tmp_path / "trig-index.tsv").read_text(encoding="utf-8").startswith("#")
    assert TrigBodies(tmp_path / "trig", tmp_path / "none.tsv").graphs() is None  # no index saved


def test_the_bodies_dropped_are_those_no_graph_has_any_more(tmp_path: Path) -> None:
    bodies = TrigBodies(tmp_path / "trig", tmp_path / "trig-index.tsv")
    first, second = (trig_body(f'<urn:s> <urn:p> "{text}" <urn:g1> .\n') for text in ("甲", "乙"))
    removed = trig_body('<urn:s> <urn:p> "丙" <urn:g2> .\n')
    bodies.write("urn:g1", first)
    bodies.write("urn:g2", removed)
    bodies.save_index(lambda: ["urn:g1", "urn:g2"])
    bodies.write("urn:g1", second)
    bodies.write("urn:g1", first)  # back as it was: its body is kept
    bodies.remove("urn:g2")
    bodies.save_index(lambda: ["urn:g1"])
    assert bodies.dropped() == {body_digest(second.text), body_digest(removed.text)}
    TrigBodies(tmp_path / "trig", tmp_path / "trig-index.tsv").sweep(bodies.dropped())
    assert sorted(path.name for path in (tmp_path / "trig").iterdir()) == [f"{body_digest(first.text)}.trig"]
