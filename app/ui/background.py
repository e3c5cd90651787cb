"""Read-only service calls off the UI thread, so typing never waits for the database.

One worker thread (SQLite reads are cheap to serialise); when requests pile up, only the
newest result is delivered: an older search that finishes late must not overwrite a newer one.
Never touch widgets inside the submitted callable: it runs on the worker thread.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)


class _Job(QRunnable):
    def __init__(self, runner: LatestOnlyRunner, generation: int, fn: Callable[[], Any]):
        super().__init__()
        self.runner, self.generation, self.fn = runner, generation, fn

    def run(self) -> None:
        if self.generation != self.runner.generation:  # superseded before it started
            return
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the GUI thread, which decides what to show
            logger.exception("background query failed")
            self.runner._sig_failed.emit(self.generation, exc)
        else:
            self.runner._sig_done.emit(self.generation, result)


class LatestOnlyRunner(QObject):
    """`submit(fn, on_done, on_failed)`: run `fn()` on the worker, call back on the GUI thread."""

    _sig_done = Signal(int, object)
    _sig_failed = Signal(int, object)
    sig_busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.generation = 0
        self._callbacks: tuple[Callable[[Any], None], Callable[[Exception], None] | None] | None = None
        self._sig_done.connect(self._on_done)
        self._sig_failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return self._callbacks is not None

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self.generation += 1
        was_busy = self.busy
        self._callbacks = (on_done, on_failed)
        self._pool.start(_Job(self, self.generation, fn))
        if not was_busy:
            self.sig_busy_changed.emit(True)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (on quit, and in tools that need a settled state)."""
        return self._pool.waitForDone(msecs)

    def _finish(self, generation: int) -> tuple | None:
        if generation != self.generation or self._callbacks is None:
            return None
        callbacks, self._callbacks = self._callbacks, None
        self.sig_busy_changed.emit(False)
        return callbacks

    def _on_done(self, generation: int, result: Any) -> None:
        callbacks = self._finish(generation)
        if callbacks:
            callbacks[0](result)

    def _on_failed(self, generation: int, exc: Exception) -> None:
        callbacks = self._finish(generation)
        if callbacks and callbacks[1]:
            callbacks[1](exc)
