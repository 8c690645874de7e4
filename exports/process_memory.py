"""The memory a command and every process it starts hold together, sampled while it runs.

A process's own peak (``ru_maxrss``) says nothing of the processes beside it: a build's parsing
processes, or the views' process of a refresh, hold memory at the same time as the build. This
sums their proportional set sizes (PSS: a page shared by several processes, a library's or a
forked copy's, counted once in all), as the machine must hold them.

>>> import subprocess, sys
>>> holding = "x = bytearray(64 * 2**20); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(1.5)"
>>> with subprocess.Popen([sys.executable, "-c", holding]) as child, TreeMemoryPeak(child.pid, 0.1) as peak:
...     _ = child.wait()
>>> peak.mb > 64
True
"""
from __future__ import annotations

import threading
import time
from types import TracebackType

import psutil

SAMPLE_SECONDS = 0.5  # reading a process's PSS walks its pages: 14 ms for 500 MB
# the first second sampled more often: a query's process may end within half a second, and sampled
# at its start alone, its peak was Python's start-up (4.6 MB)
FIRST_SECOND, FIRST_SAMPLE_SECONDS = 1.0, 0.05


def tree_pss_mb(root: psutil.Process) -> float:
    """The PSS of ``root`` and of every process it started, summed, in MB; 0 once it has ended."""
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for process in processes:
        try:
            total += process.memory_full_info().pss
        except psutil.Error:  # ended meanwhile
            continue
    return total / 2**20


class TreeMemoryPeak:
    """The most memory the process ``pid`` and its descendants hold at once (:func:`tree_pss_mb`),
    sampled every ``every`` seconds in a thread of this process (more often in the first second:
    :data:`FIRST_SAMPLE_SECONDS`), from the ``with`` block's start to its end. Sampled from outside,
    the sampling's CPU is not the command's."""

    def __init__(self, pid: int, every: float = SAMPLE_SECONDS) -> None:
        self.mb = 0.0
        self._root = psutil.Process(pid)
        self._every = every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemoryPeak:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        started = time.monotonic()
        while True:
            self.mb = max(self.mb, tree_pss_mb(self._root))
            early = time.monotonic() - started < FIRST_SECOND
            if self._done.wait(min(self._every, FIRST_SAMPLE_SECONDS) if early else self._every):
                return
