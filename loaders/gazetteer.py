"""Administrative divisions (GB/T 2260) from the ``cpca`` package's offline table.

Names resolve to a :class:`Place` with its adcode, level, province and city, so a district knows
its city and province.
"""
from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Iterable, Iterator

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


class NameIndex:
    """Many names found in text, the longest at each place, as an alternation of them all would
    find them, by the names' first two characters.

    A regular expression of the 5,260 division names took 0.13 s to compile, in every process that
    reads one file or ranks documents by level, and scanned a document seven times slower than
    this index does.

    >>> index = NameIndex(["湖北", "湖北省", "武汉市"])
    >>> list(index.finditer("湖北省武汉市和湖北")), index.match("武汉市人民政府"), index.search("在湖北")
    ([(0, '湖北省'), (3, '武汉市'), (7, '湖北')], '武汉市', (1, '湖北'))
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        if any(len(name) < 2 for name in self.names):
            raise ValueError("names of one character are not indexed")
        lengths: defaultdict[str, set[int]] = defaultdict(set)
        for name in self.names:
            lengths[name[:2]].add(len(name))
        self._lengths = {start: tuple(sorted(found, reverse=True)) for start, found in lengths.items()}

    def match(self, text: str, at: int = 0) -> str | None:
        """The longest name that starts at ``at``."""
        for length in self._lengths.get(text[at:at + 2], ()):
            if text[at:at + length] in self.names:
                return text[at:at + length]
        return None

    def finditer(self, text: str) -> Iterator[tuple[int, str]]:
        """``(start, name)`` of each name from left to right, the longest where several start, the
        next looked for after it."""
        at, last, lengths = 0, len(text) - 1, self._lengths
        while at < last:
            if text[at:at + 2] in lengths:
                name = self.match(text, at)
                if name:
                    yield at, name
                    at += len(name)
                    continue
            at += 1

    def search(self, text: str) -> tuple[int, str] | None:
        """The first name in ``text``, as :meth:`finditer` finds it."""
        return next(self.finditer(text), None)


class Gazetteer:
    """Look-ups over the division table; built once per process (:func:`gazetteer`)."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for division in divisions:
            for key in {division.name, SHORTENABLE.sub("", division.name)}:
                if len(key) >= 2:
                    self.by_name.setdefault(key, []).append(division)
        self.names = NameIndex(self.by_name)
        # for names inside other names (zones): counties only in full, and no ordinary words
        self.strict_names = NameIndex(n for n in self.by_name if n not in COMMON_WORDS and (
            n in {d.name for d in self.by_name[n]} or any(d.rank < 2 for d in self.by_name[n])))

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
        found = self.names.match(name)
        if not found:
            return None
        return self.place(self._best(self.by_name[found]), _as_written(name, 0, found))

    def mentions(self, text: str) -> Counter[tuple[str, str]]:
        """Counts of ``(adcode, written form)`` for every division named in ``text``.

        A county's short name counts only where the text writes a suffix after it: 黔西市 is a
        place, the 合作 of 合作共建 is not.

        >>> sorted(gazetteer().mentions("推动园区合作共建,成立黔西市领导小组").elements())
        [('520522', '黔西市')]
        """
        counts: Counter[tuple[str, str]] = Counter()
        for start, found in self.names.finditer(text):
            division = self._best(self.by_name[found])
            written = _as_written(text, start, found)
            if written == found and division.rank == 2 and written != division.name:
                continue
            counts[(division.adcode, written)] += 1
        return counts

    @staticmethod
    def _best(candidates: list[Division]) -> Division:
        """Among divisions sharing a name, the highest level, then the lowest code."""
        return min(candidates, key=lambda d: (d.rank, d.adcode))


def _as_written(text: str, start: int, found: str) -> str:
    """The name ``found`` at ``start`` with the level suffix the text writes after it, when it
    has none (武汉 → 武汉市).

    >>> _as_written("武汉市人民政府", 0, "武汉"), _as_written("武汉市人民政府", 0, "武汉市")
    ('武汉市', '武汉市')
    """
    tail = text[start + len(found):start + len(found) + 1]
    return found + tail if tail and tail in PLACE_TAIL and not found.endswith(tuple(PLACE_TAIL)) else found


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
