"""Work spread over processes, its results in the order of the tasks, surviving a process that dies.

A process can die under a task: killed by the system when memory runs out, or by a crash in native
code. ``multiprocessing.Pool`` then waits for the lost task forever, and ``ProcessPoolExecutor``
can too: its processes share one pipe for their results, and one killed while writing leaves the
reader waiting for the rest of a message. Here each process has pipes of its own, so a death is
the end of its pipe: the tasks it held run again, each alone in a fresh process, and a task that
kills that one too comes back as :class:`ProcessLost` while every other task gets its result.

>>> [(task, result) for task, result in ordered_map(abs, [-2, 3, -1], workers=2)]
[(-2, 2), (3, 3), (-1, 1)]
"""
from __future__ import annotations

import multiprocessing
import pickle
import queue
import threading
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
CHUNK = 8  # tasks sent to a process at once: one message each way for several tasks
AHEAD = 8  # chunks a process holds at once: work for it while this process is busy with results


@dataclass(frozen=True)
class ProcessLost:
    """A task whose process died under it twice: once among others, once alone."""

    reason: str = "the process working on it died (killed, out of memory, or a crash in native code)"


@dataclass(frozen=True)
class _Failed:
    """An error ``function`` raised, sent back to be raised where the results are read."""

    error: BaseException


def ordered_map(function: Callable[[Task], Result], tasks: Iterable[Task], workers: int, per_message: int = CHUNK,
                retire_after: int | None = None) -> Iterator[tuple[Task, Result | ProcessLost]]:
    """``(task, function(task))`` for every task, in the tasks' order, ``function`` run in ``workers``
    spawned processes, ``per_message`` tasks to a message and :data:`AHEAD` messages to a process (the
    tasks are not all read ahead; tasks that are batches already go one to a message, so that the
    processes share the last of them). An error ``function`` raises is raised here, as it would be
    in one process.

    With ``retire_after``, a process that was sent that many tasks gets no more: once it has
    answered them it ends, and a fresh one takes its place. What a long-lived process gathers as it
    works (the allocator's arenas, the caches of the code it runs) goes with it.

    ``function`` must be importable by name (a module's top-level function), as must its tasks'
    and results' types.
    """
    pending = iter(tasks)
    chunks = enumerate(iter(lambda: list(islice(pending, per_message)), []))
    sent: dict[int, list[Task]] = {}  # chunks not yet given back, by number
    done: dict[int, list[Result | ProcessLost]] = {}
    pool = [_Worker(function) for _ in range(workers)]
    next_number = 0
    try:
        while True:
            for index, worker in enumerate(pool):  # at most AHEAD chunks to a process, twice that many not given back
                if worker.retired(retire_after):
                    if worker.held:
                        continue
                    worker.stop()
                    worker = pool[index] = _Worker(function)
                room = min(AHEAD - len(worker.held), 2 * AHEAD * workers - len(sent))
                while room > 0 and not worker.retired(retire_after) and (item := next(chunks, None)) is not None:
                    number, chunk = item
                    sent[number] = chunk
                    worker.send(number, chunk)
                    room -= 1
            if next_number not in sent:
                return
            if next_number in done:
                yield from zip(sent.pop(next_number), done.pop(next_number))
                next_number += 1
            else:
                _collect(pool, function, sent, done)
    finally:
        for worker in pool:
            worker.stop()


def _collect(pool: list[_Worker], function: Callable[[Task], Result], sent: dict[int, list[Task]],
             done: dict[int, list[Result | ProcessLost]]) -> None:
    """Wait for results from any process; a process that died is replaced, and the chunks it held
    are run again task by task."""
    readers: dict[object, _Worker] = {worker.results: worker for worker in pool}
    for ready in wait([worker.results for worker in pool]):
        worker = readers[ready]
        try:
            number, outcome = worker.results.recv()
        except (EOFError, OSError):
            done.update(zip(worker.held, _one_by_one(function, [sent[number] for number in worker.held])))
            worker.stop()
            pool[pool.index(worker)] = _Worker(function)
            continue
        if isinstance(outcome, _Failed):
            raise outcome.error
        worker.held.remove(number)
        done[number] = outcome


def _one_by_one(function: Callable[[Task], Result], chunks: list[list[Task]]) -> list[list[Result | ProcessLost]]:
    """The chunks a process held when it died, run again a task at a time in a process of their
    own, a fresh one after each that dies: :class:`ProcessLost` for a task that kills it."""
    worker = _Worker(function)
    outcomes: list[list[Result | ProcessLost]] = []
    try:
        for chunk in chunks:
            outcomes.append([])
            for task in chunk:
                worker.send(0, [task])
                try:
                    _, outcome = worker.results.recv()
                except (EOFError, OSError):
                    outcomes[-1].append(ProcessLost())
                    worker.stop()
                    worker = _Worker(function)
                    continue
                if isinstance(outcome, _Failed):
                    raise outcome.error
                outcomes[-1].append(outcome[0])
    finally:
        worker.stop()
    return outcomes


@dataclass(eq=False)
class _Worker:
    """A spawned process with a pipe for chunks of tasks and a pipe for their results."""

    function: Callable[[Any], Any]
    held: list[int] = field(default_factory=list)  # the chunks sent and not answered, by number
    tasks_sent: int = 0

    def __post_init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        tasks_out, self.tasks = context.Pipe(duplex=False)
        self.results, results_in = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(self.function, tasks_out, results_in), daemon=True)
        self.process.start()
        tasks_out.close()
        results_in.close()  # the process holds the only writing end: its death ends the pipe

    def retired(self, after: int | None) -> bool:
        """Whether the process was sent ``after`` tasks or more: it gets no more."""
        return after is not None and self.tasks_sent >= after

    def send(self, number: int, chunk: list[Any]) -> None:
        self.held.append(number)
        self.tasks_sent += len(chunk)
        try:
            self.tasks.send((number, chunk))
        except OSError:
            pass  # the process is dead: its results pipe says so

    def stop(self) -> None:
        try:
            self.tasks.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.results.close()


def _serve(function: Callable[[Any], Any], tasks: Connection, results: Connection) -> None:
    """A worker process: run chunks as they come; a thread sends the results, so that a reader
    busy elsewhere never holds up the next chunk."""
    outbox: queue.Queue[tuple[int, Any] | None] = queue.Queue()
    sender = threading.Thread(target=_send_all, args=(outbox, results), daemon=True)
    sender.start()
    while (message := _received(tasks)) is not None:
        number, chunk = message
        try:
            outbox.put((number, [function(task) for task in chunk]))
        except Exception as error:  # raised where the results are read, as in one process
            outbox.put((number, _Failed(error)))
    outbox.put(None)
    sender.join()


def _received(tasks: Connection) -> tuple[int, list[Any]] | None:
    """The next chunk; ``None`` to stop, or when the reading process is gone."""
    try:
        return tasks.recv()
    except EOFError:
        return None


def _send_all(outbox: queue.Queue[tuple[int, Any] | None], results: Connection) -> None:
    while (message := outbox.get()) is not None:
        try:
            results.send(message)
        except (pickle.PicklingError, TypeError, AttributeError) as error:  # nothing was written
            results.send((message[0], _Failed(RuntimeError(f"a result could not be sent back: {error}"))))
