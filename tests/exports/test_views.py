"""The interactive views: what the HTML holds, and what a real browser (Debian's Chromium driven by
Playwright, no browser download) does with it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from pyvis.network import Network

from policykg.exports import views as views_module
from policykg.graph import filewise as filewise_module
from policykg.exports.build import ANSWERS_CACHE, build
from policykg.exports.tables import TABLE_QUERIES
from policykg.exports.views import VIEWS, View, ViewNetwork, _heaviest_owned, build_view, physics_options, write_view
from policykg.graph.answer_cache import AnswerCache, kept_rows
from policykg.graph.filewise import FileAnswers
from policykg.graph.load import corpus_load
from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.graph.views import VIEW_GROUPED, VIEW_QUERIES, ZONES, ZoneIndustryGraph, owned_by, zone_industry_graph
from policykg.ontology import SPARQL_PREFIXES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HOSTILE = """武汉市人民政府关于推进开发区建设的意见
二、主要任务
(一)<img src=x onerror="window.__pwned=1">强化保障。推进工作。(责任单位:市<script>window.__pwned=2</script>发改委、市财政局)
(二)推进"引号"与'单引号'。落实。(责任单位:市商务局)
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    out = corpus / "out"
    build([corpus], out)
    return out


def _tags(html: str) -> list[tuple[str, dict]]:
    """Start tags as a browser parses them (script content is not markup)."""
    found: list[tuple[str, dict]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


class Page:
    """A page opened in the browser, with what it logged and requested."""

    def __init__(self, browser, path: Path, timeout_ms: int = 60_000) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-settled=true]", state="attached", timeout=timeout_ms)
        self.settle_seconds = time.perf_counter() - started

    def js(self, expression: str, argument: object = None):
        return self.page.evaluate(expression, argument)

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file:") or not url.endswith(".html")]


def test_html_is_utf8_self_contained_and_escapes_text(hostile_built: Path) -> None:
    html = (hostile_built / "responsibility.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    tags = _tags(html)
    assert [t for t, _ in tags if t in ("link", "img", "iframe", "object")] == []
    assert [attrs for t, attrs in tags if t == "script"] == [{}, {}]  # two inline scripts, nothing loaded
    assert "<img src=x" not in html and "<script>window.__pwned" not in html  # only ever as \\u003c… in JSON
    assert "\\u003cimg src=x onerror" in html


@pytest.mark.parametrize("view", VIEWS)
def test_seed_views_render_offline_without_errors(browser, seeds_built: Path, view: str) -> None:
    page = Page(browser, seeds_built / f"{view}.html")
    assert page.js("() => window.policykgView.nodes.length") > 10
    assert page.errors == []
    assert page.outside_requests() == []
    assert page.js("() => document.getElementById('legend').children.length") >= 3


def test_injection_canary_stays_inert_and_shows_literally(browser, hostile_built: Path) -> None:
    page = Page(browser, hostile_built / "responsibility.html")
    measure = page.js("() => window.policykgView.nodes.get({filter: n => n.kind === 'measure'})"
                      ".find(n => n.title.includes('强化保障')).id")
    point = page.js("(id) => { const v = window.policykgView.network;"
                    " const p = v.getPositions([id])[id]; const d = v.canvasToDOM(p);"
                    " const r = document.querySelector('#graph canvas').getBoundingClientRect();"
                    " return {x: d.x + r.left, y: d.y + r.top}; }", measure)
    page.page.mouse.move(point["x"], point["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = page.js("() => document.querySelector('div.vis-tooltip').innerText")
    assert '<img src=x onerror="window.__pwned=1">强化保障' in tooltip
    assert page.js("() => typeof window.__pwned") == "undefined"
    assert page.js("() => document.querySelectorAll('img').length") == 0
    assert page.js("() => document.scripts.length") == 2
    agencies = page.js("() => window.policykgView.nodes.get({filter: n => n.kind === 'agency'}).map(n => n.label)")
    assert "市<script>window.__pwned=2</script>发改委" in agencies
    assert page.errors == [] and page.outside_requests() == []


def test_search_and_filters(browser, seeds_built: Path) -> None:
    page = Page(browser, seeds_built / "responsibility.html")
    page.page.fill("#search", "市科技局")
    assert len(page.js("() => window.policykgView.network.getSelectedNodes()")) >= 1
    page.page.select_option("#type-filter", "agency")
    hidden = page.js("() => window.policykgView.nodes.get({filter: n => n.hidden}).map(n => n.kind)")
    assert hidden and set(hidden) == {"measure"}
    page.page.select_option("#jurisdiction-filter", "武汉市")
    shown = page.js("() => window.policykgView.nodes.get({filter: n => !n.hidden}).map(n => n.jurisdiction)")
    assert shown and set(shown) == {"武汉市"}


def test_canvas_is_not_blank(browser, seeds_built: Path, tmp_path: Path) -> None:
    page = Page(browser, seeds_built / "lineage.html")
    page.page.screenshot(path=str(tmp_path / "lineage.png"))
    painted = page.js("() => { const c = document.querySelector('#graph canvas');"
                      " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                      " for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240)) n++; }"
                      " return n; }")
    assert painted > 2000
    assert (tmp_path / "lineage.png").stat().st_size > 10_000


def test_a_5000_node_view_opens_and_settles(browser, tmp_path: Path) -> None:
    graph = nx.barabasi_albert_graph(5000, 1, seed=3)
    net = Network()
    for node in graph:
        net.add_node(node, label=f"机构{node}", kind="agency", jurisdiction="", title=f"机构{node}", size=6)
    for a, b in graph.edges:
        net.add_edge(a, b)
    write_view(View("5000", net, physics_options(len(net.nodes))), tmp_path / "big.html")
    page = Page(browser, tmp_path / "big.html", timeout_ms=300_000)
    assert page.js("() => window.policykgView.nodes.length") == 5000
    assert page.js("() => window.policykgView.settled") is True
    assert page.js("() => window.policykgView.network.physics.physicsEnabled") is False
    assert page.errors == []


def test_nodes_and_edges_are_added_as_pyvis_adds_them() -> None:
    ours, theirs = ViewNetwork(directed=True), Network(directed=True)
    for net in (ours, theirs):
        for node, label in (("a", "甲"), ("b", None), ("a", "again"), (3, "丙")):
            net.add_node(node, label=label, kind="agency", title=f"{node}", size=6)
        net.add_node("c", shape="square", color="#bbbbbb")
        net.add_edge("a", "b", title="lead")
        net.add_edge("b", 3, dashes=True)
    assert (ours.nodes, ours.node_ids, ours.node_map, ours.edges) == \
        (theirs.nodes, theirs.node_ids, theirs.node_map, theirs.edges)
    with pytest.raises(ValueError, match="non existent node 'z'"):
        ours.add_edge("a", "z")


def test_every_zone_view_tooltip_names_its_documents(browser, seeds_built: Path) -> None:
    page = Page(browser, seeds_built / "zones.html")
    titles = page.js("() => window.policykgView.nodes.get().map(n => n.title)")
    assert titles and all("文件 documents: " in t and "documents: —" not in t for t in titles)


def test_views_do_not_depend_on_the_process_hash_seed(seeds_built: Path, tmp_path: Path) -> None:
    """Sets of nodes are written in sorted order: two processes write the same bytes."""
    script = ("import sys; from pathlib import Path; from policykg.graph.store import PolicyStore; "
              "from policykg.exports.views import build_view, write_view; "
              "write_view(build_view(PolicyStore.open_read_only(Path(sys.argv[1])), 'responsibility'), Path(sys.argv[2]))")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(seeds_built / "store"), str(tmp_path / f"{seed}.html")],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed})
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


@pytest.mark.parametrize("name", VIEWS)
def test_a_view_from_the_answers_file_by_file_is_the_view_from_the_store(seeds_built: Path, name: str) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    direct = build_view(store, name).payload()
    filewise = build_view(FileAnswers(store, VIEW_QUERIES), name).payload()

    def as_set(items: list[dict]) -> set[str]:
        return {json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items}

    assert as_set(filewise["nodes"]) == as_set(direct["nodes"]) and direct["nodes"]
    assert as_set(filewise["edges"]) == as_set(direct["edges"]) and direct["edges"]
    assert {k: v for k, v in filewise.items() if k not in ("nodes", "edges")} == \
        {k: v for k, v in direct.items() if k not in ("nodes", "edges")}


def test_a_process_making_views_apart_makes_the_zone_graph_early_and_the_view_makes_it_follow_the_files(
        seeds_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    cache = tmp_path / ANSWERS_CACHE
    shutil.copyfile(seeds_built / ANSWERS_CACHE, cache)
    answers = FileAnswers(store, TABLE_QUERIES + VIEW_QUERIES, AnswerCache(cache), VIEW_GROUPED)
    answers.prepare()
    monkeypatch.setattr(views_module, "_early_zones", None)
    views_module.read_early(cache)
    early = views_module._early_zones
    assert early is not None
    assert early.files.keys() == {digest for _, _, digest in answers.prepared().files}
    assert any(nodes for nodes, _ in early.files.values())
    with monkeypatch.context() as not_read:  # the rows were read early: not again
        not_read.setattr(AnswerCache, "get_texts", lambda *arguments: pytest.fail("the zones' rows read again"))
        followed = views_module._zone_graph(FileAnswers.from_prepared(answers.prepared()))
    assert followed is early and nx.utils.graphs_equal(followed.graph, zone_industry_graph(store))
    views_module.write_views_apart(answers.prepared(), ("zones",), tmp_path)
    assert (tmp_path / "zones.html").read_bytes() == (seeds_built / "zones.html").read_bytes()
    # made of other files (one gone, one not there), the early graph follows those of the answers
    kept = dict(kept_rows(cache, ZONES))
    missing = min(kept)
    other = ZoneIndustryGraph({**{digest: rows for digest, rows in kept.items() if digest != missing},
                               "gone": [("urn:zone", "旧园区", "urn:doc", "旧文件", "", "")]}.items())
    monkeypatch.setattr(views_module, "_early_zones", other)
    views_module.write_views_apart(answers.prepared(), ("zones",), tmp_path)
    assert (tmp_path / "zones.html").read_bytes() == (seeds_built / "zones.html").read_bytes()
    assert other.files.keys() == kept.keys()


def test_a_first_builds_zone_graph_reads_the_files_rows_a_part_at_a_time_and_follows_files_gone_alone(
        seeds_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    cache = tmp_path / ANSWERS_CACHE
    answers = FileAnswers(store, VIEW_QUERIES, AnswerCache(cache), VIEW_GROUPED)
    answers.prepare()
    monkeypatch.setattr(filewise_module, "READ_BATCH", 2)
    monkeypatch.setattr(views_module, "_early_zones", None)
    parts: list[tuple[int, int]] = []  # files gone and new, of each change followed
    follow = ZoneIndustryGraph.follow
    monkeypatch.setattr(ZoneIndustryGraph, "follow",
                        lambda graph, gone, new: (parts.append((len(gone), len(new))), follow(graph, gone, new))[1])
    made = views_module._zone_graph(answers)
    assert parts == [(0, 2), (0, 2), (0, 1)] and answers.file_count == 5
    assert nx.utils.graphs_equal(made.graph, zone_industry_graph(store))
    digests = {digest for _, _, digest in answers.prepared().files}
    assert dict(kept_rows(cache, ZONES)).keys() == digests
    # a file gone and none new: followed once, with no rows read
    early = ZoneIndustryGraph({**dict(kept_rows(cache, ZONES)), "gone": [("urn:zone", "旧园区", "urn:doc", "旧文件", "", "")]}.items())
    monkeypatch.setattr(views_module, "_early_zones", early)
    parts.clear()
    assert views_module._zone_graph(answers) is early and parts == [(1, 0)]
    assert nx.utils.graphs_equal(early.graph, zone_industry_graph(store)) and early.files.keys() == digests


@pytest.mark.parametrize("max_nodes", [1, 40, 150, 300, 5000])
def test_agencies_looked_up_together_are_those_chosen_one_at_a_time(seeds_built: Path, max_nodes: int) -> None:
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    ranking = corpus_load(store).agencies
    graph, shown = _heaviest_owned(store, ranking, max_nodes)
    expected, chosen = nx.Graph(), []
    for row in ranking:
        owned = owned_by(store, [row.agency])[row.agency]
        if len(expected) + len(set(owned) - set(expected)) > max_nodes:
            break
        expected.update(owned)
        chosen.append(row)
    assert shown == chosen and nx.utils.graphs_equal(graph, expected) and len(graph) <= max_nodes
    assert (len(shown) == len(ranking)) == (max_nodes == 5000)  # the seeds' 363 nodes fit only in 5,000


@pytest.mark.parametrize("max_nodes", [5000, 250])
def test_the_responsibility_view_draws_the_reforms_renamings_between_the_agencies_it_shows(
        seeds_built: Path, max_nodes: int) -> None:
    """Wuhan's plans name six agencies before the 2018 reform and after it: the graph's renamings,
    each an arrow from the agency before to the one after, where the view shows both."""
    store = PolicyStore.open_read_only(seeds_built / STORE_DIR)
    stated = set(store.rows(SPARQL_PREFIXES + """SELECT ?before ?after WHERE {
        GRAPH ?g { ?event org:originalOrganization ?before ; org:resultingOrganization ?after } }"""))
    view = build_view(store, "responsibility", max_nodes)
    shown = {node["id"] for node in view.network.nodes if node["kind"] == "agency"}
    renamed = {(edge["from"], edge["to"]): edge for edge in view.network.edges if "renamed" in edge["title"]}
    assert len(stated) == 6 and set(renamed) == {(a, b) for a, b in stated if a in shown and b in shown}
    assert len(renamed) == (6 if max_nodes == 5000 else 3)  # 84 agencies of 197 shown
    names = {node["id"]: node["label"] for node in view.network.nodes}
    assert all(edge["arrows"] == "to" and edge["title"] == f"{names[a]} → {names[b]}\n改名 renamed: 2018 机构改革"
               for (a, b), edge in renamed.items())
