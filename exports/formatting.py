"""Rows to text: an aligned table (CJK characters take two columns), CSV, or JSON."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

FORMATS = ("table", "csv", "json")


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], output: str) -> str:
    """``rows`` under ``columns`` as ``table``, ``csv`` or ``json``.

    >>> print(format_rows(["机构", "n"], [["市科技局", 41]], "table"))
    机构      n
    --------  --
    市科技局  41
    (1 rows)
    """
    texts = [["" if value is None else str(value) for value in row] for row in rows]
    if output == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2)
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(texts)
        return buffer.getvalue()
    widths = [max([_width(c), 2] + [_width(r[i]) for r in texts]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() for row in texts]
    return "\n".join(lines) + f"\n({len(texts)} rows)"


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
