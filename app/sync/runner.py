"""One full sync: push everything waiting in batches, check the county's tally, pull its events.

Plain Python: the CLI calls `run_once` directly, the window calls it from a worker thread and
schedules retries with `app.sync.backoff`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from app.services.security.guard import Guard
from app.services.security.permissions import SYNC
from app.services.security.sealing import open_payload
from app.services.settings_store import SettingsStore
from app.services.station import StationService

from . import bundle, config
from .client import SyncClient, SyncError, StationTally
from .outbox import Outbox, OutboxCounts

CLOCK_WARNING_S = 300
MAX_ROUNDS = 3  # re-send rounds for ranges the server reports missing


@dataclass
class SyncReport:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    requeued: int = 0
    server_time: str = ""
    clock_offset_s: float = 0.0
    mismatch: str = ""  # Chinese: the desk's and the county's tallies differ
    counts: OutboxCounts | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Everything acknowledged and the tallies agree."""
        return bool(self.counts) and self.counts.unacknowledged == 0 and not self.mismatch


def _parse_server_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class SyncRunner:
    def __init__(
        self,
        engine: Engine,
        settings: SettingsStore,
        stations: StationService,
        client_factory: Callable[[str, str], SyncClient] = SyncClient,
        on_county_events: Callable[[list[dict]], object] | None = None,
        *,
        guard: Guard,
    ):
        # Sealed ID numbers and phones are opened only as a batch leaves for the county.
        self.outbox = Outbox(engine, open_payload=lambda payload: open_payload(payload, guard.cipher))
        self._guard = guard
        self.on_county_events = on_county_events  # e.g. the lifecycle recording a unit's acceptance
        self.settings = settings
        self.stations = stations
        self.client_factory = client_factory

    def export_bundle(self, station_code: str, token: str, path: Path) -> int:
        """The USB bundle of unacknowledged events (full numbers, like a push): a sync permission."""
        self._guard.require(SYNC)
        return bundle.export_bundle(self.outbox, station_code, token, path)

    def config(self) -> config.SyncConfig:
        return config.load(self.settings)

    def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> SyncReport:
        self._guard.require(SYNC)
        """Raises SyncError (already recorded as the last error) when the county cannot be used.

        `should_stop` is asked between batches (the window quitting): what was acknowledged so far
        stays acknowledged, the rest stays queued.
        """
        cfg = self.config()
        if not cfg.complete:
            raise SyncError("尚未设置县级服务器地址和令牌（同步设置，或 python -m app config）")
        station = self.stations.require()
        report = SyncReport()
        try:
            with self.client_factory(cfg.server_url, cfg.token) as client:
                tally = self._drain(client, station.code, report, should_stop)
                if should_stop():
                    raise SyncError("同步已中止（程序退出），未上报的记录会在下次同步时继续上报")
                for _ in range(MAX_ROUNDS):
                    report.server_time, tally = client.status()
                    if not tally.missing:
                        break
                    report.requeued += self.outbox.requeue_missing(tally.missing)
                    tally = self._drain(client, station.code, report, should_stop) or tally
                self._pull(client, report)
        except SyncError as exc:
            self.settings.set_many({config.LAST_ERROR_KEY: exc.message})
            raise
        report.counts = self.outbox.counts()
        report.mismatch = _compare(report.counts, tally)
        self._record_success(report)
        return report

    def _drain(
        self, client: SyncClient, station: str, report: SyncReport, should_stop: Callable[[], bool]
    ) -> StationTally | None:
        tally = None
        while not should_stop() and (batch := self.outbox.take_batch()):
            try:
                result = client.push(station, batch)
            except SyncError as exc:
                self.outbox.release(batch, exc.message)
                raise
            settled = self.outbox.settle(batch, result)
            report.stored += settled.stored
            report.duplicates += settled.duplicates
            report.rejected += settled.rejected
            report.server_time = result.server_time
            tally = result.station
            if settled.unanswered == len(batch):  # the server named none of them: do not spin
                raise SyncError("县级服务器没有确认任何一条记录，稍后会自动重试")
        return tally

    def _pull(self, client: SyncClient, report: SyncReport) -> None:
        cursor = self.outbox.pull_cursor()
        while True:
            result = client.pull(cursor)
            if not result.events:
                break
            new = self.outbox.apply_county_events(result.events, result.next_cursor)
            report.pulled += len(new)
            if new and self.on_county_events is not None:
                self.on_county_events(new)
            if result.next_cursor <= cursor:
                break
            cursor = result.next_cursor

    def _record_success(self, report: SyncReport) -> None:
        local = datetime.now(timezone.utc)
        server = _parse_server_time(report.server_time)
        report.clock_offset_s = (local - server).total_seconds() if server else 0.0
        if abs(report.clock_offset_s) > CLOCK_WARNING_S:
            report.warnings.append(
                f"本机时间与县级服务器相差约{abs(report.clock_offset_s) / 60:.0f}分钟，请校正本机时间"
            )
        self.settings.set_many(
            {
                config.LAST_SUCCESS_KEY: local.astimezone().isoformat(timespec="seconds"),
                config.LAST_ERROR_KEY: report.mismatch,
                config.SERVER_TIME_KEY: report.server_time,
                config.LOCAL_TIME_KEY: local.isoformat(timespec="seconds"),
                config.CLOCK_OFFSET_KEY: f"{report.clock_offset_s:.0f}",
            }
        )


def _compare(counts: OutboxCounts, tally: StationTally | None) -> str:
    if tally is None:
        return ""
    if tally.count != counts.acked or tally.max_seq != counts.acked_max_seq or tally.missing:
        return (
            f"本机已确认{counts.acked}条（最大序号{counts.acked_max_seq}），"
            f"县级服务器保存{tally.count}条（最大序号{tally.max_seq}），两边不一致，将在下次同步时补发"
        )
    return ""
