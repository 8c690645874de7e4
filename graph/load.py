"""Role-weighted load per agency, summed file by file.

Each measure carries a weight of 1, shared among its owners in proportion to their role weights
(``ROLE_WEIGHTS``): a lead counts three times a supporting body, an implementer or a body named
without a role split twice. A measure and its owners lie in one source file, so an agency's load,
its measures by role and the names it is written as are sums over files: each file's share is
made once from its rows and kept (:meth:`~policykg.graph.filewise.FileAnswers.rendered_by_file`),
and a ranking over 10,000 documents adds up kept shares instead of reading 400,000 ownerships into
a graph.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .filewise import FileAnswers
from .store import RowSource
from .views import OWNERSHIPS

ROLE_WEIGHTS = {"lead": 3.0, "implementer": 2.0, "responsible": 2.0, "support": 1.0}
SHARES_FORM = "agency shares, 1"  # how a file's shares are kept (:func:`shares_text`): change it with the text


def measure_shares(owners: dict[str, str]) -> dict[str, float]:
    """Each owner's share of one measure, from its role (``{agency: role}``).

    >>> measure_shares({"市发改委": "lead", "市财政局": "support"})
    {'市发改委': 0.75, '市财政局': 0.25}
    """
    total = sum(ROLE_WEIGHTS[role] for role in owners.values())
    return {agency: ROLE_WEIGHTS[role] / total for agency, role in owners.items()}


@dataclass
class AgencyLoad:
    """One agency's measures by role and role-weighted load, over the files added so far."""

    agency: str
    jurisdiction: str = ""
    load: float = 0.0
    roles: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # written forms, by how often

    @property
    def measures(self) -> int:
        return sum(self.roles.values())

    @property
    def name(self) -> str:
        """The form the agency is written in most often (the first seen among equals)."""
        return self.names.most_common(1)[0][0]

    @property
    def main_role(self) -> str:
        return max(ROLE_WEIGHTS, key=lambda role: self.roles[role])


@dataclass
class LoadTotals:
    """Every agency's load (ranked by :meth:`ranking`) and how many measures have an owner."""

    agencies: dict[str, AgencyLoad] = field(default_factory=dict)
    owned_measures: int = 0

    def add_shares(self, text: str) -> None:
        """Add one file's shares, as :func:`shares_text` keeps them."""
        owned, agencies = json.loads(text)
        for agency, place, load, roles, names in agencies:
            total = self.agencies.get(agency)
            if total is None:
                total = self.agencies[agency] = AgencyLoad(agency, place)
            total.load += load
            for counts, more in ((total.roles, roles), (total.names, names)):
                for key, count in more.items():
                    counts[key] += count
        self.owned_measures += owned

    def ranking(self) -> list[AgencyLoad]:
        """Heaviest load first; then more measures, then by name."""
        return sorted(self.agencies.values(), key=lambda a: (-round(a.load, 4), -a.measures, a.name, a.agency))


def load_totals(rows: Iterable[tuple[str, ...]]) -> LoadTotals:
    """The totals of :data:`OWNERSHIPS` rows. An agency named twice on one measure owns it once, in
    the role written last."""
    owners: defaultdict[str, dict[str, str]] = defaultdict(dict)
    totals = LoadTotals()
    for measure, agency, name, role, place in rows:
        owners[measure][agency] = role.rsplit("#", 1)[-1]
        if agency not in totals.agencies:
            totals.agencies[agency] = AgencyLoad(agency, place)
        totals.agencies[agency].names[name] += 1
    for measure_owners in owners.values():
        for agency, share in measure_shares(measure_owners).items():
            totals.agencies[agency].load += share
            totals.agencies[agency].roles[measure_owners[agency]] += 1
    totals.owned_measures = len(owners)
    return totals


def shares_text(rows: list[tuple[str, ...]]) -> str:
    """One file's totals as kept: JSON."""
    totals = load_totals(rows)
    agencies = [[a.agency, a.jurisdiction, a.load, dict(a.roles), dict(a.names)] for a in totals.agencies.values()]
    return json.dumps([totals.owned_measures, agencies], ensure_ascii=False)


def corpus_load(source: RowSource) -> LoadTotals:
    """Every agency's load in a store: file by file from kept shares where ``source`` keeps answers
    by file, else from all its rows at once."""
    if not isinstance(source, FileAnswers):
        return load_totals(source.rows(OWNERSHIPS))
    totals = LoadTotals()
    for _, text in source.rendered_by_file(OWNERSHIPS, shares_text, SHARES_FORM):
        assert text is not None  # a text is left out only when the caller says it has it
        totals.add_shares(text)
    return totals
