"""Agencies renamed or merged by the 2018 reform of Party and state institutions (机构改革): a plan
of 2017 gives a measure to 市国土规划局, one of 2020 to 市自然资源和规划局, the same body under its
new name. The reform renamed local departments the same way everywhere (``agency_renamings.tsv``),
so an agency's predecessors and successors are the agencies of its own jurisdiction whose names
the table pairs with its own.

>>> sorted(successor_keys("市环境保护局")), sorted(predecessor_keys("武汉市自然资源规划局"))
(['市生态环境局'], ['武汉市国土规划局', '武汉市国土资源局', '武汉市国土资源规划局', '武汉市规划局'])
"""
from __future__ import annotations

import functools
from importlib.resources import files

RENAMINGS_FILE = "agency_renamings.tsv"
REFORM = "2018 机构改革"


@functools.lru_cache(maxsize=1)
def _renamings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(before, afters)`` pairs of agency keys without their place, the longest before first."""
    rows = files(__package__).joinpath(RENAMINGS_FILE).read_text(encoding="utf-8").splitlines()
    pairs = [row.split("\t") for row in rows if row and not row.startswith("#")]
    return tuple(sorted(((before, tuple(after.split("|"))) for before, after in pairs), key=lambda p: -len(p[0])))


def successor_keys(key: str) -> set[str]:
    """The keys an agency of ``key`` (an :func:`~.identity.agency_key`) may have had after the reform;
    none for a name the reform gave (市自然资源规划局 ends as 市规划局 does, but is its successor).

    >>> successor_keys("市自然资源规划局"), sorted(successor_keys("市规划局"))
    (set(), ['市自然资源局', '市自然资源规划局'])
    """
    if predecessor_keys(key):
        return set()
    for before, afters in _renamings():
        if key.endswith(before) and len(key) > len(before):
            return {key[:-len(before)] + after for after in afters}
    return set()


def predecessor_keys(key: str) -> set[str]:
    """The keys of the agencies the reform made into an agency of ``key``."""
    return {key[:-len(after)] + before for before, afters in _renamings() for after in afters
            if key.endswith(after) and len(key) > len(after)}


RELATIONS = {"predecessor": predecessor_keys, "successor": successor_keys}  # the keys renamed, each way
