"""Work over processes: results in the tasks' order, and a process that dies neither loses the
other tasks nor stalls the batch."""
from __future__ import annotations

import os
from collections import Counter

import pytest

from policykg.graph.parallel import ProcessLost, ordered_map


def _square(n: int) -> int:
    return n * n


def _square_or_die_on_three(n: int) -> int:
    if n == 3:
        os._exit(9)  # the process ends at once, as when the system kills it or native code crashes
    return n * n


def _process_of(n: int) -> int:
    return os.getpid()


def _reciprocal(n: int) -> float:
    return 1 / n


def test_results_come_in_the_order_of_the_tasks() -> None:
    assert list(ordered_map(_square, range(30), workers=2)) == [(n, n * n) for n in range(30)]


def test_a_task_that_kills_its_process_is_lost_alone_and_every_other_task_is_done() -> None:
    results = list(ordered_map(_square_or_die_on_three, range(12), workers=2))
    assert [task for task, _ in results] == list(range(12))
    assert results[3] == (3, ProcessLost())
    assert [result for task, result in results if task != 3] == [n * n for n in range(12) if n != 3]


def test_a_process_sent_so_many_tasks_ends_and_a_fresh_one_takes_its_place() -> None:
    results = list(ordered_map(_process_of, range(40), workers=2, per_message=2, retire_after=6))
    assert [task for task, _ in results] == list(range(40))
    served = Counter(process for _, process in results)
    assert max(served.values()) <= 6 and len(served) >= 7 and os.getpid() not in served


def test_an_error_in_a_task_is_raised_as_in_one_process() -> None:
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(_reciprocal, [1, 2, 0, 4], workers=2))
