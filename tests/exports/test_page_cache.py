"""Files dropped from the page cache are read from storage again: what the benchmark's cold refreshes rest on."""
import os
from pathlib import Path

import pytest

from policykg.exports.page_cache import evict
from tests.conftest import kept_in_memory

FILE_BYTES = 4 << 20


def read_from_storage() -> int:
    """What this process has read from storage, not from the page cache (Linux's /proc/self/io)."""
    with open("/proc/self/io", encoding="ascii") as counters:
        return next(int(line.split()[1]) for line in counters if line.startswith("read_bytes:"))


@pytest.fixture
def written(tmp_path: Path) -> Path:
    if not hasattr(os, "posix_fadvise") or not Path("/proc/self/io").exists():
        pytest.skip("the system neither drops a file's pages on request nor says what a process read")
    if kept_in_memory(tmp_path):
        pytest.skip("the temporary folder is kept in memory: there is no storage to read from")
    (tmp_path / "nested").mkdir()
    for name in ("graph.trig", "nested/table.csv"):
        (tmp_path / name).write_bytes(os.urandom(FILE_BYTES))
    return tmp_path


def read_all(folder: Path) -> int:
    """Bytes read from storage while reading every file under ``folder``."""
    before = read_from_storage()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            path.read_bytes()
    return read_from_storage() - before


def test_files_evicted_are_read_from_storage_again(written: Path) -> None:
    read_all(written)
    assert read_all(written) == 0  # in the page cache: nothing read from storage
    assert evict(written) == 2 * FILE_BYTES
    assert read_all(written) >= 2 * FILE_BYTES


def test_files_just_written_are_evicted_too(written: Path) -> None:
    (written / "new.csv").write_bytes(os.urandom(FILE_BYTES))  # not yet written out by the kernel
    evict(written)
    assert read_all(written) >= 3 * FILE_BYTES
