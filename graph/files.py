"""Files written whole or not at all, files joined by the kernel in a process of their own, where
the pieces of a file lie (:class:`FileLayout`), and folders deleted apart.

    python -m policykg.graph.files OUT < job.json   # {"head": "...", "pieces": [["path", start, length], ...],
                                                    #  "align": 1}

joins ``head`` and each piece into OUT and prints the pieces' lengths (what :func:`join_in_process` runs).
"""
from __future__ import annotations

import ctypes
import errno
import functools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Iterable, Sequence

AT_FDCWD = -100  # renameat2's "relative to the working folder"
RENAME_EXCHANGE = 2
COPY_CHUNK = 1 << 20  # bytes read at a time where the kernel cannot copy between the files
FIRST_LINE_MAX = 4096  # bytes read to find where a part's first line ends
KERNEL_COPY_REFUSALS = (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP)

# a piece of a file to join: its path, where it starts (None: after its first line) and how long it
# is (None: to the file's end)
Piece = tuple[str, "int | None", "int | None"]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed over it: a reader sees the
    old file or the new one, and a file another folder shares by a hard link is left as it was.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a" / "b.txt", "园区"); (folder / "a" / "b.txt").read_text("utf-8")
    '园区'
    >>> import shutil; shutil.rmtree(folder)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def swap(path: Path, other: Path) -> bool:
    """Swap the files at ``path`` and ``other`` in one step (Linux's ``renameat2`` with
    ``RENAME_EXCHANGE``): a reader of ``other`` sees the old file or the new one, and the old one is
    left at ``path``. False, and nothing done, where the system cannot: no such call (another
    system, an old C library), a file system without it, or no file at ``other``.

    A file put in place so is written out by the kernel in its own time, as any written file is.
    One renamed over another is written out at the rename (ext4's ``auto_da_alloc``): the 780 MB
    graph.trig of 10,000 documents, 0.2 s of waiting for the disk at every refresh, or 0.6 s more
    to sync it before.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "new").write_text("新"); _ = (folder / "old").write_text("旧")
    >>> swap(folder / "new", folder / "old"), (folder / "old").read_text(), (folder / "new").read_text()
    (True, '新', '旧')
    >>> import shutil; shutil.rmtree(folder)
    """
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(path), AT_FDCWD, os.fsencode(other), RENAME_EXCHANGE) == 0:
        return True
    failure = ctypes.get_errno()
    if failure in (errno.ENOENT, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(failure, os.strerror(failure), str(other))


@functools.lru_cache(maxsize=1)
def libc() -> ctypes.CDLL:
    """The C library, for Linux's calls Python lacks; each leaves its reason in ``ctypes.get_errno()``."""
    return ctypes.CDLL(None, use_errno=True)


def append_from(source: int, start: int, out: int, length: int | None = None) -> None:
    r"""Append what the file open as ``source`` holds from byte ``start`` on (``length`` bytes of it,
    or all) to the file open as ``out``, at its position, copied by the kernel
    (``copy_file_range``) where the system allows, else read and written.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_bytes(b"# head\nbody"); _ = (folder / "b").write_bytes(b"x")
    >>> a, b = os.open(folder / "a", os.O_RDONLY), os.open(folder / "b", os.O_WRONLY)
    >>> _ = os.lseek(b, 0, os.SEEK_END)  # at the end: the kernel's copy refuses a file opened to append
    >>> append_from(a, 7, b); os.close(a); os.close(b); (folder / "b").read_bytes()
    b'xbody'
    >>> import shutil; shutil.rmtree(folder)
    """
    end = os.fstat(source).st_size if length is None else start + length
    start = _copied_by_kernel(source, start, end, out)
    while start < end:  # what the kernel could not copy: through a buffer
        chunk = os.pread(source, min(end - start, COPY_CHUNK), start)
        if not chunk:
            raise OSError(f"the file ends at byte {start}, not {end}")
        write_all(out, chunk)
        start += len(chunk)


def _copied_by_kernel(source: int, start: int, end: int, out: int) -> int:
    """Copy from ``start`` to ``end`` by the kernel while it can; where it got to. ``copy_file_range``
    is Linux's, and refuses some pairs of files (across file systems on older kernels, some file
    systems): then nothing more is copied here."""
    copy = getattr(os, "copy_file_range", None)
    while copy is not None and start < end:
        try:
            copied = copy(source, out, end - start, start)
        except OSError as exc:
            if exc.errno in KERNEL_COPY_REFUSALS:
                return start
            raise
        if copied == 0:
            raise OSError(f"the file ends at byte {start}, not {end}")
        start += copied
    return start


def write_all(out: int, data: bytes) -> None:
    """Write every byte of ``data`` to the file open as ``out`` (``os.write`` may write fewer)."""
    view = memoryview(data)
    while view:
        view = view[os.write(out, view):]


def join_pieces(out: Path, head: bytes, pieces: Sequence[Piece], align: int = 1) -> list[int]:
    r"""Write ``head``, then each piece, into ``out``, each piece followed by its :func:`padding`
    to a multiple of ``align`` bytes. Returns how long each piece was, padding included. Pieces
    that follow each other in one file are copied as one.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_bytes(b"# a\n<a> {}\n"); _ = (folder / "b").write_bytes(b"<b> {}\n<c> {}\n")
    >>> join_pieces(folder / "all", b"@prefix\n", [(str(folder / "a"), None, None), (str(folder / "b"), 7, 7)])
    [7, 7]
    >>> (folder / "all").read_bytes()
    b'@prefix\n<a> {}\n<c> {}\n'
    >>> join_pieces(folder / "all", b"", [(str(folder / "a"), None, None), (str(folder / "b"), 7, 7)], align=8)
    [8, 8]
    >>> (folder / "all").read_bytes()
    b'<a> {}\n\n<c> {}\n\n'
    >>> import shutil; shutil.rmtree(folder)
    """
    joined = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    lengths = []
    try:
        write_all(joined, head)
        pending: tuple[str, int, int] | None = None  # a range not copied yet, to be joined by the next
        for path, start, length in pieces:
            start, end = piece_bounds(path, start, length)
            pad = padding(end - start, align)
            lengths.append(end - start + len(pad))
            if pending and pending[0] == path and pending[2] == start:
                pending = (path, pending[1], end)
            else:
                if pending:
                    _copy_range(*pending, joined)
                pending = (path, start, end)
            if pad:
                _copy_range(*pending, joined)
                write_all(joined, pad)
                pending = None
        if pending:
            _copy_range(*pending, joined)
    finally:
        os.close(joined)
    return lengths


def padding(length: int, align: int) -> bytes:
    r"""What follows ``length`` bytes for the next to start at a multiple of ``align``: a line of
    spaces (whitespace, in TriG or Turtle), or nothing.

    >>> padding(4090, 4096), padding(8192, 4096), len(padding(1, 4096))
    (b'     \n', b'', 4095)
    """
    short = -length % align
    return b" " * (short - 1) + b"\n" if short else b""


def padded(data: bytes, align: int) -> bytes:
    """``data`` and its :func:`padding`."""
    return data + padding(len(data), align)


def piece_bounds(path: str, start: int | None, length: int | None) -> tuple[int, int]:
    """Where a piece starts and ends in its file."""
    if start is not None and length is not None:
        return start, start + length
    source = os.open(path, os.O_RDONLY)
    try:
        if start is None:
            first = os.pread(source, FIRST_LINE_MAX, 0)
            if b"\n" not in first:
                raise OSError(f"{path}: no first line within {FIRST_LINE_MAX} bytes")
            start = first.index(b"\n") + 1
        return start, os.fstat(source).st_size if length is None else start + length
    finally:
        os.close(source)


def _copy_range(path: str, start: int, end: int, out: int) -> None:
    source = os.open(path, os.O_RDONLY)
    try:
        append_from(source, start, out, end - start)
    finally:
        os.close(source)


@dataclass(frozen=True)
class FileLayout:
    """Where each piece of a file lies, by key (``key: (offset, length)``), what made the pieces
    (``rendering``: pieces made another way are other pieces under the same keys), and the file's
    size and time when it was written, to know it is still as written: a file written again copies
    its unchanged pieces from the one before.

    Kept as the keys and the pieces' lengths, in the order written: the pieces follow each other.
    The layouts of 10,000 documents' tables are 3.4 MB of JSON, where the ranges by key took 6.9 MB
    (writing the tables in a refresh: 0.43 s, against 0.64 s).

    >>> layout = FileLayout(30, 1, "csv", {"f1": (10, 12), "f2": (22, 8)})
    >>> FileLayout.from_json(layout.to_json()) == layout
    True
    """

    size: int
    mtime_ns: int
    rendering: str
    parts: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, path: Path, rendering: str, parts: dict[str, tuple[int, int]]) -> "FileLayout":
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, rendering, parts)

    @classmethod
    def following(cls, path: Path, rendering: str, start: int, keys: Sequence[str], lengths: Sequence[int]
                  ) -> "FileLayout":
        """The layout of ``path`` whose pieces, one per key, follow each other from ``start``."""
        return cls.of(path, rendering, dict(zip(keys, zip(accumulate(lengths, initial=start), lengths))))

    def describes(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)

    def parts_made_as(self, rendering: str) -> dict[str, tuple[int, int]]:
        """The pieces, where they were made as ``rendering`` says; else none."""
        return self.parts if rendering == self.rendering else {}

    def to_json(self) -> dict:
        """The layout as JSON values."""
        return {"size": self.size, "mtime_ns": self.mtime_ns, "start": next(iter(self.parts.values()), (0,))[0],
                "rendering": self.rendering, "files": list(self.parts),
                "lengths": [length for _, length in self.parts.values()]}

    @classmethod
    def from_json(cls, kept: dict) -> "FileLayout":
        files, lengths = kept["files"], kept["lengths"]
        if len(files) != len(lengths):
            raise ValueError("a layout gives as many lengths as files")
        parts = dict(zip(files, zip(accumulate(lengths, initial=kept["start"]), lengths)))
        return cls(kept["size"], kept["mtime_ns"], kept["rendering"], parts)


def write_layouts(path: Path, layouts: dict[str, FileLayout]) -> None:
    """Keep the layouts of some files, by name, in one JSON file."""
    path.write_text(json.dumps({name: layout.to_json() for name, layout in layouts.items()}), encoding="utf-8")


def read_layouts(path: Path) -> dict[str, FileLayout]:
    """The layouts :func:`write_layouts` kept; none when the file is missing or unreadable."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        return {name: FileLayout.from_json(layout) for name, layout in kept.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def remove_apart(folder: Path) -> None:
    """Delete ``folder`` in a process of its own, which this one does not wait for (it may outlive
    it): freeing a replaced graph.trig's blocks and unlinking a retired store's files took 0.5 s at
    the end of a refresh of 10,000 documents, when each store held 18,500 TriG bodies of its own.
    A deletion cut short leaves the folder, for the caller to remove again later."""
    subprocess.Popen([sys.executable, "-I", "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                      str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def join_in_process(out: Path, head: bytes, pieces: Sequence[Piece], align: int = 1) -> list[int]:
    """:func:`join_pieces` in a process of its own. Joined by a thread beside Python work, the tens
    of thousands of short system calls each waited for the interpreter's lock (a graph.trig of
    10,000 documents: over 3 s beside the views, 1 s alone); the thread that waits for a process
    holds no lock."""
    return json.loads(run_module(__name__, out, {"head": head.decode("utf-8"), "pieces": pieces, "align": align},
                                 "joining"))


def run_module(module: str, path: Path, job: dict, doing: str) -> bytes:
    """What ``python -m module path`` prints, given ``job`` as JSON on its standard input; a module
    that fails raises :class:`OSError` saying ``doing`` ``path``'s name failed, and why."""
    done = subprocess.run([sys.executable, "-m", module, str(path)],
                          input=json.dumps(job, ensure_ascii=False).encode("utf-8"), capture_output=True)
    if done.returncode:
        raise OSError(f"{doing} {path.name} failed: {done.stderr.decode('utf-8', 'replace').strip()[-2000:]}")
    return done.stdout


if __name__ == "__main__":
    request = json.loads(sys.stdin.buffer.read())
    try:
        print(json.dumps(join_pieces(Path(sys.argv[1]), request["head"].encode("utf-8"),
                                     [tuple(piece) for piece in request["pieces"]], request["align"])))
    except OSError as exc:
        sys.exit(str(exc))  # the reason alone, on standard error
