"""One writer at a time in a built folder, and readers that never open its store as it changes.

``policykg build`` and ``policykg remove`` each stage a copy of the folder's store, refresh the
exports from it and publish both over what they started from. Two at once in one folder would
publish one after the other, and the second would drop what the first added; the second's start
would also sweep away the first's staging folder, as a killed build's leftovers. So each holds the
folder's writer lock (:data:`LOCK_FILE`) from start to end, and another writer waits for it.

A writer changes the files of the store in place twice, briefly: opening it to copy it (the store
writes a new list of its files and drops the old one), and publishing the new store's folder in its
place, in a few renames. A reader opening the store meanwhile could find no folder, or read a list
of files and then not find them ("Corruption: ... No such file"). So a writer holds the store lock
(:data:`STORE_LOCK_FILE`) alone for those milliseconds, and a reader shares it while it opens the
store (Oxigraph opens every file of the store then); once open, the reader holds its files, and no
writer changes what it reads.

The locks are the system's (``flock``): a process killed lets go of them with it. A process forked
from a holder does not hold them (:func:`_let_go_in_child`), so a child that outlives its parent
keeps no folder locked.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

LOCK_FILE = ".writer.lock"
STORE_LOCK_FILE = ".store.lock"

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
    with _locked(os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644), fcntl.LOCK_EX, waiting):
        yield


@contextmanager
def changing_store(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s store lock alone through the block, which changes its store's files in
    place: readers opening the store wait."""
    with _locked(os.open(folder / STORE_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644), fcntl.LOCK_EX):
        yield


@contextmanager
def opening_store(folder: Path) -> Iterator[None]:
    """Share ``folder``'s store lock through the block, which opens its store: no writer changes its
    files meanwhile. Where the lock's file cannot be opened (no publish has made it yet, or this user may
    not read it), the block runs without it."""
    try:
        handle = os.open(folder / STORE_LOCK_FILE, os.O_RDONLY)
    except OSError:
        yield
        return
    with _locked(handle, fcntl.LOCK_SH):
        yield


def holds_lock(folder: Path, name: str = LOCK_FILE) -> bool:
    """Whether some process holds ``folder``'s lock ``name`` (this one included)."""
    try:
        handle = os.open(folder / name, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        return not _taken_at_once(handle, fcntl.LOCK_EX)
    finally:
        os.close(handle)


@contextmanager
def _locked(handle: int, kind: int, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock ``kind`` (shared or alone) on the open file ``handle`` through the block, and
    close it after; when it must be waited for, ``waiting`` is called first."""
    try:
        if not _taken_at_once(handle, kind):
            waiting()
            fcntl.flock(handle, kind)
        _held.add(handle)
        yield
    finally:
        _held.discard(handle)
        os.close(handle)  # lets go of the lock


def _taken_at_once(handle: int, kind: int) -> bool:
    """Take the lock ``kind`` on ``handle`` where no other process holds one in its way."""
    try:
        fcntl.flock(handle, kind | fcntl.LOCK_NB)
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
