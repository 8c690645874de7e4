import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from policykg.exports.folder_lock import STORE_LOCK_FILE, changing_store, holds_lock, opening_store, writing_alone

HOLD = """
import sys
from pathlib import Path
from policykg.exports import folder_lock
with getattr(folder_lock, sys.argv[2])(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _holder(folder: Path, lock: str = "writing_alone") -> subprocess.Popen:
    """Another process holding ``folder``'s lock (as ``lock`` takes it) until a line comes on its
    standard input."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), lock], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def _entered_once_let_go(holder: subprocess.Popen, enter: Callable[[list[str]], None],
                         told: int = 0) -> tuple[list[str], list[str]]:
    """``enter(events)``, which notes what it did in ``events``, run in a thread while ``holder``
    holds its lock, which it then lets go of: the events 0.3 s after the first ``told`` of them
    (however slowly the thread starts), before it let go, and all."""
    events: list[str] = []
    thread = threading.Thread(target=enter, args=(events,))
    thread.start()
    deadline = time.monotonic() + 30
    while len(events) < told and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    before = list(events)
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    thread.join(30)
    assert holder.wait(30) == 0
    return before, events


def test_a_second_writer_is_told_and_waits_until_the_first_is_done(tmp_path: Path) -> None:
    def second(events: list[str]) -> None:
        with writing_alone(tmp_path, lambda: events.append("waiting")):
            events.append("writing")

    assert _entered_once_let_go(_holder(tmp_path), second, told=1) == (["waiting"], ["waiting", "writing"])


def test_a_reader_opening_the_store_waits_while_a_writer_changes_it(tmp_path: Path) -> None:
    def reader(events: list[str]) -> None:
        with opening_store(tmp_path):
            events.append("opening")

    holder = _holder(tmp_path, "changing_store")
    assert holds_lock(tmp_path, STORE_LOCK_FILE)
    assert _entered_once_let_go(holder, reader) == ([], ["opening"])


def test_readers_share_the_store_lock_and_a_writer_waits_for_them(tmp_path: Path) -> None:
    def writer(events: list[str]) -> None:
        with changing_store(tmp_path):
            events.append("changing")

    with changing_store(tmp_path):
        pass  # the lock's file, as a build leaves it
    holder = _holder(tmp_path, "opening_store")
    with opening_store(tmp_path):  # a second reader is not kept waiting
        pass
    assert _entered_once_let_go(holder, writer) == ([], ["changing"])


def test_a_reader_opens_a_folder_no_build_has_locked_without_the_lock(tmp_path: Path) -> None:
    with opening_store(tmp_path / "no-such-folder"):
        assert not (tmp_path / "no-such-folder").exists()


def test_a_writer_alone_is_not_told_to_wait(tmp_path: Path) -> None:
    told: list[str] = []
    with writing_alone(tmp_path / "new", lambda: told.append("waiting")):
        assert holds_lock(tmp_path / "new")
    assert told == [] and not holds_lock(tmp_path / "new")


def test_a_writer_killed_lets_go_of_the_lock(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    assert holds_lock(tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(30)
    told: list[str] = []
    with writing_alone(tmp_path, lambda: told.append("waiting")):
        pass
    assert told == []


def test_a_process_forked_from_a_writer_holds_no_lock(tmp_path: Path) -> None:
    child_reads, parent_writes = os.pipe()
    parent_reads, child_writes = os.pipe()
    with writing_alone(tmp_path):
        child = os.fork()
        if child == 0:  # the child outlives the block, as a process a killed writer left would
            os.write(child_writes, b"+")  # past the handlers a fork runs in the child
            os.read(child_reads, 1)
            os._exit(0)
    try:
        assert os.read(parent_reads, 1) == b"+"
        assert not holds_lock(tmp_path)
    finally:
        os.write(parent_writes, b"+")
        os.waitpid(child, 0)
        for handle in (child_reads, parent_writes, parent_reads, child_writes):
            os.close(handle)
