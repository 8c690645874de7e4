import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

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


def _until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_a_second_writer_is_told_and_waits_until_the_first_is_done(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    events: list[str] = []

    def second() -> None:
        with writing_alone(tmp_path, lambda: events.append("waiting")):
            events.append("writing")

    thread = threading.Thread(target=second)
    thread.start()
    assert _until(lambda: events == ["waiting"])
    time.sleep(0.3)
    assert events == ["waiting"]  # not in while the other holds it
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    thread.join(30)
    assert events == ["waiting", "writing"] and holder.wait(30) == 0


def test_a_reader_opening_the_store_waits_while_a_writer_changes_it(tmp_path: Path) -> None:
    holder = _holder(tmp_path, "changing_store")
    events: list[str] = []

    def reader() -> None:
        with opening_store(tmp_path):
            events.append("opening")

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.3)
    assert events == [] and holds_lock(tmp_path, STORE_LOCK_FILE)
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    thread.join(30)
    assert events == ["opening"] and holder.wait(30) == 0


def test_readers_share_the_store_lock_and_a_writer_waits_for_them(tmp_path: Path) -> None:
    with changing_store(tmp_path):
        pass  # the lock's file, as a build leaves it
    holder = _holder(tmp_path, "opening_store")
    with opening_store(tmp_path):  # a second reader is not kept waiting
        pass
    events: list[str] = []

    def writer() -> None:
        with changing_store(tmp_path):
            events.append("changing")

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    assert events == []
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    thread.join(30)
    assert events == ["changing"] and holder.wait(30) == 0


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
