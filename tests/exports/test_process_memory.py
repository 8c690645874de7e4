"""The memory of a process tree, sampled from outside: every descendant counted, shared pages once."""
from __future__ import annotations

import subprocess
import sys

import psutil

from policykg.exports.process_memory import TreeMemoryPeak, tree_pss_mb

HOLD = "x = bytearray({mb} * 2**20); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep({seconds})"


def test_the_peak_sums_a_process_and_its_children_while_they_run_together() -> None:
    children = (f"import subprocess, sys; kids = [subprocess.Popen([sys.executable, '-c', {HOLD.format(mb=80, seconds=2)!r}])"
                f" for _ in range(2)]; {HOLD.format(mb=40, seconds=2)}; [kid.wait() for kid in kids]")
    with subprocess.Popen([sys.executable, "-c", children]) as parent, TreeMemoryPeak(parent.pid, 0.1) as peak:
        parent.wait()
    assert 200 < peak.mb < 400  # 80 + 80 + 40 MB held, and three Pythons


def test_pages_a_forked_copy_shares_are_counted_once() -> None:
    forked = (f"import os; {HOLD.format(mb=120, seconds=0)}; pid = os.fork()\n"
              "if pid == 0: time.sleep(2); os._exit(0)\n"
              "os.waitpid(pid, 0)")
    with subprocess.Popen([sys.executable, "-c", forked]) as parent, TreeMemoryPeak(parent.pid, 0.1) as peak:
        parent.wait()
    assert 120 < peak.mb < 200  # not 240: the copy's pages are the parent's until written


def test_a_process_that_has_ended_holds_nothing() -> None:
    holding = HOLD.format(mb=20, seconds=0) + "; print('holding', flush=True); time.sleep(10)"
    with subprocess.Popen([sys.executable, "-c", holding], stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stdout.readline() == "holding\n"
        process = psutil.Process(child.pid)
        assert tree_pss_mb(process) > 20
        child.kill()
    assert tree_pss_mb(process) == 0


def test_a_process_that_ends_within_half_a_second_is_sampled_while_it_runs() -> None:
    with subprocess.Popen([sys.executable, "-c", HOLD.format(mb=64, seconds=0.3)]) as child, \
            TreeMemoryPeak(child.pid) as peak:
        child.wait()
    assert peak.mb > 64  # not Python's start-up alone, sampled before the next half second
