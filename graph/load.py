"""Role-weighted load per agency, summed file by file.

Each measure carries a weight of 1, shared among its owners in proportion to their role weights
(``ROLE_WEIGHTS``): a lead counts three times a supporting body, an implementer or a body named
without a role split twice. A measure and its owners lie in one source file, so an agency's load,
its measures by role and the names it is written as are sums over files. They are kept as whole
counts (a load in :data:`LOAD_UNIT` parts), summed over every file, and the agencies ranked by them
(:meth:`~policykg.graph.filewise.FileAnswers.ranked`): a refresh takes the changed files' counts
off, adds their new ones, exactly, and ranks again the agencies they name, and a view reads the top
of the ranking instead of 400,000 ownerships.
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .filewise import FileAnswers, Ranked, Row, Total
from .store import RowSource
from .views import OWNERSHIPS, written_name

ROLE_WEIGHTS = {"lead": 3, "implementer": 2, "responsible": 2, "support": 1}
# a measure's shares are whole parts of this unit when its owners' weights add up to 30 or less
LOAD_UNIT = math.lcm(*range(1, 31))
LOAD_FORM = "agency load counts, 2"  # how :func:`load_counts` counts and :func:`ranked_agency` ranks: change it with them
OWNED = ("", "owned")  # the key counting the measures that have an owner


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
    counts = (source.summed([OWNERSHIPS], _file_load_counts, LOAD_FORM) if isinstance(source, FileAnswers)
              else load_counts(source.rows(OWNERSHIPS)))
    totals = LoadTotals.from_counts(counts)
    return LoadRanking(totals.ranking(), totals.owned_measures)


def _file_load_counts(rows: list[list[Row]]) -> Total:
    """One file's :func:`load_counts`, from its rows of :data:`OWNERSHIPS` alone."""
    return load_counts(rows[0])
