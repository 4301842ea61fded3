"""Time limits in any thread, from one watchdog thread instead of one timer per call.

Why not ``signal.setitimer``: Python delivers signals to the main thread only, so the
article time limit did nothing in the API's worker threads (or Dask tasks). Why not a
``threading.Timer`` per call: each one is a new OS thread, and the API made one per read.

``Watchdog`` runs callbacks at their due time on a single daemon thread that exits when
nothing is scheduled (and starts again on demand). Outside the main thread ``deadline``
uses it to raise an exception *in the calling thread* (``PyThreadState_SetAsyncExc``) when
a block runs too long; in the main thread it keeps using SIGALRM, which also interrupts
a blocking sleep or read. The exception arrives at the next Python bytecode, so a stage stuck in one long C
call (a regex, spaCy's tokenizer) is stopped when that call returns, not inside it.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Deadline(Exception):  # noqa: N818 - it names the event, like TimeoutError
    """Raised inside a ``deadline`` block that ran past its time."""


class Handle:
    """One scheduled callback; ``Watchdog.cancel`` stops it if it has not run yet."""

    __slots__ = ("cancelled", "due", "fn")

    def __init__(self, due: float, fn: Callable[[], None]) -> None:
        self.due, self.fn, self.cancelled = due, fn, False


class Watchdog:
    """Callbacks at a monotonic due time, all on one lazily started daemon thread."""

    def __init__(self, name: str = "kronika-watchdog") -> None:
        self.name = name
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Handle]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def call_later(self, delay: float, fn: Callable[[], None]) -> Handle:
        """Run ``fn()`` on the watchdog thread ``delay`` seconds from now."""
        handle = Handle(time.monotonic() + delay, fn)
        with self._cond:
            heapq.heappush(self._heap, (handle.due, next(self._seq), handle))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return handle

    def cancel(self, handle: Handle) -> None:
        with self._cond:
            handle.cancelled = True

    @property
    def running(self) -> bool:
        """Whether the watchdog thread is alive now (it exits when idle)."""
        with self._cond:
            return self._thread is not None

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].cancelled:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._thread = None
                    return
                due, _, handle = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            try:
                handle.fn()
            except Exception:  # noqa: BLE001, S110 - a failing callback must not stop the others
                pass


class _Armed:
    """Shared between a ``deadline`` block and its callback: whether it may still fire."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = True
        self.fired = False


@contextmanager
def deadline(seconds: float, watchdog: Watchdog, exc: type[BaseException] = Deadline) -> Iterator[None]:
    """Raise ``exc`` in this thread if the block runs longer than ``seconds`` (0: no limit).

    In the main thread a real-time interval timer (SIGALRM) does it, which also cuts a
    blocking call short (``time.sleep``, a read); in any other thread the watchdog does."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds, exc):
            yield
        return
    tid = threading.get_ident()
    armed = _Armed()

    def fire() -> None:
        with armed.lock:
            if armed.active:
                armed.fired = True
                _async_raise(tid, exc)

    handle = watchdog.call_later(seconds, fire)
    try:
        yield
    finally:
        with armed.lock:
            armed.active = False
        watchdog.cancel(handle)
        if armed.fired:
            _async_raise(tid, None)  # not delivered yet (the block ended first): withdraw it


@contextmanager
def _alarm(seconds: float, exc: type[BaseException]) -> Iterator[None]:
    """``exc`` from a SIGALRM handler after ``seconds`` (main thread only); the previous
    handler and timer state are restored on exit."""

    def on_alarm(signum: int, frame: object) -> None:
        raise exc()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Schedule ``exc`` in thread ``thread_id`` (``None`` clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else ctypes.c_void_p(0)
    )
