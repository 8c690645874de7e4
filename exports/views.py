"""Interactive views as self-contained HTML files: responsibility network, policy lineage, zones.

Pyvis assembles the nodes and edges; the page is rendered from policykg's own template, which
inlines vis-network (the copy pyvis ships) and its stylesheet, so the file works offline and makes
no request. Document text is only ever text: tooltips are plain-text titles (vis-network shows a
string title with ``innerText``), and legend, filters and notes are filled with ``textContent``.
Files are written as UTF-8.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Iterable, Sequence

import networkx as nx
import orjson
from jinja2 import Environment
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node
from rdflib import URIRef

from policykg.graph.answer_cache import kept_rows
from policykg.graph.identity import agency_key
from policykg.graph.levels import LEVELS, RANK
from policykg.graph.filewise import FileAnswers, PreparedAnswers
from policykg.graph.load import AgencyLoad, corpus_load
from policykg.graph.renamings import REFORM, counterparts
from policykg.graph.store import RowSource
from policykg.graph.views import MENTIONS, ZONES, ZoneIndustryGraph, citation_graph, owned_by

from .catalog import MAX_NODES, VIEWS

LISTED_TITLES = 10  # documents a zone view tooltip names; the rest are counted
LOOK_UP_BATCH = 200  # agencies whose measures are looked up in one query
# in a process that makes views apart, the zones view's graph of the files kept, made before the
# build knows its files (read_early), to follow those it then has
_early_zones: ZoneIndustryGraph | None = None
LEVEL_BAND = 220  # pixels between administrative levels in the lineage view
ROLE_COLORS = {"lead": "#d62728", "implementer": "#9467bd", "responsible": "#1f77b4", "support": "#2ca02c"}
LEVEL_COLORS = {"national": "#d62728", "provincial": "#ff7f0e", "municipal": "#1f77b4", "district": "#2ca02c",
                "unknown": "#7f7f7f"}
RENAMED_COLOR = "#e377c2"  # the 2018 reform's renamings between agencies
KIND_COLORS = {"measure": "#bbbbbb", "document": "#8c564b", "zone": "#17becf", "industry": "#bcbd22"}
KIND_NAMES = {"agency": "机构 agency", "measure": "措施 measure", "document": "文件 document", "zone": "园区 zone",
              "industry": "产业 industry"}


@dataclass
class View:
    """What a page shows: pyvis-ready nodes and edges, vis-network options, legend and notes."""

    title: str
    network: Network
    options: dict
    legend: list[dict] = field(default_factory=list)
    note: str = ""

    def payload(self) -> dict:
        nodes = self.network.nodes
        return {
            "title": self.title,
            "nodes": nodes,
            "edges": self.network.edges,
            "options": self.options,
            "legend": self.legend,
            "note": self.note,
            "types": sorted({n["kind"] for n in nodes}),
            "jurisdictions": sorted({n["jurisdiction"] for n in nodes if n.get("jurisdiction")}),
        }


def build_view(store: RowSource, name: str, max_nodes: int = MAX_NODES) -> View:
    """One of ``VIEWS`` from a store."""
    builders = {"responsibility": responsibility_view, "lineage": lineage_view, "zones": zones_view}
    return builders[name](store, max_nodes)


def write_views(source: RowSource, names: Iterable[str], folder: Path) -> None:
    """The views ``names`` of a store, each as ``<name>.html`` in ``folder``."""
    for name in names:
        write_view(build_view(source, name), folder / f"{name}.html")


def read_early(cache: Path | None) -> None:
    """Start of a process that will make views apart, before the build knows its files (the
    initializer of its pool), while the build loads the store: from the answers' cache at
    ``cache``, if any, the zones view's graph is made of the files kept there
    (:func:`~policykg.graph.answer_cache.kept_rows`), for the view to make it follow the files
    the build then has (:class:`~policykg.graph.views.ZoneIndustryGraph`): at 10,000 documents,
    0.4 s of reading and making that a refresh no longer waits for."""
    global _early_zones
    if cache is not None:
        _early_zones = ZoneIndustryGraph(kept_rows(cache, ZONES))


def write_views_apart(prepared: PreparedAnswers, names: tuple[str, ...], folder: Path) -> set[str]:
    """:func:`write_views` in another process, from answers prepared in a cache; returns the sums
    and renderings they asked for (:attr:`FileAnswers.asked`), for the cache to keep."""
    answers = FileAnswers.from_prepared(prepared)
    try:
        write_views(answers, names, folder)
        return answers.asked
    finally:
        if answers.cache:
            answers.cache.close()


def write_view(view: View, path: Path) -> None:
    """The view as one self-contained HTML file, UTF-8."""
    vis = _vis_assets()
    environment = Environment(autoescape=True)
    # tojson's JSON made by orjson, which tojson then escapes for a script as ever: the views of
    # 10,000 documents in 0.034 s of CPU rather than 0.22 s, and a fifth smaller (UTF-8, not \u escapes)
    environment.policies["json.dumps_function"] = sorted_json
    environment.policies["json.dumps_kwargs"] = {}
    template = environment.from_string(files(__package__).joinpath("templates/view.html").read_text(encoding="utf-8"))
    html = template.render(title=view.title, view=view.payload(), vis_js=vis["js"], vis_css=vis["css"])
    path.write_text(html, encoding="utf-8")


def sorted_json(value: object) -> str:
    """``value`` as JSON, its keys sorted, by orjson.

    >>> sorted_json({"b": "园区", "a": [1, None]})
    '{"a":[1,null],"b":"园区"}'
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


class ViewNetwork(Network):
    """pyvis's ``Network`` with nodes and edges added in constant time.

    pyvis checks each new edge against the list of nodes and against every edge already added:
    quadratic, minutes for a view of thousands of edges. The views' edges come from NetworkX graphs,
    so they are unique already; their ends are checked against pyvis's own node map. A new node is
    checked against that map too, where pyvis searches its list of ids (a view of 5,000 nodes:
    0.12 s, now under 0.01 s).
    """

    def add_node(self, n_id: str | int, label: str | None = None, shape: str = "dot", color: str = "#97c2fc",
                 **options: object) -> None:
        if n_id in self.node_map:
            return
        node = Node(n_id, shape, label=label or n_id, color=color, font_color=self.font_color, **options).options
        self.nodes.append(node)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node

    def add_edge(self, source: str, to: str, **options: object) -> None:
        for end in (source, to):
            if end not in self.node_map:
                raise ValueError(f"non existent node {end!r}")
        self.edges.append(Edge(source, to, self.directed, **options).options)


def responsibility_view(store: RowSource, max_nodes: int = MAX_NODES) -> View:
    """Agencies (sized by role-weighted load, coloured by their main role) and the measures they own,
    the heaviest agencies first, as many as ``max_nodes`` allows."""
    ranking = corpus_load(store)
    graph, shown = _heaviest_owned(store, ranking.agencies, max_nodes)
    measures = sorted(n for n, kind in graph.nodes(data="kind") if kind == "measure")
    note = _left_out(len(ranking.agencies) - len(shown), "agencies",
                     f"lowest role-weighted load, with {ranking.owned_measures - len(measures)} measures only they own")
    net = ViewNetwork(directed=False)
    for row in shown:
        load = round(row.load, 4)
        net.add_node(row.agency, label=row.name, kind="agency", jurisdiction=row.jurisdiction, shape="dot",
                     color=ROLE_COLORS[row.main_role], size=8 + 4 * load ** 0.5,
                     title=f"{row.name}\n类型 type: 机构 agency\n辖区 jurisdiction: {row.jurisdiction}\n"
                           f"写法 written as: {'、'.join(sorted(row.names))}\n措施 measures: {row.measures} (牵头 lead "
                           f"{row.roles['lead']}, 配合 support {row.roles['support']}, 实施 implementer "
                           f"{row.roles['implementer']}, 责任 responsible {row.roles['responsible']})\n负荷 load: {load}")
    for measure in measures:
        data = graph.nodes[measure]
        net.add_node(measure, label=data["measure_id"], kind="measure", jurisdiction=data["jurisdiction"],
                     shape="square", size=6, color=KIND_COLORS["measure"],
                     title=f"{data['measure_id']} {data['heading']}\n类型 type: 措施 measure\n"
                           f"文件 document: {data['document_title']}\n原文 source: {data['heading']}\n"
                           f"{data['source_file']} [{data['char_start']}, {data['char_end']})")
    for row in sorted(shown, key=lambda row: row.agency):
        for measure in sorted(graph.neighbors(row.agency)):
            edge = graph.edges[row.agency, measure]
            net.add_edge(row.agency, measure, color=ROLE_COLORS[edge["role"]], dashes=edge["role"] == "support",
                         title=f"{edge['role']} (#{edge['order']})")
    names = {row.agency: row.name for row in shown}
    for before, after in renamings_among(shown):
        net.add_edge(before, after, color=RENAMED_COLOR, dashes=[8, 4], width=3, arrows="to",
                     title=f"{names[before]} → {names[after]}\n改名 renamed: {REFORM}")
    legend = [{"label": f"{role}", "color": color} for role, color in ROLE_COLORS.items()]
    legend.append({"label": KIND_NAMES["measure"], "color": KIND_COLORS["measure"]})
    legend.append({"label": f"改名 renamed ({REFORM})", "color": RENAMED_COLOR})
    return View("责任网络 Responsibility network", net, physics_options(len(net.nodes)), legend, note)


def renamings_among(agencies: Sequence[AgencyLoad]) -> list[tuple[str, str]]:
    """The 2018 reform's renamings between ``agencies``, ``(before, after)``, found as the graph's
    renamings are (:func:`~policykg.graph.renamings.counterparts`, from each agency's name): a view
    made from kept answers alone, in a process without the store, shows them too."""
    shown = {row.agency for row in agencies}
    return sorted({(row.agency, str(other)) for row in agencies
                   for other, relation in counterparts(URIRef(row.agency), agency_key(row.name)).items()
                   if relation == "successor" and str(other) in shown})


def lineage_view(store: RowSource, max_nodes: int = MAX_NODES) -> View:
    """Documents in bands by administrative level, national on top (each keeps its band, physics spreads
    them sideways); solid edges implement, dashed edges only cite."""
    graph = citation_graph(store)
    order = sorted(graph.nodes, key=lambda n: (-graph.in_degree(n), RANK.get(graph.nodes[n]["level"] or "", 9), n))
    kept = set(order[:max_nodes])
    note = _left_out(len(graph) - len(kept), "documents", "the least cited")
    net = ViewNetwork(directed=True)
    for node in order:
        if node not in kept:
            continue
        data = graph.nodes[node]
        level = data["level"] or "unknown"
        net.add_node(node, label=(data["numbers"][0] if data["numbers"] else data["title"][:16]), kind="document",
                     jurisdiction=data.get("jurisdiction", ""), y=LEVEL_BAND * RANK.get(level, len(LEVELS)),
                     fixed={"x": False, "y": True},
                     color=LEVEL_COLORS[level], shape="box" if data["loaded"] else "ellipse",
                     title=f"{data['title']}\n类型 type: 文件 document ({'已载入 loaded' if data['loaded'] else '被引 cited'})\n"
                           f"层级 level: {level}\n文号 number: {'、'.join(data['numbers']) or '—'}\n"
                           f"被引 cited by: {graph.in_degree(node)}")
    for citing, cited, basis in sorted(graph.edges(data="basis")):  # the same page whatever order the rows came in
        if citing in kept and cited in kept:
            net.add_edge(citing, cited, arrows="to", dashes=not basis, color="#444444" if basis else "#aaaaaa",
                         title="依据 implements" if basis else "引用 cites")
    options = physics_options(len(net.nodes)) | {"nodes": {"widthConstraint": {"maximum": 90}, "font": {"size": 12}}}
    legend = [{"label": level, "color": color} for level, color in LEVEL_COLORS.items()]
    return View("政策谱系 Policy lineage", net, options, legend, note)


def zones_view(store: RowSource, max_nodes: int = MAX_NODES) -> View:
    """Zones, the industries they focus on, and the documents that name them."""
    top = _zone_graph(store).top(max_nodes, titles=LISTED_TITLES)
    note = _left_out(top.of - len(top.nodes), "nodes", "the least connected")
    net = ViewNetwork(directed=False)
    for node in top.nodes:
        net.add_node(node.iri, label=node.label[:20], kind=node.kind, jurisdiction="",
                     color=KIND_COLORS[node.kind], shape="dot", size=8 + 2 * node.degree ** 0.5,
                     title=f"{node.label}\n类型 type: {KIND_NAMES[node.kind]}\n"
                           f"文件 documents: {_first_titles(node.titles, node.documents)}")
    for a, b, relation in top.edges:
        net.add_edge(a, b, dashes=relation == MENTIONS, title=relation)
    legend = [{"label": KIND_NAMES[k], "color": KIND_COLORS[k]} for k in ("zone", "industry", "document")]
    return View("园区与产业 Zones and industries", net, physics_options(len(net.nodes)), legend, note)


def _zone_graph(source: RowSource) -> ZoneIndustryGraph:
    """The zones view's graph. Where ``source`` answers file by file, the one made early
    (:func:`read_early`), else one of the rows kept together, made to follow the files of
    ``source``; the rows of the files it changed by are kept together in turn, for the next build
    to read early. Else made now."""
    if not isinstance(source, FileAnswers):
        return ZoneIndustryGraph.of(source)
    graph = _early_zones if _early_zones is not None else ZoneIndustryGraph(source.kept_together(ZONES))
    gone, parts = source.changes_since(ZONES, graph.files.keys())
    if gone:
        graph.follow(gone, {})
        source.keep_together(ZONES, gone, {})
    for new in parts:
        graph.follow((), new)
        source.keep_together(ZONES, (), new)
    return graph


def _first_titles(first: list[str], count: int) -> str:
    """The first titles of ``count`` and how many more (of a zone view's node): a tooltip stays readable,
    and the zones page of 10,000 documents 12 MB, not the 32 it took to name every document of an
    industry.

    >>> _first_titles(["甲", "乙"], 2), _first_titles([], 0)
    ('甲；乙', '—')
    >>> _first_titles([f"文件{n:02}" for n in range(10)], 12).rsplit("；", 2)[1:]
    ['文件09', '… 另 2 个 / 2 more']
    """
    more = count - len(first)
    return "；".join(first) + (f"；… 另 {more} 个 / {more} more" if more > 0 else "") or "—"


def _heaviest_owned(store: RowSource, ranking: Sequence[AgencyLoad], max_nodes: int
                    ) -> tuple[nx.Graph, list[AgencyLoad]]:
    """The agencies from the top of the ranking with the measures they own, up to the first that
    would take the graph past ``max_nodes``. Agencies are looked up together while their counts of
    measures say they surely fit, then one at a time (one look-up for each of 400 agencies cost
    2 s on 1,000 documents)."""
    graph = nx.Graph()
    shown: list[AgencyLoad] = []
    while len(shown) < len(ranking):
        batch = _surely_fitting(ranking[len(shown):len(shown) + LOOK_UP_BATCH], max_nodes - len(graph))
        owned = owned_by(store, [row.agency for row in batch])
        for row in batch:
            if len(graph) + len(set(owned[row.agency]) - set(graph)) > max_nodes:
                return graph, shown
            graph.update(owned[row.agency])
            shown.append(row)
    return graph, shown


def _surely_fitting(ranking: Sequence[AgencyLoad], room: int) -> Sequence[AgencyLoad]:
    """The first agencies that fit in ``room`` nodes even if none shared a measure; at least one,
    at most :data:`LOOK_UP_BATCH`."""
    count, needed = 1, 1 + ranking[0].measures
    while count < min(len(ranking), LOOK_UP_BATCH) and needed + 1 + ranking[count].measures <= room:
        needed += 1 + ranking[count].measures
        count += 1
    return ranking[:count]


def _left_out(count: int, what: str, which: str) -> str:
    """The note a capped view shows: 未显示 193 个 / left out 193 agencies (…); the tables hold all."""
    return f"未显示 {count} 个 / left out {count} {what} ({which}); the tables hold all" if count > 0 else ""


def physics_options(size: int) -> dict:
    """Barnes-Hut until stable, then the page turns physics off; big graphs skip the slow initial layout."""
    return {
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 120, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": True, "iterations": 400 if size <= 1000 else 150,
                                      "updateInterval": 50}},
        "layout": {"improvedLayout": size <= 150, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": size > 1000},
        "edges": {"smooth": False},
    }


def _vis_assets() -> dict[str, str]:
    """vis-network's script and stylesheet from the copy pyvis ships (no CDN)."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("policykg's views need the pyvis package: pip install pyvis")
    folder = Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"
    return {"js": (folder / "vis-network.min.js").read_text(encoding="utf-8"),
            "css": (folder / "vis-network.css").read_text(encoding="utf-8")}
