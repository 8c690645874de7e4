"""Work spread over processes, its results in the order of the tasks, surviving a process that dies.

A process can die under a task: killed by the system when memory runs out, or by a crash in native
code. ``multiprocessing.Pool`` then waits for the lost task forever. Here the broken pool is
replaced: the tasks it left unfinished run again, each alone in a fresh process, and a task that
kills that one too comes back as :class:`ProcessLost` while every other task gets its result.

>>> [(task, result) for task, result in ordered_map(abs, [-2, 3, -1], workers=2)]
[(-2, 2), (3, 3), (-1, 1)]
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
CHUNK = 8  # tasks sent to a process at once: one message each way for several tasks
AHEAD_PER_WORKER = 8  # chunks sent ahead of the one awaited, per process: work for it while this one is busy


@dataclass(frozen=True)
class ProcessLost:
    """A task whose process died under it twice: once among others, once alone."""

    reason: str = "the process working on it died (killed, out of memory, or a crash in native code)"


def ordered_map(function: Callable[[Task], Result], tasks: Iterable[Task], workers: int
                ) -> Iterator[tuple[Task, Result | ProcessLost]]:
    """``(task, function(task))`` for every task, in the tasks' order, ``function`` run in ``workers``
    spawned processes, :data:`CHUNK` tasks to a message, a few chunks in flight (the tasks are not
    all read ahead). An error
    ``function`` raises is raised here, as it would be in one process.

    ``function`` must be importable by name (a module's top-level function), as must its tasks'
    and results' types.
    """
    queue = iter(tasks)
    chunks = iter(lambda: list(islice(queue, CHUNK)), [])
    in_flight: deque[tuple[list[Task], Future[list[Result]]]] = deque()
    pool = _pool(workers)
    try:
        while True:
            for chunk in islice(chunks, AHEAD_PER_WORKER * workers - len(in_flight)):
                in_flight.append((chunk, _submitted(pool, function, chunk)))
            if not in_flight:
                return
            chunk, future = in_flight[0]
            if not isinstance(future.exception(), BrokenProcessPool):
                in_flight.popleft()
                yield from zip(chunk, future.result())
                continue
            pool.shutdown(cancel_futures=True)
            yield from _again_one_by_one(function, in_flight)
            in_flight.clear()
            pool = _pool(workers)
    finally:
        pool.shutdown(cancel_futures=True)


def _each(function: Callable[[Task], Result], chunk: list[Task]) -> list[Result]:
    return [function(task) for task in chunk]


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _submitted(pool: ProcessPoolExecutor, function: Callable[[Task], Result], chunk: list[Task]
               ) -> Future[list[Result]]:
    """The tasks sent to the pool; a pool already broken gives a future holding that error."""
    try:
        return pool.submit(_each, function, chunk)
    except BrokenProcessPool as broken:
        future: Future[list[Result]] = Future()
        future.set_exception(broken)
        return future


def _again_one_by_one(function: Callable[[Task], Result], in_flight: Iterable[tuple[list[Task], Future[list[Result]]]]
                      ) -> Iterator[tuple[Task, Result | ProcessLost]]:
    """The tasks a broken pool held: the results of those done before it broke; the others run again,
    one at a time in a process of their own, a fresh one after each that dies."""
    pool = _pool(1)
    try:
        for chunk, future in in_flight:
            if future.done() and not future.cancelled() and future.exception() is None:
                yield from zip(chunk, future.result())
                continue
            for task in chunk:
                try:
                    result: Result | ProcessLost = pool.submit(function, task).result()
                except BrokenProcessPool:
                    result = ProcessLost()
                    pool.shutdown()
                    pool = _pool(1)
                yield task, result
    finally:
        pool.shutdown()
