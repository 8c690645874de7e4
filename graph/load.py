"""Role-weighted load per agency, summed file by file.

Each measure carries a weight of 1, shared among its owners in proportion to their role weights
(``ROLE_WEIGHTS``): a lead counts three times a supporting body, an implementer or a body named
without a role split twice. A measure and its owners lie in one source file, so an agency's load,
its measures by role and the names it is written as are sums over files. They are kept as whole
counts (a load in :data:`LOAD_UNIT` parts), summed over every file
(:meth:`~policykg.graph.filewise.FileAnswers.summed`): a refresh takes the changed files' counts
off and adds their new ones, exactly, and a ranking over 10,000 documents reads one sum instead of
400,000 ownerships.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .filewise import FileAnswers, Row, Total
from .store import RowSource
from .views import OWNERSHIPS, written_name

ROLE_WEIGHTS = {"lead": 3, "implementer": 2, "responsible": 2, "support": 1}
# a measure's shares are whole parts of this unit when its owners' weights add up to 30 or less
LOAD_UNIT = math.lcm(*range(1, 31))
LOAD_FORM = "agency load counts, 1"  # how :func:`load_counts` counts: change it with it


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


@dataclass
class LoadTotals:
    """Every agency's load (ranked by :meth:`ranking`) and how many measures have an owner."""

    agencies: dict[str, AgencyLoad] = field(default_factory=dict)
    owned_measures: int = 0

    @classmethod
    def from_counts(cls, counts: Total) -> "LoadTotals":
        """The totals :func:`load_counts` counted, of one file or summed over many."""
        totals = cls()
        for (kind, *key), count in counts.items():
            if kind == "owned":
                totals.owned_measures = count
                continue
            agency = totals.agencies.get(key[0])
            if agency is None:
                agency = totals.agencies[key[0]] = AgencyLoad(key[0])
            if kind == "load":
                agency.shares = count
            else:
                {"role": agency.roles, "name": agency.names, "place": agency.places}[kind][key[1]] = count
        return totals

    def ranking(self) -> list[AgencyLoad]:
        """Heaviest load first; then more measures, then by name."""
        return sorted(self.agencies.values(), key=lambda a: (-round(a.load, 4), -a.measures, a.name, a.agency))


def load_counts(rows: Iterable[Row]) -> Total:
    """The counts of :data:`OWNERSHIPS` rows, by ``("load", agency)``, ``("role", agency, role)``,
    ``("name", agency, written form)``, ``("place", agency, jurisdiction)`` (one per file) and
    ``("owned",)``. An agency named twice on one measure owns it once, in the role written last."""
    owners: defaultdict[str, dict[str, str]] = defaultdict(dict)
    counts: Total = Counter()
    for measure, agency, name, role, place in rows:
        owners[measure][agency] = role.rsplit("#", 1)[-1]
        counts["name", agency, name] += 1
        if place:
            counts["place", agency, place] = 1
    for measure_owners in owners.values():
        for agency, share in measure_shares(measure_owners).items():
            counts["load", agency] += share
            counts["role", agency, measure_owners[agency]] += 1
    counts["owned",] = len(owners)
    return counts


def corpus_load(source: RowSource) -> LoadTotals:
    """Every agency's load in a store: summed file by file where ``source`` keeps answers by file,
    else counted from all its rows at once."""
    if not isinstance(source, FileAnswers):
        return LoadTotals.from_counts(load_counts(source.rows(OWNERSHIPS)))
    return LoadTotals.from_counts(source.summed([OWNERSHIPS], lambda rows: load_counts(rows[0]), LOAD_FORM))
