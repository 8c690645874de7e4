import re

import pytest

from policykg.loaders.normalize import compare_key, number_key
from policykg.loaders.script import opencc_converter

from ..conftest import SEEDS

SIMPLIFIED_SEEDS = ("000_7de621c7132f9bb7.txt", "001_90d5fc22205fdc35.txt", "003_736a3c4bc8902ef8.txt",
                    "004_aa0a9f9876963823.txt")
TRADITIONAL_SEED = "002_3963f5b69747dc62.txt"


def _clauses(name: str) -> list[str]:
    return [clause for clause in re.split(r"[。；\n]", (SEEDS / name).read_text(encoding="utf-8")) if len(clause) > 4]


@pytest.mark.parametrize(("mainland", "taiwan"), [
    ("依照法定程序", "依照法定程式"),  # 程序 is a process in Taiwan, its 程式 the mainland's 程序
    ("加强与哈萨克斯坦合作", "加強與哈薩克合作"),
    ("价值链中高端", "價值鏈中高階"),
    ("国家存储器基地", "國家儲存器基地"),
    ("开发区审核公告目录", "開發區稽核公告目錄"),
    ("成效显著", "成效顯著"),
    ("优化营商环境", "最佳化營商環境"),
])
def test_mainland_text_and_its_taiwan_copy_share_a_key(mainland: str, taiwan: str) -> None:
    assert compare_key(mainland) == compare_key(taiwan)


def test_every_clause_of_the_simplified_seeds_meets_its_taiwan_copy() -> None:
    """Except where OpenCC's s2twp itself rewrites its own output: 进程 → 程序 → 程式."""
    to_taiwan = opencc_converter("s2twp").convert
    clauses = [clause for name in SIMPLIFIED_SEEDS for clause in _clauses(name) if "进程" not in clause]
    assert len(clauses) > 800
    assert [clause for clause in clauses if compare_key(clause) != compare_key(to_taiwan(clause))] == []


def test_the_traditional_seed_read_with_or_without_taiwan_phrasing_shares_a_key() -> None:
    """The gold annotations keep Taiwan phrasing in simplified characters (tw2s: 支援, 哈萨克); the
    loader writes it as the mainland does (tw2sp: 支持, 哈萨克斯坦)."""
    by_character, by_phrase = opencc_converter("tw2s").convert, opencc_converter("tw2sp").convert
    clauses = _clauses(TRADITIONAL_SEED)
    assert len(clauses) > 1000
    assert [clause for clause in clauses if compare_key(by_character(clause)) != compare_key(by_phrase(clause))] == []


def test_keys_drop_punctuation_and_white_space_and_widths() -> None:
    assert compare_key("《关于 推进开发区：高质量发展》") == compare_key("关于推进开发区高质量发展") != ""
    assert compare_key("ＡＢＣ１２３") == compare_key("ABC123")
    assert compare_key(None) == compare_key("") == ""


def test_document_numbers_meet_however_bracketed() -> None:
    assert number_key("武政〔2018〕35号") == number_key("武政[2018] 35號") == number_key("武政(2018)35号")
