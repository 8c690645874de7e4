"""One writer at a time in a built folder.

``policykg build`` and ``policykg remove`` each stage a copy of the folder's store, refresh the
exports from it and publish both over what they started from. Two at once in one folder would
publish one after the other, and the second would drop what the first added; the second's start
would also sweep away the first's staging folder, as a killed build's leftovers. So each holds the
folder's lock (:data:`LOCK_FILE`) from start to end, and another writer waits for it.

The lock is the system's (``flock``): a writer killed lets go of it with its process. A process
forked from a writer does not hold it (:func:`_let_go_in_child`), so a child that outlives its
parent keeps no folder locked. Readers (queries, traces, the endpoint) never take it: they read
what was published last.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

LOCK_FILE = ".writer.lock"

_held: set[int] = set()  # the descriptors of the locks this process holds


@contextmanager
def writing_alone(folder: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold ``folder``'s writer lock through the block, ``folder`` made when missing. When another
    process holds it, ``waiting`` is called once, then the lock waited for.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()) / "out"
    >>> with writing_alone(folder): holds_lock(folder)
    True
    >>> holds_lock(folder)
    False
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _locked(handle, wait=False):
            waiting()
            _locked(handle, wait=True)
        _held.add(handle)
        yield
    finally:
        _held.discard(handle)
        os.close(handle)  # lets go of the lock


def holds_lock(folder: Path) -> bool:
    """Whether some process holds ``folder``'s writer lock (this one included)."""
    try:
        handle = os.open(folder / LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        return not _locked(handle, wait=False)
    finally:
        os.close(handle)


def _locked(handle: int, wait: bool) -> bool:
    """Take the lock on ``handle``; ``False`` when another holds it and ``wait`` is not asked for."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _let_go_in_child() -> None:
    """In a forked child: close its copies of the locks' descriptors. The parent's stay, and with
    them the locks; the child, which may outlive the parent, holds none."""
    for handle in _held:
        os.close(handle)
    _held.clear()


os.register_at_fork(after_in_child=_let_go_in_child)
