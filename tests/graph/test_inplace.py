"""A joined file edited in place into another join: byte for byte the join, on a real file; left
as it was where a reader holds it or the file system cannot move blocks."""
from __future__ import annotations

import ctypes
import errno
import os
import random
from pathlib import Path

import pytest

from policykg.graph import inplace
from policykg.graph.files import FileLayout, Piece, join_pieces, padded
from policykg.graph.inplace import MAX_HUNKS, Edit, apply, edit_in_process, hunks, moves_blocks, plan_edit
from policykg.graph.trig import ALIGN
from tests.conftest import edits_in_place

HEAD = padded(b"@prefix pkg: <https://w3id.org/policykg/ontology#> .\n", ALIGN)


@pytest.fixture
def movable(tmp_path: Path) -> Path:
    """A folder whose file system moves blocks: else the test is skipped."""
    if not edits_in_place(tmp_path):
        pytest.skip("this file system cannot move a file's blocks (fallocate's insert and collapse ranges)")
    return tmp_path


def _bodies(folder: Path, keys: list[str], rng: random.Random) -> dict[str, Piece]:
    """A body file for each key, as the store keeps them: a first line, then the body."""
    (folder / "bodies").mkdir(exist_ok=True)
    pieces: dict[str, Piece] = {}
    for key in keys:
        body = f"<urn:{key}> {{\n".encode() + "园区".encode() * rng.randrange(0, 4000) + b"\n}\n"
        path = folder / "bodies" / f"{key}.trig"
        path.write_bytes(f"# sha256 {key}\n".encode() + body)
        pieces[key] = (str(path), None, None)
    return pieces


def _joined(path: Path, keys: list[str], pieces: dict[str, Piece]) -> FileLayout:
    lengths = join_pieces(path, HEAD, [pieces[key] for key in keys], ALIGN)
    return FileLayout.following(path, "trig", len(HEAD), keys, lengths)


def _changed(keys: list[str], rng: random.Random) -> list[str]:
    """Graphs ``g<number>:<version>`` in the order of their numbers, some removed, replaced
    (another version) or added, as between two refreshes."""
    graphs = {int(key[1:].split(":")[0]): key for key in keys}
    for number in rng.sample(range(60), rng.randrange(1, 8)):
        change = rng.random()
        if number in graphs and change < 0.4:
            del graphs[number]
        else:
            graphs[number] = f"g{number:02d}:{rng.randrange(1000)}"
    return [graphs[number] for number in sorted(graphs)]


@pytest.mark.parametrize("seed", range(12))
def test_an_edited_file_is_byte_for_byte_the_join_of_its_new_pieces(movable: Path, seed: int) -> None:
    rng = random.Random(seed)
    before = [f"g{number:02d}:0" for number in sorted(rng.sample(range(60), 30))]
    after = _changed(before, rng)
    pieces = _bodies(movable, sorted(set(before) | set(after)), rng)
    path, expected = movable / "graph.trig", movable / "expected.trig"
    layout = _joined(path, before, pieces)
    lengths = join_pieces(expected, HEAD, [pieces[key] for key in after], ALIGN)
    inode = path.stat().st_ino
    edit = plan_edit(path, layout, HEAD, after, [pieces[key] for key in after], ALIGN)
    assert edit is not None and edit.lengths == lengths
    assert edit_in_process(path, edit, ALIGN)
    assert path.read_bytes() == expected.read_bytes() and path.stat().st_ino == inode


def test_a_file_another_process_holds_open_is_left_as_it_is(movable: Path) -> None:
    pieces = _bodies(movable, ["g1:0", "g2:0", "g3:0", "g2:1"], random.Random(1))
    path = movable / "graph.trig"
    layout = _joined(path, ["g1:0", "g2:0", "g3:0"], pieces)
    after = ["g1:0", "g2:1", "g3:0"]
    edit = plan_edit(path, layout, HEAD, after, [pieces[key] for key in after], ALIGN)
    assert edit is not None
    written = path.read_bytes()
    with path.open("rb") as reader:
        assert not edit_in_process(path, edit, ALIGN)
        assert reader.read() == written
    assert edit_in_process(path, edit, ALIGN)  # the reader gone


def _edit_of_two_moves(folder: Path) -> tuple[Path, Edit]:
    """A file whose edit moves blocks twice: two graphs in its middle grown."""
    keys = ["g1:0", "g2:0", "g3:0", "g4:0", "g5:0"]
    pieces = _bodies(folder, keys + ["g2:1", "g4:1"], random.Random(2))
    pieces["g2:1"] = pieces["g4:1"] = _large(folder)
    path = folder / "graph.trig"
    layout = _joined(path, keys, pieces)
    after = ["g1:0", "g2:1", "g3:0", "g4:1", "g5:0"]
    edit = plan_edit(path, layout, HEAD, after, [pieces[key] for key in after], ALIGN)
    assert edit is not None and len(edit.hunks) == 2
    return path, edit


def _large(folder: Path) -> Piece:
    path = folder / "bodies" / "large.trig"
    path.write_bytes(b"# sha256 large\n<urn:large> {\n" + b"<urn:s> <urn:p> <urn:o> .\n" * 2000 + b"}\n")
    return (str(path), None, None)


def test_a_file_system_that_cannot_move_blocks_leaves_the_file_as_it_was(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path, edit = _edit_of_two_moves(tmp_path)
    written = path.read_bytes()

    def refuse(*arguments: object) -> int:
        ctypes.set_errno(errno.EOPNOTSUPP)
        return -1

    monkeypatch.setattr(inplace, "_fallocate", refuse)
    assert not apply(path, edit.hunks, ALIGN)
    assert path.read_bytes() == written


def test_a_file_system_is_asked_whether_it_moves_blocks_with_a_file_then_deleted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if edits_in_place(tmp_path):
        assert moves_blocks(tmp_path)

    def refuse(*arguments: object) -> int:
        ctypes.set_errno(errno.EOPNOTSUPP)
        return -1

    monkeypatch.setattr(inplace, "_fallocate", refuse)
    assert not moves_blocks(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_once_blocks_moved_is_not_hidden(movable: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, edit = _edit_of_two_moves(movable)
    moves: list[int] = []
    move = inplace._fallocate

    def fail_the_second(file: int, mode: int, offset: int, length: int) -> int:
        moves.append(offset)
        if len(moves) == 2:
            ctypes.set_errno(errno.EOPNOTSUPP)
            return -1
        return move(file, mode, offset, length)

    monkeypatch.setattr(inplace, "_fallocate", fail_the_second)
    with pytest.raises(OSError, match="Operation not supported"):
        apply(path, edit.hunks, ALIGN)
    assert moves == sorted(moves, reverse=True)  # from the file's end back


def test_a_piece_missing_fails_the_edit_and_names_it(movable: Path) -> None:
    path, edit = _edit_of_two_moves(movable)
    (movable / "bodies" / "large.trig").unlink()
    with pytest.raises(OSError, match=r"editing graph.trig failed: .*large\.trig"):
        edit_in_process(path, edit, ALIGN)


def test_no_edit_is_planned_where_the_file_is_not_as_its_layout_says(tmp_path: Path) -> None:
    keys = [f"g{number:02d}:0" for number in range(2 * MAX_HUNKS + 2)]
    pieces = _bodies(tmp_path, keys + ["g01:1"], random.Random(3))
    path = tmp_path / "graph.trig"
    layout = _joined(path, keys, pieces)
    after = ["g01:1" if key == "g01:0" else key for key in keys]

    def planned(layout: FileLayout = layout, head: bytes = HEAD, after: list[str] = after) -> Edit | None:
        return plan_edit(path, layout, head, after, [pieces[key] for key in after], ALIGN)

    assert planned() is not None
    assert planned(head=HEAD.replace(b"pkg:", b"pkh:")) is None  # other prefixes
    assert planned(after=keys[::2]) is None  # every other graph gone: more runs than are moved
    unaligned = FileLayout(layout.size, layout.mtime_ns, "trig", {"g00:0": (len(HEAD), ALIGN + 1)})
    assert planned(unaligned) is None
    os.utime(path, ns=(layout.mtime_ns, layout.mtime_ns + 1))
    assert planned() is None  # written since


@pytest.mark.parametrize(("after", "expected"), [
    (["a", "b", "c"], []),
    (["x", "a", "b", "c"], [(0, 0, ["x"])]),
    (["b", "c"], [(0, 4, [])]),
    (["a", "b"], [(8, 4, [])]),
    (["a", "b", "c", "x"], [(12, 0, ["x"])]),
    (["x", "y"], [(0, 12, ["x", "y"])]),
    (["a", "x", "y", "c"], [(4, 4, ["x", "y"])]),
    (["x", "b", "y"], [(0, 4, ["x"]), (8, 4, ["y"])]),
])
def test_hunks_replace_runs_of_pieces(after: list[str], expected: list[tuple[int, int, list[str]]]) -> None:
    before = {"a": (0, 4), "b": (4, 4), "c": (8, 4)}
    found = hunks(before, 12, after, {key: (key, 0, 1) for key in after if key not in before})
    assert [(hunk.offset, hunk.removed, [path for path, _, _ in hunk.added]) for hunk in found or []] == expected
