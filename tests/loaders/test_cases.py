"""Golden extraction cases: each ``cases/NAME.txt`` (or ``.html``) beside ``cases/NAME.json``, what must be found.

The cases are written in the style of real documents, one per syntax the loaders support.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykg.loaders.pipeline import parse_source_text
from policykg.loaders.records import Document

CASES = Path(__file__).parent / "cases"


def _as_expected(document: Document) -> dict:
    return {
        "title": document.title,
        "doc_number": document.doc_number,
        "date_issued": document.date_issued,
        "issuers": list(document.issuers),
        "jurisdiction": document.jurisdiction.name if document.jurisdiction else None,
        "measures": [
            {"id": m.measure_id, "heading": m.heading, "agencies": [[a.name, a.role] for a in m.agencies]}
            for m in document.measures
        ],
        "citations": [{"title": c.title, "doc_number": c.doc_number, "basis": c.basis} for c in document.citations],
    }


@pytest.mark.parametrize("source", sorted(p.name for p in CASES.iterdir() if p.suffix != ".json"))
def test_case(source: str) -> None:
    path = CASES / source
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    expected = expected if isinstance(expected, list) else [expected]
    found = [_as_expected(d) for d in parse_source_text(path.read_text(encoding="utf-8"), source)]
    assert found == expected
