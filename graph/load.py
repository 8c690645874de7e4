"""Role-weighted load per agency, and the agencies that share measures, summed file by file.

Each measure carries a weight of 1, shared among its owners in proportion to their role weights
(``ROLE_WEIGHTS``): a lead counts three times a supporting body, an implementer or a body named
without a role split twice. A measure and its owners lie in one source file, so an agency's load,
its measures by role and the names it is written as are sums over files. They are kept as whole
counts (a load in :data:`LOAD_UNIT` parts), summed over every file, and the agencies ranked by them
(:meth:`~policykg.graph.filewise.FileAnswers.ranked`): a refresh takes the changed files' counts
off, adds their new ones, exactly, and ranks again the agencies they name, and a view reads the top
of the ranking instead of 400,000 ownerships.

The co-responsibility network (:func:`co_responsibility_graph`) is summed the same way: which
agencies own measures together, and how many, counted in each file, so that the analyses hold the
agencies and their pairs, never the measures.
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Callable, Iterable, Sequence

import networkx as nx

from .answer_cache import Ranked, Row, Total
from .filewise import FileAnswers
from .store import RowSource
from .views import OWNERSHIPS, written_name

ROLE_WEIGHTS = {"lead": 3, "implementer": 2, "responsible": 2, "support": 1}
# a measure's shares are whole parts of this unit when its owners' weights add up to 30 or less
LOAD_UNIT = math.lcm(*range(1, 31))
LOAD_FORM = "agency load counts, 2"  # how :func:`load_counts` counts and :func:`ranked_agency` ranks: change it with them
OWNED = ("", "owned")  # the key counting the measures that have an owner
SHARES = "shares"  # the kind of key counting the measures two agencies own together: (agency, SHARES, other)
CO_FORM = "co-ownership counts, 1"  # how :func:`co_ownership_counts` counts: change it with it
JURISDICTIONS_SHOWN = 12  # named for a jurisdiction no agency of owns a measure (jurisdictions_like)


def measure_shares(owners: dict[str, str]) -> dict[str, int]:
    """Each owner's share of one measure, from its role (``{agency: role}``), in :data:`LOAD_UNIT` parts.

    >>> {agency: share / LOAD_UNIT for agency, share in measure_shares({"市发改委": "lead", "市财政局": "support"}).items()}
    {'市发改委': 0.75, '市财政局': 0.25}
    """
    total = sum(ROLE_WEIGHTS[role] for role in owners.values())
    return {agency: round(LOAD_UNIT * ROLE_WEIGHTS[role] / total) for agency, role in owners.items()}


@dataclass
class AgencyLoad:
    """One agency's measures by role and role-weighted load, over the files added so far."""

    agency: str
    shares: int = 0  # its load, in LOAD_UNIT parts
    roles: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # written forms, by how often
    places: Counter[str] = field(default_factory=Counter)  # its jurisdiction, by the files that give it

    @property
    def load(self) -> float:
        return self.shares / LOAD_UNIT

    @property
    def measures(self) -> int:
        return sum(self.roles.values())

    @property
    def name(self) -> str:
        return written_name(self.names)

    @property
    def jurisdiction(self) -> str:
        return min(self.places, key=lambda place: (-self.places[place], place), default="")

    @property
    def main_role(self) -> str:
        return max(ROLE_WEIGHTS, key=lambda role: self.roles[role])

    def rank_key(self) -> tuple[float, int, str, str]:
        """Heaviest load first (to four places), then more measures, then by name."""
        return -round(self.load, 4), -self.measures, self.name, self.agency

    def add(self, kind: str, value: str, count: int) -> None:
        """One count of :func:`load_counts` about this agency."""
        if kind == "load":
            self.shares = count
        else:
            {"role": self.roles, "name": self.names, "place": self.places}[kind][value] = count

    def record(self) -> str:
        """As kept in a ranking (:func:`ranked_agency`), read back by :meth:`from_record`."""
        return json.dumps([self.shares, self.roles, self.names, self.places], ensure_ascii=False)

    @classmethod
    def from_record(cls, agency: str, record: str) -> "AgencyLoad":
        shares, roles, names, places = json.loads(record)
        return cls(agency, shares, Counter(roles), Counter(names), Counter(places))


@dataclass(frozen=True)
class LoadRanking:
    """Agencies, the heaviest load first, and how many measures have an owner."""

    agencies: Sequence[AgencyLoad]
    owned_measures: int


@dataclass
class LoadTotals:
    """Every agency's load (ranked by :meth:`ranking`) and how many measures have an owner."""

    agencies: dict[str, AgencyLoad] = field(default_factory=dict)
    owned_measures: int = 0

    @classmethod
    def from_counts(cls, counts: Total) -> "LoadTotals":
        """The totals :func:`load_counts` counted, of one file or summed over many."""
        totals = cls()
        for (agency_iri, kind, *value), count in counts.items():
            if (agency_iri, kind) == OWNED:
                totals.owned_measures = count
                continue
            agency = totals.agencies.get(agency_iri)
            if agency is None:
                agency = totals.agencies[agency_iri] = AgencyLoad(agency_iri)
            agency.add(kind, value[0] if value else "", count)
        return totals

    def ranking(self) -> list[AgencyLoad]:
        """Heaviest load first; then more measures, then by name (:meth:`AgencyLoad.rank_key`)."""
        return sorted(self.agencies.values(), key=AgencyLoad.rank_key)


def load_counts(rows: Iterable[Row]) -> Total:
    """The counts of :data:`OWNERSHIPS` rows, by ``(agency, "load")``, ``(agency, "role", role)``,
    ``(agency, "name", written form)``, ``(agency, "place", jurisdiction)`` (one per file) and
    :data:`OWNED`. An agency named twice on one measure owns it once, in the role written last."""
    owners: defaultdict[str, dict[str, str]] = defaultdict(dict)
    counts: Total = Counter()
    for measure, agency, name, role, place in rows:
        owners[measure][agency] = role.rsplit("#", 1)[-1]
        counts[agency, "name", name] += 1
        if place:
            counts[agency, "place", place] = 1
    for measure_owners in owners.values():
        for agency, share in measure_shares(measure_owners).items():
            counts[agency, "load"] += share
            counts[agency, "role", measure_owners[agency]] += 1
    counts[OWNED] = len(owners)
    return counts


def co_ownership_counts(rows: Iterable[Row], jurisdiction: str | None = None) -> Total:
    """:func:`load_counts`, and for each pair of agencies that own a measure together,
    ``(agency, SHARES, other agency)`` (the two in code-point order): how many measures they share.
    With ``jurisdiction``, the agencies of that place (by name) alone count, as if no other owned
    a measure.

    >>> rows = [("m1", "甲", "甲", "pkg#lead", "武汉市"), ("m1", "乙", "乙", "pkg#support", "武汉市"),
    ...         ("m2", "甲", "甲", "pkg#responsible", "武汉市"), ("m2", "丙", "丙", "pkg#responsible", "湖北省")]
    >>> sorted((key, n) for key, n in co_ownership_counts(rows).items() if key[1] == SHARES)
    [(('丙', 'shares', '甲'), 1), (('乙', 'shares', '甲'), 1)]
    >>> in_hubei = co_ownership_counts(rows, "湖北省")  # 丙 alone owns m2 there
    >>> in_hubei["丙", "load"] == LOAD_UNIT, in_hubei[OWNED], [key for key in in_hubei if key[1] == SHARES]
    (True, 1, [])
    """
    kept = [row for row in rows if jurisdiction is None or row[4] == jurisdiction]
    counts = load_counts(kept)
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for measure, agency, *_ in kept:
        owners[measure].add(agency)
    for agencies in owners.values():
        counts.update((agency, SHARES, other) for agency, other in combinations(sorted(agencies), 2))
    return counts


def co_responsibility_graph(source: RowSource, jurisdiction: str | None = None) -> nx.Graph:
    """Agencies linked when they own the same measure, ``weight`` counting the measures they share;
    each node's ``load`` is its :class:`AgencyLoad`. With ``jurisdiction``, the agencies of that
    place alone, each measure shared among them alone (:func:`co_ownership_counts`); the graph's
    ``jurisdiction`` says which.

    Where ``source`` keeps answers by file, the counts are summed file by file and kept
    (:meth:`~policykg.graph.filewise.FileAnswers.summed`): no measure is held at any time, so the
    graph and what makes it grow with the agencies, not with the corpus.
    """
    counts = _ownership_counts(source, lambda rows: co_ownership_counts(rows, jurisdiction),
                               f"{CO_FORM}\njurisdiction: {jurisdiction!r}")
    pairs = sorted((key, n) for key, n in counts.items() if key[1] == SHARES)
    totals = LoadTotals.from_counts(Counter({key: n for key, n in counts.items() if key[1] != SHARES}))
    graph = nx.Graph(jurisdiction=jurisdiction)
    graph.add_nodes_from((agency, {"load": totals.agencies[agency]}) for agency in sorted(totals.agencies))
    graph.add_weighted_edges_from((agency, other, n) for (agency, _, other), n in pairs)
    return graph


def jurisdictions_like(source: RowSource, jurisdiction: str) -> str:
    """The jurisdictions whose agencies own measures that look like ``jurisdiction`` (武汉 → 武汉市),
    else the first few, for a jurisdiction none of whose agencies do: a name mistyped."""
    known = sorted({load.jurisdiction for _, load in co_responsibility_graph(source).nodes(data="load")} - {""})
    near = [name for name in known if jurisdiction in name or name in jurisdiction]
    shown = near or known[:JURISDICTIONS_SHOWN]
    more = "" if near or len(known) <= JURISDICTIONS_SHOWN else f" and {len(known) - JURISDICTIONS_SHOWN} more"
    return f"jurisdictions whose agencies own measures: {', '.join(shown) or 'none'}{more}"


def ranked_agency(agency: str, counts: Total) -> Ranked | None:
    """An agency's place in a kept ranking, from its counts (:func:`load_counts`); none for the
    measures' count, or an agency no longer named."""
    if not agency or not counts:
        return None
    load = LoadTotals.from_counts(counts).agencies[agency]
    score, weight, label, _ = load.rank_key()
    return -score, -weight, label, load.record()


def corpus_load(source: RowSource) -> LoadRanking:
    """Every agency's load in a store, ranked: kept in the cache where ``source`` keeps answers by
    file (:meth:`~policykg.graph.filewise.FileAnswers.ranked`), else counted from all its rows."""
    if isinstance(source, FileAnswers) and source.cache:
        ranking = source.ranked([OWNERSHIPS], _file_load_counts, LOAD_FORM, ranked_agency, AgencyLoad.from_record)
        return LoadRanking(ranking, ranking.group_total(OWNED[0])[OWNED])
    totals = LoadTotals.from_counts(_ownership_counts(source, load_counts, LOAD_FORM))
    return LoadRanking(totals.ranking(), totals.owned_measures)


def _ownership_counts(source: RowSource, count: Callable[[Iterable[Row]], Total], form: str) -> Total:
    """``count`` of the :data:`OWNERSHIPS` rows: of each file, summed and kept under ``form`` where
    ``source`` keeps answers by file (:meth:`~policykg.graph.filewise.FileAnswers.summed`), else of
    all the store's rows at once."""
    if isinstance(source, FileAnswers):
        return source.summed([OWNERSHIPS], lambda rows: count(rows[0]), form)
    return count(source.rows(OWNERSHIPS))


def _file_load_counts(rows: list[list[Row]]) -> Total:
    """One file's :func:`load_counts`, from its rows of :data:`OWNERSHIPS` alone."""
    return load_counts(rows[0])
