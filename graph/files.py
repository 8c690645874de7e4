"""Files written whole or not at all, files joined by the kernel in a process of their own, and
folders deleted by one.

    python -m policykg.graph.files OUT < job.json   # {"head": "...", "parts": ["path", ...]}

joins ``head`` and each part after its first line into OUT (what :func:`join_in_process` runs).
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterable

COPY_CHUNK = 1 << 20  # bytes read at a time where the kernel cannot copy between the files
FIRST_LINE_MAX = 4096  # bytes read to find where a part's first line ends
KERNEL_COPY_REFUSALS = (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed over it: a reader sees the
    old file or the new one, and a file another folder shares by a hard link is left as it was.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a" / "b.txt", "园区"); (folder / "a" / "b.txt").read_text("utf-8")
    '园区'
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


def join_after_first_lines(out: Path, head: bytes, parts: Iterable[str]) -> None:
    r"""Write ``head``, then each file of ``parts`` from its second line on, into ``out``; synced to
    disk before it returns.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_bytes(b"# a\n<a> {}\n"); _ = (folder / "b").write_bytes(b"# b\n<b> {}\n")
    >>> join_after_first_lines(folder / "all", b"@prefix\n", [str(folder / "a"), str(folder / "b")])
    >>> (folder / "all").read_bytes()
    b'@prefix\n<a> {}\n<b> {}\n'
    """
    joined = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all(joined, head)
        for part in parts:
            source = os.open(part, os.O_RDONLY)
            try:
                first = os.pread(source, FIRST_LINE_MAX, 0)
                if b"\n" not in first:
                    raise OSError(f"{part}: no first line within {FIRST_LINE_MAX} bytes")
                append_from(source, first.index(b"\n") + 1, joined)
            finally:
                os.close(source)
        getattr(os, "fdatasync", os.fsync)(joined)  # fdatasync where the system has it (not macOS)
    finally:
        os.close(joined)


def remove_apart(folder: Path) -> None:
    """Delete ``folder`` in a process of its own, which this one does not wait for (it may outlive
    it): freeing a replaced graph.trig's blocks and unlinking a retired store's 18,500 files took
    0.5 s at the end of a refresh of 10,000 documents. A deletion cut short leaves the folder, for
    the caller to remove again later."""
    subprocess.Popen([sys.executable, "-I", "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                      str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def join_in_process(out: Path, head: bytes, parts: list[str]) -> None:
    """:func:`join_after_first_lines` in a process of its own. Joined by a thread beside Python work,
    the tens of thousands of short system calls each waited for the interpreter's lock (a graph.trig
    of 10,000 documents: over 3 s beside the views, 1 s alone); the thread that waits for a process
    holds no lock."""
    job = json.dumps({"head": head.decode("utf-8"), "parts": parts}, ensure_ascii=False)
    done = subprocess.run([sys.executable, "-m", __name__, str(out)], input=job.encode("utf-8"), capture_output=True)
    if done.returncode:
        raise OSError(f"joining {out.name} failed: {done.stderr.decode('utf-8', 'replace').strip()[-2000:]}")


if __name__ == "__main__":
    request = json.loads(sys.stdin.buffer.read())
    try:
        join_after_first_lines(Path(sys.argv[1]), request["head"].encode("utf-8"), request["parts"])
    except OSError as exc:
        sys.exit(str(exc))  # the reason alone, on standard error
