"""Administrative divisions (GB/T 2260) from the ``cpca`` package's offline table.

Names resolve to a :class:`Place` with its adcode, level, province and city, so a district knows
its city and province.
"""
from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from .records import Place

LEVELS = {0: "province", 1: "city", 2: "county"}
# suffixes that may be left off in running text: 湖北(省), 武汉(市), 黔西(县/市)
SHORTENABLE = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市|自治州|地区|盟|县)$")
PLACE_TAIL = "省市县区州盟旗"
# division names that are also ordinary words in policy texts (各新城区, 城区, 矿区)
COMMON_WORDS = frozenset({"新城区", "城区", "市辖区", "郊区", "矿区", "新区", "开发区", "高新区", "城关镇"})


@dataclass(frozen=True)
class Division:
    name: str
    adcode: str  # six digits

    @property
    def rank(self) -> int:
        if self.adcode.endswith("0000"):
            return 0
        return 1 if self.adcode.endswith("00") else 2


class Gazetteer:
    """Look-ups over the division table; built once per process (:func:`gazetteer`)."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for division in divisions:
            for key in {division.name, SHORTENABLE.sub("", division.name)}:
                if len(key) >= 2:
                    self.by_name.setdefault(key, []).append(division)
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names)))
        # for names inside other names (zones): counties only in full, and no ordinary words
        strict = [n for n in names if n not in COMMON_WORDS and (n in {d.name for d in self.by_name[n]}
                                                                  or any(d.rank < 2 for d in self.by_name[n]))]
        self.strict_pattern = re.compile("|".join(map(re.escape, strict)))

    def place(self, division: Division, written: str | None = None) -> Place:
        """A :class:`Place` for a division, named as the text writes it when given."""
        province = self.by_code.get(division.adcode[:2] + "0000")
        city = self.by_code.get(division.adcode[:4] + "00") if division.rank == 2 else None
        return Place(
            name=written or division.name,
            adcode=division.adcode,
            level=LEVELS[division.rank],
            province=province.name if province else None,
            city=city.name if city else (division.name if division.rank == 1 else None),
        )

    def resolve_prefix(self, name: str) -> Place | None:
        """The place an organisation's name starts with.

        >>> gazetteer().resolve_prefix("凉州区发展和改革局").adcode
        '620602'
        >>> gazetteer().resolve_prefix("武汉市人民政府").name
        '武汉市'
        """
        match = self.pattern.match(name)
        if not match:
            return None
        written = match.group()
        if name[match.end():match.end() + 1] in PLACE_TAIL and not written.endswith(tuple(PLACE_TAIL)):
            written = name[: match.end() + 1]
        return self.place(self._best(self.by_name[match.group()]), written)

    def mentions(self, text: str) -> Counter[tuple[str, str]]:
        """Counts of ``(adcode, written form)`` for every division named in ``text``.

        A county's short name counts only where the text writes a suffix after it: 黔西市 is a
        place, the 合作 of 合作共建 is not.

        >>> sorted(gazetteer().mentions("推动园区合作共建,成立黔西市领导小组").elements())
        [('520522', '黔西市')]
        """
        counts: Counter[tuple[str, str]] = Counter()
        for match in self.pattern.finditer(text):
            division = self._best(self.by_name[match.group()])
            written = match.group()
            tail = text[match.end():match.end() + 1]
            if tail and tail in PLACE_TAIL and not written.endswith(tuple(PLACE_TAIL)):
                written += tail
            elif division.rank == 2 and written != division.name:
                continue
            counts[(division.adcode, written)] += 1
        return counts

    @staticmethod
    def _best(candidates: list[Division]) -> Division:
        """Among divisions sharing a name, the highest level, then the lowest code."""
        return min(candidates, key=lambda d: (d.rank, d.adcode))


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, read from ``cpca/resources/adcodes.csv``.

    The table is read from where the package lies, without importing it: importing ``cpca`` loads
    pandas and ``pkg_resources``, which a gazetteer look-up does not need.
    """
    spec = find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("policykg needs the cpca package for its gazetteer: pip install cpca")
    table_path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    table = table_path.read_text(encoding="utf-8")
    divisions = [Division(row["name"], row["adcode"][:6]) for row in csv.DictReader(table.splitlines())]
    return Gazetteer(divisions)
