import ctypes
import errno
import os
import time
from pathlib import Path

import pytest

from policykg.graph import files
from policykg.graph.files import append_from, join_in_process, join_pieces, remove_apart, swap, write_atomically

TAIL = "".join(f"<urn:s{i}> <urn:p> \"园区{i}\" .\n" for i in range(50_000)).encode("utf-8")  # past one read


def _appended(folder: Path, start: int) -> bytes:
    (folder / "source").write_bytes(b"# sha256 0 quads 0\n" + TAIL)
    (folder / "out").write_bytes(b"@prefix\n")
    source, out = os.open(folder / "source", os.O_RDONLY), os.open(folder / "out", os.O_WRONLY)
    try:
        os.lseek(out, 0, os.SEEK_END)
        append_from(source, start, out)
    finally:
        os.close(source)
        os.close(out)
    return (folder / "out").read_bytes()


def test_a_file_is_appended_from_an_offset_by_the_kernel(tmp_path: Path) -> None:
    assert _appended(tmp_path, 19) == b"@prefix\n" + TAIL


@pytest.mark.parametrize("refusal", [errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP])
def test_where_the_kernel_cannot_copy_the_bytes_are_read_and_written(tmp_path: Path, refusal: int,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    kernel_copy = os.copy_file_range

    def refuse_after_a_while(source: int, out: int, count: int, offset: int) -> int:
        calls.append(offset)
        if len(calls) > 1:
            raise OSError(refusal, os.strerror(refusal))
        return kernel_copy(source, out, min(count, 1000), offset)  # a first part copied, then refused

    monkeypatch.setattr(os, "copy_file_range", refuse_after_a_while)
    assert _appended(tmp_path, 19) == b"@prefix\n" + TAIL and len(calls) == 2


def test_where_the_system_has_no_kernel_copy_the_bytes_are_read_and_written(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "copy_file_range")  # as on macOS
    assert _appended(tmp_path, 19) == b"@prefix\n" + TAIL
    assert join_pieces(tmp_path / "joined", b"", [(str(tmp_path / "source"), None, None)]) == [len(TAIL)]
    assert (tmp_path / "joined").read_bytes() == TAIL


def test_another_failure_is_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*arguments: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "copy_file_range", fail)
    with pytest.raises(OSError, match="No space left"):
        _appended(tmp_path, 19)


def test_a_file_written_atomically_replaces_the_old_one_whole(tmp_path: Path) -> None:
    write_atomically(tmp_path / "a.txt", "旧")
    write_atomically(tmp_path / "a.txt", "新的")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "新的"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_two_files_are_swapped(tmp_path: Path) -> None:
    (tmp_path / "new.csv").write_text("新", encoding="utf-8")
    (tmp_path / "out.csv").write_text("旧", encoding="utf-8")
    new_inode = os.stat(tmp_path / "new.csv").st_ino
    assert swap(tmp_path / "new.csv", tmp_path / "out.csv")
    assert os.stat(tmp_path / "out.csv").st_ino == new_inode
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "新"
    assert (tmp_path / "new.csv").read_text(encoding="utf-8") == "旧"


def test_no_swap_where_there_is_nothing_to_swap_with_or_no_way_to(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "new.csv").write_text("新", encoding="utf-8")
    assert not swap(tmp_path / "new.csv", tmp_path / "out.csv")
    (tmp_path / "out.csv").write_text("旧", encoding="utf-8")
    monkeypatch.setattr(files, "libc", lambda: object())  # a C library without renameat2
    assert not swap(tmp_path / "new.csv", tmp_path / "out.csv")
    assert sorted((p.name, p.read_text(encoding="utf-8")) for p in tmp_path.iterdir()) == [("new.csv", "新"),
                                                                                           ("out.csv", "旧")]


def test_a_swap_refused_for_another_reason_fails_and_names_the_file(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    class Refusing:
        @staticmethod
        def renameat2(*arguments: object) -> int:
            ctypes.set_errno(errno.EACCES)
            return -1

    monkeypatch.setattr(files, "libc", lambda: Refusing())
    with pytest.raises(PermissionError, match="out.csv"):
        swap(tmp_path / "new.csv", tmp_path / "out.csv")


def test_parts_are_joined_after_their_first_lines_in_a_process_of_their_own(tmp_path: Path) -> None:
    parts = []
    for number in range(3):
        (tmp_path / f"{number}.trig").write_bytes(f"# sha256 {number}\n".encode() + TAIL[number::3])
        parts.append((str(tmp_path / f"{number}.trig"), None, None))
    lengths = join_in_process(tmp_path / "graph.trig", "@prefix 园区\n".encode(), parts)
    assert (tmp_path / "graph.trig").read_bytes() == "@prefix 园区\n".encode() + TAIL[0::3] + TAIL[1::3] + TAIL[2::3]
    assert lengths == [len(TAIL[number::3]) for number in range(3)]


def test_ranges_of_one_file_that_follow_each_other_are_copied_at_once(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "before").write_bytes(TAIL)
    (tmp_path / "new").write_bytes(b"# head\nNEW")
    copied: list[int] = []
    append = files.append_from
    monkeypatch.setattr(files, "append_from", lambda source, start, out, length=None: copied.append(length) or append(
        source, start, out, length))
    before = str(tmp_path / "before")
    pieces = [(before, 0, 5), (before, 5, 5), (str(tmp_path / "new"), None, None), (before, 10, 3), (before, 20, 2)]
    assert join_pieces(tmp_path / "joined", b"", pieces) == [5, 5, 3, 3, 2]
    assert (tmp_path / "joined").read_bytes() == TAIL[:10] + b"NEW" + TAIL[10:13] + TAIL[20:22]
    assert copied == [10, 3, 3, 2]


def test_a_part_missing_fails_the_join_and_names_the_part(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"joining graph.trig failed: .*gone\.trig"):
        join_in_process(tmp_path / "graph.trig", b"", [(str(tmp_path / "gone.trig"), None, None)])


def test_a_folder_is_removed_apart_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "replaced"
    (folder / "store" / "trig").mkdir(parents=True)
    for i in range(200):
        (folder / "store" / "trig" / f"{i}.trig").write_bytes(TAIL[:100])
    remove_apart(folder)
    deadline = time.monotonic() + 60
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists() and tmp_path.exists()
