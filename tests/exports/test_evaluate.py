import csv
import shutil
from pathlib import Path

import pytest

from policykg.exports.evaluate import GoldError, evaluate

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


@pytest.mark.parametrize("text, reason", [
    ('{"source_file": "a.txt", ', "not JSON (Expecting property name"),
    ('[{"source_file": "a.txt"}]', "not a JSON object (one gold document per file)"),
    ('{"part": 1, "measures": []}', 'no "source_file": the file the document is in'),
    ('{"source_file": "a.txt", "part": "one"}', '"part" is not a whole number'),
    ('{"source_file": "a.txt", "zones": {"name": "东湖高新区"}}', '"zones" is not a list of objects'),
    ('{"source_file": "a.txt", "citations": [{"doc_number": "国发〔2020〕7号"}]}', 'citation 1 has no "title"'),
    ('{"source_file": "a.txt", "measures": [{"heading": "甲", "agencies": ["市发展改革委"]}]}',
     'measure 1 has an agency without a "name"'),
])
def test_a_gold_file_that_cannot_be_scored_against_is_an_error_naming_it(tmp_path: Path, seeds_built: Path,
                                                                         text: str, reason: str) -> None:
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    with pytest.raises(GoldError) as raised:
        evaluate(tmp_path, seeds_built)
    assert str(raised.value).startswith(f"{tmp_path / 'a.json'}: {reason}")


def test_gold_given_twice_or_none_at_all_is_an_error(tmp_path: Path, seeds_built: Path) -> None:
    with pytest.raises(GoldError, match=f"^{tmp_path}: no gold files"):
        evaluate(tmp_path, seeds_built)
    first = next(GOLD.glob("*.json"))
    shutil.copy(first, tmp_path / first.name)
    shutil.copy(first, tmp_path / "zz_copy.json")
    with pytest.raises(GoldError, match=f"zz_copy.json: the gold of .*, part [0-9]+, which {first.name} gives already"):
        evaluate(tmp_path, seeds_built)


def test_gold_saved_in_gbk_scores_as_in_utf_8(tmp_path: Path, seeds_built: Path) -> None:
    first = next(GOLD.glob("*.json"))
    (tmp_path / "gbk").mkdir()
    (tmp_path / "gbk" / first.name).write_bytes(first.read_text(encoding="utf-8").encode("gb18030"))
    (tmp_path / "utf-8").mkdir()
    shutil.copy(first, tmp_path / "utf-8" / first.name)
    figures = evaluate(tmp_path / "gbk", seeds_built).figures()
    assert figures == evaluate(tmp_path / "utf-8", seeds_built).figures() and figures["measures_f1"] == 1.0
