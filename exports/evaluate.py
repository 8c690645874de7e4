"""Score exported tables against gold annotations (one JSON file per logical document).

Matching follows the published rules: text compares by :func:`compare_key`; a measure matches on
the first 12 characters of its heading's key; a responsibility on (document, heading, agency name)
with the role checked on the pairs found; a citation on its 文号 when the gold has one, else its
title; a zone on its name or any gold alias. Only documents that have a gold file are scored.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from policykg.loaders.decode import decode_bytes
from policykg.loaders.errors import PolicyKGError
from policykg.loaders.normalize import compare_key, number_key

HEADING_KEY_LENGTH = 12
DocKey = tuple[str, int]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one kind of item."""

    name: str
    gold: int
    found: int
    matched: int
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    documents_found: float = 0.0
    fields: dict[str, float] = field(default_factory=dict)
    scores: dict[str, Score] = field(default_factory=dict)
    roles_accuracy: float = 0.0

    def figures(self) -> dict[str, float]:
        """Flat figures: ``measures_f1``, ``documents_doc_number`` …"""
        figures = {"documents_found": self.documents_found, "roles_accuracy": self.roles_accuracy}
        figures |= {f"documents_{name}": value for name, value in self.fields.items()}
        for name, score in self.scores.items():
            figures |= {f"{name}_precision": score.precision, f"{name}_recall": score.recall, f"{name}_f1": score.f1}
        return figures


def evaluate(gold_folder: Path, exports: Path) -> Evaluation:
    """Compare the CSV tables in ``exports`` with the gold files in ``gold_folder``."""
    gold = read_gold(gold_folder)
    result = Evaluation()
    documents = {k: r for r in _read(exports / "documents.csv") if (k := _doc_key(r)) in gold}
    result.documents_found = len(documents) / len(gold) if gold else 0.0
    for name, key in (("title", compare_key), ("doc_number", number_key), ("date_issued", compare_key),
                      ("jurisdiction", compare_key)):
        right = sum(key(documents[k].get(name)) == key(g.get(name)) for k, g in gold.items() if k in documents)
        result.fields[name] = right / len(gold) if gold else 0.0
    result.scores["measures"] = _score("measures", _gold_measures(gold), _found_measures(exports, gold))
    gold_roles, found_roles = _gold_roles(gold), _found_roles(exports, gold)
    result.scores["responsibilities"] = _score("responsibilities", set(gold_roles), set(found_roles))
    both = set(gold_roles) & set(found_roles)
    result.roles_accuracy = sum(gold_roles[t] == found_roles[t] for t in both) / len(both) if both else 0.0
    result.scores["citations"] = _score("citations", *_citations(exports, gold))
    if (exports / "zones.csv").exists():
        result.scores["zones"] = _score("zones", *_zones(exports, gold))
    return result


class GoldError(PolicyKGError):
    """Gold annotations that cannot be scored against; the message names the file and why."""


def read_gold(folder: Path) -> dict[DocKey, dict]:
    """The gold documents in ``folder`` (one JSON file each) by source file and part."""
    gold: dict[DocKey, dict] = {}
    given_in: dict[DocKey, Path] = {}
    for path in sorted(folder.glob("*.json")):
        document = _gold_document(path)
        key = (Path(document["source_file"]).name, int(document.get("part", 1)))
        if key in given_in:
            raise GoldError(f"{path}: the gold of {key[0]}, part {key[1]}, which {given_in[key].name} gives already")
        gold[key], given_in[key] = document, path
    if not gold:
        raise GoldError(f"{folder}: no gold files (*.json) here")
    return gold


def _gold_document(path: Path) -> dict:
    """One gold file, read in the encoding it was saved in, its shape checked."""
    decoded = decode_bytes(path.read_bytes(), str(path))
    try:
        document = json.loads(decoded.text)
    except ValueError as exc:
        raise GoldError(f"{path}: not JSON ({exc})") from None
    problem = gold_problem(document)
    if problem:
        raise GoldError(f"{path}: {problem}")
    return document


def gold_problem(document: object) -> str | None:
    """What keeps a gold document from being scored against, if anything.

    >>> gold_problem({"source_file": "a.txt", "measures": [{"heading": "优化布局", "agencies": [{"role": "lead"}]}]})
    'measure 1 has an agency without a "name"'
    >>> gold_problem({"source_file": "a.txt", "part": "2", "zones": [{"name": "东湖高新区"}]}) is None
    True
    """
    if not isinstance(document, dict):
        return "not a JSON object (one gold document per file)"
    if not isinstance(document.get("source_file"), str):
        return 'no "source_file": the file the document is in'
    if not str(document.get("part", 1)).isdigit():
        return '"part" is not a whole number'
    for kind, needed in (("measure", "heading"), ("citation", "title"), ("zone", "name")):
        items = document.get(f"{kind}s", [])
        if not (isinstance(items, list) and all(isinstance(item, dict) for item in items)):
            return f'"{kind}s" is not a list of objects'
        for index, item in enumerate(items, start=1):
            if not isinstance(item.get(needed), str):
                return f'{kind} {index} has no "{needed}"'
            agencies = item.get("agencies", []) if kind == "measure" else []  # a measure's owners alone are scored
            if not (isinstance(agencies, list) and all(isinstance(a, dict) and isinstance(a.get("name"), str)
                                                       for a in agencies)):
                return f'{kind} {index} has an agency without a "name"'
    return None


def _heading_key(text: str | None) -> str:
    return compare_key(text)[:HEADING_KEY_LENGTH]


def _gold_measures(gold: dict[DocKey, dict]) -> set:
    return {(k, _heading_key(m["heading"])) for k, g in gold.items() for m in g.get("measures", [])}


def _found_measures(exports: Path, gold: dict[DocKey, dict]) -> set:
    return {(k, _heading_key(r.get("measure_heading"))) for r in _read(exports / "measures.csv")
            if (k := _doc_key(r)) in gold}


def _gold_roles(gold: dict[DocKey, dict]) -> dict[tuple, str]:
    return {(k, _heading_key(m["heading"]), compare_key(a["name"])): a.get("role", "")
            for k, g in gold.items() for m in g.get("measures", []) for a in m.get("agencies", [])}


def _found_roles(exports: Path, gold: dict[DocKey, dict]) -> dict[tuple, str]:
    return {(k, _heading_key(r.get("measure_heading")), compare_key(r.get("agency_name"))): r.get("role", "").lower()
            for r in _read(exports / "responsibilities.csv") if (k := _doc_key(r)) in gold}


def _citations(exports: Path, gold: dict[DocKey, dict]) -> tuple[set, set]:
    expected = {(k, number_key(c["doc_number"]) if c.get("doc_number") else compare_key(c["title"]))
                for k, g in gold.items() for c in g.get("citations", [])}
    found = set()
    for row in _read(exports / "citations.csv"):
        k = _doc_key(row)
        if k not in gold:
            continue
        number, title = number_key(row.get("cited_doc_number")), compare_key(row.get("cited_title"))
        found.add(next((t for t in ((k, number), (k, title)) if t in expected), (k, number or title)))
    return expected, found


def _zones(exports: Path, gold: dict[DocKey, dict]) -> tuple[set, set]:
    expected: set[tuple[DocKey, str]] = set()
    aliases: dict[tuple[DocKey, str], tuple[DocKey, str]] = {}
    for k, g in gold.items():
        for zone in g.get("zones", []):
            expected.add((k, compare_key(zone["name"])))
            aliases |= {(k, compare_key(a)): (k, compare_key(zone["name"])) for a in zone.get("aliases", [])}
    found = set()
    for row in _read(exports / "zones.csv"):
        key = _doc_key(row)
        if key is not None and key in gold:
            t = (key, compare_key(row.get("zone_name")))
            found.add(aliases.get(t, t))
    return expected, found


def _score(name: str, expected: set, found: set) -> Score:
    return Score(name, len(expected), len(found), len(expected & found),
                 tuple(sorted(map(str, expected - found))), tuple(sorted(map(str, found - expected))))


def _doc_key(row: dict) -> DocKey | None:
    try:
        return Path((row.get("source_file") or "").strip()).name, int(row.get("part") or 1)
    except ValueError:
        return None


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
