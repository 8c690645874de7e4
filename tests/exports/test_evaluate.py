import csv
from pathlib import Path

from policykg.exports.evaluate import evaluate

from ..conftest import GOLD

# the seed scores, pinned: these floors only ever rise
FLOORS = {
    "documents_found": 1.0,
    "documents_title": 1.0,
    "documents_doc_number": 1.0,
    "documents_date_issued": 1.0,
    "documents_jurisdiction": 1.0,
    "measures_f1": 1.0,
    "responsibilities_f1": 1.0,
    "roles_accuracy": 1.0,
    "citations_f1": 1.0,
    "zones_f1": 0.97,
}


def test_gold_gate(seeds_built: Path) -> None:
    figures = evaluate(GOLD, seeds_built).figures()
    below = {name: round(figures[name], 3) for name, floor in FLOORS.items() if figures[name] < floor}
    assert not below, f"below the floors {FLOORS}: {below}"


def test_a_missing_row_is_a_miss_and_an_extra_one_spurious(tmp_path: Path, seeds_built: Path) -> None:
    for name in ("documents", "responsibilities", "citations"):
        (tmp_path / f"{name}.csv").write_bytes((seeds_built / f"{name}.csv").read_bytes())
    with (seeds_built / "measures.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = rows[1:] + [dict(rows[0], measure_heading="并不存在的措施标题")]
    with (tmp_path / "measures.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    score = evaluate(GOLD, tmp_path).scores["measures"]
    assert (score.gold, score.found, score.matched) == (269, 269, 268)
    assert len(score.missed) == 1 and len(score.spurious) == 1
    assert "zones" not in evaluate(GOLD, tmp_path).scores
