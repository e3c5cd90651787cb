"""Sync with the county server in the background, and decide when to try again.

`SyncWorker` lives on its own QThread and runs `SyncRunner.run_once()` there; it never touches a
widget. `SyncScheduler` lives on the UI thread: it owns that thread and one single-shot timer
that drives every attempt, so no failure path can stop the retries:

- after a success: idle until the next local change (`AppEvents.sig_matters_changed`, synced at
  once), plus a periodic pull every five minutes;
- after a failure: the next attempt after `next_delay(failures, unreachable=…)` seconds
  (1 s doubling, capped at 60 s while the server answers with errors, 600 s while it cannot
  be reached);
- 立即同步 (`sync_now`) and the network coming back run at once and reset the backoff;
- while no server address or token is set, nothing runs (state 未设置).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from app.services.context import DeskServices
from app.sync.backoff import next_delay
from app.sync.client import SyncError

from .events import AppEvents

logger = logging.getLogger(__name__)

STATE_UNSET = "未设置"
STATE_ONLINE = "在线"
STATE_OFFLINE = "离线"
STATE_SYNCING = "同步中"

PERIODIC_PULL_S = 300.0
# While online and idle, look this often for events written by paths that announce nothing
# (a reprint, an extension, another process on the same file) and send them.
WATCH_S = 15.0
UNEXPECTED_ERROR = "同步时发生意外错误，稍后会自动重试；如反复出现请联系管理员"


class SyncWorker(QObject):
    """Runs one sync per `run_now()` call on the thread it was moved to."""

    sig_started = Signal()
    #: (SyncReport or None, Chinese error message or "", whether the server could not be reached)
    sig_finished = Signal(object, str, bool)

    def __init__(self, run: Callable[[], object]):
        super().__init__()
        self._run = run

    @Slot()
    def run_now(self) -> None:
        report, error, unreachable = None, "", False
        try:
            self.sig_started.emit()
            report = self._run()
        except SyncError as exc:
            error, unreachable = exc.message, exc.unreachable
            logger.info("sync failed", extra={"error": exc.message, "unreachable": exc.unreachable})
        except Exception:  # a bug must not end the retries: report it like any failure
            logger.exception("sync crashed")
            error = UNEXPECTED_ERROR
        finally:
            self.sig_finished.emit(report, error, unreachable)


class SyncScheduler(QObject):
    """Owns the worker thread and the retry timer. Call `start()` once, `shutdown()` on quit."""

    sig_state_changed = Signal(str)
    sig_sync_started = Signal()
    sig_sync_finished = Signal(object, str, bool)
    _sig_run = Signal()  # queued to the worker's thread

    def __init__(
        self,
        services: DeskServices,
        events: AppEvents | None = None,
        parent: QObject | None = None,
        *,
        periodic_s: float = PERIODIC_PULL_S,
        delay: Callable[..., float] = next_delay,
        watch_network: bool = True,
    ):
        super().__init__(parent)
        self.services = services
        self.periodic_s = periodic_s
        self.delay = delay
        self.failures = 0
        self.unreachable = False
        self.busy = False
        self.state = STATE_UNSET
        self.last_error = ""
        self.last_report = None
        self.next_delay_s: float | None = None  # seconds the timer was last armed with
        self._again = False  # a change arrived during a sync: run once more right after it
        self._thread: QThread | None = None
        self._worker: SyncWorker | None = None
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._run)
        self.watch = QTimer(self)
        self.watch.setInterval(int(WATCH_S * 1000))
        self.watch.timeout.connect(self._on_watch)
        self.watch.start()
        if events is not None:
            events.sig_matters_changed.connect(self.on_local_change)
        self._network = _network_information() if watch_network else None
        if self._network is not None:
            self._network.reachabilityChanged.connect(self._on_reachability_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- public ---------------------------------------------------------------------------

    def configured(self) -> bool:
        return self.services.sync.config().complete

    def start(self) -> None:
        """At start-up: push whatever waits (or show 未设置)."""
        self._run()

    def sync_now(self) -> None:
        """立即同步: run at once and forget the backoff."""
        self.failures = 0
        self._run()

    def on_local_change(self, _number: str = "") -> None:
        """A matter was written locally: send it at once (after the running sync, if any)."""
        if self.busy:
            self._again = True
        elif self.state != STATE_OFFLINE:
            self._run()
        # while offline the backoff timer decides: a change must not hammer an absent server

    def config_changed(self) -> None:
        """The server address or token was saved: start over."""
        self.failures = 0
        self._run()

    def shutdown(self) -> None:
        """Stop the timer, let a running sync finish (its requests have timeouts), end the thread."""
        self._stopped = True
        self.timer.stop()
        self.watch.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None

    # --- internals ------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        self._thread = QThread()  # no parent: shutdown() ends and drops it explicitly
        self._thread.setObjectName("sync-worker")
        # Asked between batches: on quit the running sync stops after the current batch.
        self._worker = SyncWorker(lambda: self.services.sync.run_once(should_stop=lambda: self._stopped))
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._sig_run.connect(self._worker.run_now)
        self._worker.sig_finished.connect(self._on_finished)
        self._thread.start()

    def _run(self) -> None:
        if self._stopped:
            return
        if self.busy:
            self._again = True
            return
        self.timer.stop()
        self.next_delay_s = None
        if not self.configured():
            self.failures = 0
            self._set_state(STATE_UNSET)
            return
        self._ensure_thread()
        self.busy = True
        self._again = False
        self._set_state(STATE_SYNCING)
        self.sig_sync_started.emit()
        self._sig_run.emit()

    def _on_finished(self, report, error: str, unreachable: bool) -> None:
        self.busy = False
        self.last_error, self.unreachable = error, unreachable
        if report is not None:
            self.last_report = report
        if self._stopped:
            return
        if error:
            self.failures += 1
            self._set_state(STATE_OFFLINE if self.configured() else STATE_UNSET)
        else:
            self.failures = 0
            self._set_state(STATE_ONLINE)
        self.sig_sync_finished.emit(report, error, unreachable)
        if self._again and not error:
            self._run()
            return
        self._arm()

    def _arm(self) -> None:
        """The single place that schedules the next attempt."""
        if self._stopped or self.state == STATE_UNSET:
            return
        if self.failures:
            seconds = self.delay(self.failures, unreachable=self.unreachable)
        else:
            seconds = self.periodic_s
        self.next_delay_s = seconds
        self.timer.start(max(0, int(seconds * 1000)))

    def _on_watch(self) -> None:
        if self.state == STATE_ONLINE and not self.busy and self.services.sync.outbox.has_unsent():
            self._run()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state_changed.emit(state)

    def _on_reachability_changed(self, reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online and self.state == STATE_OFFLINE and not self.busy:
            logger.info("network is back: syncing now")
            self.sync_now()


def _network_information():
    """Qt's view of the network, where the platform can tell (None headless or when unavailable)."""
    try:
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            return None
        return QNetworkInformation.instance()
    except Exception:  # retries still run on the timer
        logger.info("network reachability is not available", exc_info=True)
        return None
