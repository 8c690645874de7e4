import html
import shutil
from pathlib import Path

from policykg.graph.copies import shared_with_other_files
from policykg.graph.corpus import load_corpus
from policykg.graph.store import PolicyStore

from ..conftest import SEEDS

WUHAN = SEEDS / "000_7de621c7132f9bb7.txt"
PLAN = "关于推进开发区建设的实施方案\n二、主要任务\n(一)优化布局。(责任单位:区发改局)\n"


def as_page(text: str) -> str:
    """A text reposted by another site: the same policy, a paragraph a line, in other bytes."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html><html><head><title>转载</title></head><body>{body}</body></html>"


def statuses(folder: Path, store: PolicyStore) -> dict[str, tuple[str, str]]:
    return {outcome.path: (outcome.status, outcome.reason) for outcome in load_corpus([folder], store).outcomes}


def test_files_holding_one_document_are_loaded_and_each_names_the_others(tmp_path: Path) -> None:
    shutil.copy(WUHAN, tmp_path / "wuhan.txt")
    shutil.copy(WUHAN, tmp_path / "wuhan_copy.txt")
    (tmp_path / "repost.html").write_text(as_page(WUHAN.read_text(encoding="utf-8")), encoding="gb18030")
    shutil.copy(SEEDS / "001_90d5fc22205fdc35.txt", tmp_path / "other.txt")
    store = PolicyStore.open(None)
    report = statuses(tmp_path, store)
    assert report == {
        "other.txt": ("loaded", ""),
        "repost.html": ("loaded-with-warnings", "the same document (title and 文号) as wuhan.txt, wuhan_copy.txt"),
        "wuhan.txt": ("loaded-with-warnings",
                      "a copy of wuhan_copy.txt (the same bytes); the same document (title and 文号) as repost.html"),
        "wuhan_copy.txt": ("loaded-with-warnings",
                           "a copy of wuhan.txt (the same bytes); the same document (title and 文号) as repost.html"),
    }
    documents = store.rows("SELECT ?doc WHERE { GRAPH ?g { ?doc pkg:titleKey ?t } }")
    assert len(set(documents)) == 4  # each file keeps its own, so that either can be removed alone


def test_a_file_added_later_names_the_file_already_in_the_store(tmp_path: Path) -> None:
    (tmp_path / "first").mkdir()
    (tmp_path / "later").mkdir()
    shutil.copy(WUHAN, tmp_path / "first" / "wuhan.txt")
    (tmp_path / "later" / "repost.html").write_text(as_page(WUHAN.read_text(encoding="utf-8")), encoding="utf-8")
    store = PolicyStore.open(None)
    assert statuses(tmp_path / "first", store) == {"wuhan.txt": ("loaded", "")}
    assert statuses(tmp_path / "later", store) == {
        "repost.html": ("loaded-with-warnings", "the same document (title and 文号) as wuhan.txt")}


def test_a_title_alone_or_a_number_alone_is_not_the_same_document(tmp_path: Path) -> None:
    """Many plans are called 实施方案; a 文号 written again under another title is another document
    (or a mistake in one of them), not a copy."""
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PLAN.replace("区发改局", "区财政局"), encoding="utf-8")
    text = WUHAN.read_text(encoding="utf-8")
    (tmp_path / "renamed.txt").write_text(text.replace("关于加快推进开发区改革", "关于深化开发区改革"), encoding="utf-8")
    (tmp_path / "wuhan.txt").write_text(text, encoding="utf-8")
    assert {status for status, _ in statuses(tmp_path, PolicyStore.open(None)).values()} == {"loaded"}


def test_a_compilation_says_which_of_its_parts_other_files_hold(tmp_path: Path) -> None:
    first = "武汉市人民政府关于促进园区发展的意见\n武政〔2019〕8号\n一、主要任务\n(一)优化布局。(责任单位:市发改委)\n"
    (tmp_path / "compilation.txt").write_text(first + WUHAN.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(WUHAN, tmp_path / "wuhan.txt")
    report = statuses(tmp_path, PolicyStore.open(None))
    assert report == {
        "compilation.txt": ("loaded-with-warnings",
                            "part 2: the same document (title and 文号) as wuhan.txt"),
        "wuhan.txt": ("loaded-with-warnings", "the same document (title and 文号) as compilation.txt part 2"),
    }
