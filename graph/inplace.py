"""A file joined of pieces (:func:`~.files.join_pieces`) edited in place into another join of
pieces by moving its blocks, where Linux allows it (``fallocate`` with ``FALLOC_FL_COLLAPSE_RANGE``
and ``FALLOC_FL_INSERT_RANGE``: ext4, XFS): the pieces both joins hold stay where they lie on the
disk, unread, and only the new ones are written. Every piece starts and ends at a multiple of the
file system's block, padded (:func:`~.files.padding`).

A refresh of 10,000 documents so writes the few graphs of graph.trig that changed, where joining
the file again copies 880 MB: 2 s of reading from the disk, on a store not read lately.

The edit is made in a process of its own, which first takes a write lease on the file (Linux's
``F_SETLEASE``): granted only while no other process holds the file open, so no reader sees the
file change under it. Where it is not granted, nothing is done, and the caller joins the file anew.

    python -m policykg.graph.inplace FILE < edit.json   # {"align": 4096, "hunks": [[offset, removed, pieces], ...]}

edits FILE, each hunk's pieces (``[["path", start, end], ...]``) written in place of ``removed`` bytes
from ``offset``, and prints ``edited``, or ``refused`` when it cannot (what :func:`edit_in_process` runs).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Mapping, Sequence

from .files import FileLayout, Piece, append_from, libc, padding, piece_bounds, run_module, write_all

COLLAPSE_RANGE = 0x08  # fallocate's FALLOC_FL_COLLAPSE_RANGE: the range's blocks taken out, what follows moved back
INSERT_RANGE = 0x20  # FALLOC_FL_INSERT_RANGE: a hole of the range's length made at its start, what follows moved on
MOVE_REFUSALS = (errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)  # a file system that cannot move a file's blocks
# past this many runs of changed pieces, the file is joined anew: each moves the blocks of all that
# follows it, and waits for the disk to write what of that is not written yet
MAX_HUNKS = 64

Range = tuple[str, int, int]  # a piece as it lies: its file, where it starts and where it ends


@dataclass(frozen=True)
class Hunk:
    """A run of pieces replaced: ``removed`` bytes from ``offset`` in the file as it was, and the
    pieces written there instead, in order, each padded."""

    offset: int
    removed: int
    added: tuple[Range, ...]

    def length(self, align: int) -> int:
        """How long the pieces written are, padding included."""
        return sum(_padded_length(piece, align) for piece in self.added)


@dataclass(frozen=True)
class Edit:
    """What makes a file of pieces another (:func:`plan_edit`): its hunks, and every piece's length
    in the file edited, in order."""

    hunks: list[Hunk]
    lengths: list[int]


def hunks(before: Mapping[str, tuple[int, int]], end: int, keys: Sequence[str], new: Mapping[str, Range]
          ) -> list[Hunk] | None:
    """The hunks that make a file whose pieces lie as ``before`` says (``key: (offset, length)``, in
    the order of the file, which ends at ``end``) one of the pieces of ``keys``, in order: those of
    ``before`` kept where they lie, the others from ``new``. ``None`` when the pieces kept do not
    come in the same order in both.

    >>> before = {"a": (0, 4), "b": (4, 4), "c": (8, 4)}
    >>> hunks(before, 12, ["a", "x", "c", "y"], {"x": ("x.trig", 0, 9), "y": ("y.trig", 0, 1)})
    [Hunk(offset=4, removed=4, added=(('x.trig', 0, 9),)), Hunk(offset=12, removed=0, added=(('y.trig', 0, 1),))]
    >>> hunks(before, 12, ["c", "a"], {}) is None
    True
    """
    wanted = set(keys)
    if [key for key in before if key in wanted] != [key for key in keys if key in before]:
        return None
    items = list(before.items())
    found: list[Hunk] = []
    index = 0  # the first piece of ``before`` not yet passed
    start: int | None = None  # where the run of pieces replaced starts, once one is taken out
    removed, added = 0, list[Range]()
    for key in keys:
        while index < len(items) and items[index][0] not in wanted:
            offset, length = items[index][1]
            start = offset if start is None else start
            removed += length
            index += 1
        if index < len(items) and items[index][0] == key:  # kept: the run, if any, ends here
            if removed or added:
                found.append(Hunk(items[index][1][0] if start is None else start, removed, tuple(added)))
            start, removed, added = None, 0, []
            index += 1
        else:
            added.append(new[key])
    for _, (offset, length) in items[index:]:
        start = offset if start is None else start
        removed += length
    if removed or added:
        found.append(Hunk(end if start is None else start, removed, tuple(added)))
    return found


def plan_edit(path: Path, layout: FileLayout, head: bytes, keys: Sequence[str], pieces: Sequence[Piece],
              align: int) -> Edit | None:
    """What makes the file at ``path``, as ``layout`` says it lies, the join of ``head`` and the
    ``pieces`` of ``keys`` (:func:`~.files.join_pieces` with ``align``): the pieces of its layout
    kept, the others read from ``pieces``. ``None`` where it cannot be edited so: the layout no
    longer describes it, it starts otherwise than with ``head``, its pieces do not start at
    multiples of ``align`` or its file system's block does not divide ``align``, or more than
    :data:`MAX_HUNKS` runs of pieces changed."""
    parts = layout.parts
    if (not layout.describes(path) or any(offset % align or length % align for offset, length in parts.values())
            or next(iter(parts.values()), (len(head),))[0] != len(head) or align % os.statvfs(path).f_bsize
            or _head(path, len(head)) != head):
        return None
    new = {key: _range(piece) for key, piece in zip(keys, pieces) if key not in parts}
    found = hunks(parts, layout.size, keys, new)
    if found is None or len(found) > MAX_HUNKS:
        return None
    lengths = [parts[key][1] if key in parts else _padded_length(new[key], align) for key in keys]
    return Edit(found, lengths)


def _head(path: Path, length: int) -> bytes:
    with path.open("rb") as file:
        return file.read(length)


def _range(piece: Piece) -> Range:
    return (piece[0], *piece_bounds(*piece))


def _padded_length(piece: Range, align: int) -> int:
    length = piece[2] - piece[1]
    return length + len(padding(length, align))


def edit_in_process(path: Path, edit: Edit, align: int) -> bool:
    """Make ``edit`` to the file at ``path`` in a process of its own (:func:`apply`), which holds the
    write lease; whether it was made. A failure after the file began to change raises
    :class:`OSError`: the file is then neither the one before nor the one asked for."""
    job = {"align": align, "hunks": [[hunk.offset, hunk.removed, hunk.added] for hunk in edit.hunks]}
    return run_module(__name__, path, job, "editing").strip() == b"edited"


def apply(path: Path, found: Sequence[Hunk], align: int) -> bool:
    """Make the hunks ``found`` (in the order of the file) to the file at ``path``, under a write
    lease; ``False``, and nothing done, where no lease is granted (another process holds the file
    open, or its file system gives none) or the file system cannot move blocks."""
    signal.signal(signal.SIGIO, signal.SIG_IGN)  # told of an opener, who then waits for the lease to be given back
    file = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.fcntl(file, fcntl.F_SETLEASE, fcntl.F_WRLCK)
        except OSError:
            return False
        try:
            starts = _make_room(file, found, align)
            for start, hunk in zip(starts or (), found):
                _write_pieces(file, start, hunk.added, align)
        finally:
            fcntl.fcntl(file, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    finally:
        os.close(file)
    return starts is not None


def _make_room(file: int, found: Sequence[Hunk], align: int) -> list[int] | None:
    """Each hunk's old pieces' room made the length of its new ones, from the last hunk back, one at
    the file's end last; where each hunk now starts. ``None``, and nothing done, where the file
    system refuses the first move."""
    size = os.fstat(file).st_size
    changes = [hunk.length(align) - hunk.removed for hunk in found]
    at_end = bool(found) and found[-1].offset + found[-1].removed >= size
    moved = False
    for hunk, change in reversed(list(zip(found, changes))[:len(found) - at_end]):
        if not change:
            continue
        if _fallocate(file, INSERT_RANGE if change > 0 else COLLAPSE_RANGE, hunk.offset, abs(change)):
            failure = ctypes.get_errno()
            if failure in MOVE_REFUSALS and not moved:
                return None
            raise OSError(failure, os.strerror(failure))
        moved = True
    starts = [hunk.offset + shift for hunk, shift in zip(found, accumulate(changes, initial=0))]
    if at_end:
        os.ftruncate(file, starts[-1] + found[-1].length(align))
    return starts


def moves_blocks(folder: Path) -> bool:
    """Whether the file system of ``folder`` moves a file's blocks: the first block taken out of a
    file of two (:data:`COLLAPSE_RANGE`), made and deleted here. A build keeps no spare graph.trig
    where it does not (tmpfs, btrfs).

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); moves_blocks(folder) in (True, False)
    True
    >>> list(folder.iterdir()); folder.rmdir()
    []
    """
    block = os.statvfs(folder).f_bsize
    handle, probe = tempfile.mkstemp(dir=folder, prefix=".moves-blocks-")
    try:
        os.ftruncate(handle, 2 * block)
        return _fallocate(handle, COLLAPSE_RANGE, 0, block) == 0
    finally:
        os.close(handle)
        os.unlink(probe)


def _fallocate(file: int, mode: int, offset: int, length: int) -> int:
    """Linux's ``fallocate``: 0 when done, else -1 and the reason in ``ctypes.get_errno()``."""
    call = libc().fallocate
    call.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong]
    return int(call(file, mode, offset, length))


def _write_pieces(file: int, start: int, pieces: Sequence[Range], align: int) -> None:
    """The pieces, each padded, written into the file open as ``file`` from ``start`` on."""
    os.lseek(file, start, os.SEEK_SET)
    for path, begin, end in pieces:
        source = os.open(path, os.O_RDONLY)
        try:
            append_from(source, begin, file, end - begin)
        finally:
            os.close(source)
        write_all(file, padding(end - begin, align))


if __name__ == "__main__":
    request = json.loads(sys.stdin.buffer.read())
    job = [Hunk(offset, removed, tuple(tuple(piece) for piece in added)) for offset, removed, added in request["hunks"]]
    try:
        print("edited" if apply(Path(sys.argv[1]), job, request["align"]) else "refused")
    except OSError as exc:
        sys.exit(str(exc))  # the reason alone, on standard error
