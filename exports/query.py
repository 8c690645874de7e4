"""Run SPARQL over a built folder and format the results as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from policykg.graph.store import STORE_DIR, PolicyStore, StoreError

FORMATS = ("table", "csv", "json")


def read_query(text_or_path: str) -> str:
    """The query itself, or the text of a ``.rq`` file."""
    path = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")):
        if not path.is_file():
            raise StoreError(f"{text_or_path}: no such query file")
        return path.read_text(encoding="utf-8")
    return text_or_path


def open_built_store(folder: Path) -> PolicyStore:
    """The store of a folder written by ``policykg build``."""
    if not (folder / STORE_DIR).is_dir():
        raise StoreError(f"{folder}: no store here; run `policykg build PATH --out {folder}` first")
    return PolicyStore.open(folder / STORE_DIR)


def run_query(store: PolicyStore, query: str, output: str) -> str:
    """Results formatted as ``table``, ``csv`` or ``json``."""
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"boolean": bool(result)}) if output == "json" else str(bool(result)).lower()
    if isinstance(result, ox.QueryTriples):
        return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in result)
    columns = [v.value for v in result.variables]
    rows = [[_text(solution[c]) for c in columns] for solution in result]
    if output == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2)
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    return _table(columns, rows)


def _text(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def _table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths)) for row in rows]
    return "\n".join(lines) + f"\n({len(rows)} rows)"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
