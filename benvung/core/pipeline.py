"""Database work done on a second thread while the calling thread goes on computing.

A large import reads and checks a chunk of rows in Python while the database writes the
chunk before it: on a two-core server the two take a core each, instead of waiting for each
other. The worker thread uses the caller's own connection, and so its transaction: the
caller must not touch the database while the worker holds it (between `start` and the end
of the `with` block), only hand it work with `submit` or `call`. The work runs in the order
given; the first error stops it and is raised again in the caller.

A worker with `own_connection` reads on a connection of its own instead (outside the
caller's transaction: it sees what others committed, not what the caller wrote), so that
its questions do not wait behind the writes queued on the caller's connection.

With `threaded=False` every function runs at once in the caller: the same code path for a
small write, where a thread would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")

# Seconds between the interpreter's thread switches while a worker runs.
_SWITCH_INTERVAL = 0.0005
# No automatic collection of the interpreter's garbage during bulk work (a threshold of 0
# turns it off): a chunk's tens of thousands of rows would otherwise be moved to the oldest
# generation while still in use, and every full collection walks every object of the
# process. The rows, their checks and their writes make no reference cycles (a million-row
# import ends with the same peak memory either way), and collection resumes after.
_GC_THRESHOLD = 0


class _SharedSetting(Generic[T]):
    """A setting of the whole interpreter, changed while any of its users runs: two imports
    in two threads of one server share it, and the last to finish gives the old value
    back."""

    def __init__(self, read: Callable[[], T], write: Callable[[T], None], value: T) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._read, self._write, self._value = read, write, value
        self._saved = read()

    def enter(self) -> None:
        with self._lock:
            if self._running == 0:
                self._saved = self._read()
                self._write(self._value)
            self._running += 1

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._write(self._saved)


_switch_interval = _SharedSetting(sys.getswitchinterval, sys.setswitchinterval, _SWITCH_INTERVAL)
_gc_threshold = _SharedSetting(
    gc.get_threshold,
    lambda threshold: gc.set_threshold(*threshold),
    (_GC_THRESHOLD, *gc.get_threshold()[1:]),
)


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """No automatic collection of the interpreter's garbage while a large file is checked
    and written (a million-row import spent 0.5–0.7 s of its CPU in it, even when the youngest
    generation was collected every 50,000 allocations instead of 700)."""
    _gc_threshold.enter()
    try:
        yield
    finally:
        _gc_threshold.leave()


class DatabaseWorker:
    """Runs functions in order on the caller's connection (or on one of its own), on a
    thread of its own."""

    def __init__(
        self, *, threaded: bool, own_connection: bool = False, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        self.threaded = threaded
        self.own_connection = own_connection
        self.using = using
        self._executor: ThreadPoolExecutor | None = None
        self._connection: BaseDatabaseWrapper | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> DatabaseWorker:
        if self.threaded:
            if self.own_connection:
                initializer = self._own
            else:
                connection = connections[self.using]
                # Django refuses a connection used by another thread unless told it is shared.
                connection.inc_thread_sharing()

                def initializer() -> None:
                    connections[self.using] = connection

            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="benvung-db", initializer=initializer
            )
            # The worker waits for the database, then for the interpreter lock, which a
            # computing thread hands over every 5 ms by default: each of a write's dozens of
            # round trips would wait that long again.
            _switch_interval.enter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._executor is None:
            if kind is None:
                self.raise_failure()
            return
        try:
            self._executor.shutdown(wait=True, cancel_futures=kind is not None)
        finally:
            if not self.own_connection:
                connections[self.using].dec_thread_sharing()
            elif self._connection is not None:
                # Closed here, the thread being done with it.
                self._connection.close()
                self._connection.dec_thread_sharing()
                self._connection = None
            _switch_interval.leave()
            self._executor = None
        if kind is None:
            self.raise_failure()

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Run `function(*args)` after the work already given; its future result. Once a
        function has failed, the work after it is not run (its future is cancelled)."""
        if self._executor is None:
            future: Future[T] = Future()
            if self._error is not None:
                future.cancel()
                return future
            try:
                future.set_result(function(*args))
            except BaseException as exc:  # handed to whoever asks for the result
                self._error = exc
                future.set_exception(exc)
            return future

        def run() -> T:
            if self._error is not None:
                raise _Skipped
            try:
                return function(*args)
            except BaseException as exc:
                self._error = exc
                raise

        # The caller's context (who listens to the import's progress) goes with the work.
        return self._executor.submit(contextvars.copy_context().run, run)

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function(*args)` after the work already given and wait for its result."""
        return self.result(self.submit(function, *args))

    def result(self, future: Future[T]) -> T:
        """The result of work given, once it has run; the first error of the work if it or
        anything before it failed."""
        if not future.cancelled():
            try:
                return future.result()
            except _Skipped:
                pass
        self.raise_failure()
        raise RuntimeError("work cancelled without an error")

    def _own(self) -> None:
        # On the worker's thread: Django's connections are per thread, so this is a new one
        # (it connects at its first query), shared so that the caller can close it.
        self._connection = connections[self.using]
        self._connection.inc_thread_sharing()

    @property
    def failed(self) -> bool:
        """Whether a function given has failed."""
        return self._error is not None

    def raise_failure(self) -> None:
        """Raise the first error of the work given, if any."""
        if self._error is not None:
            raise self._error


class _Skipped(Exception):
    """Work not run because earlier work failed."""
