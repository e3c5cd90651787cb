"""Sync in the window, against a real county server (`python -m county_server serve`) on loopback.

Each test gets a fresh server database: desks in tests all start their event numbers at 1.
"""
from __future__ import annotations

import time

import pytest
from county_process import CountyProcess
from ui_support import STATION_CODE, STATION_NAME, register_matter
from PySide6.QtCore import QElapsedTimer, QThread, QTimer
from PySide6.QtWidgets import QDialogButtonBox

from app.services.context import DeskServices
from desk_login import ready
from app.services.demo import generate
from app.sync import config
from app.ui.app import create_main_window
from app.ui.main_window import MainWindow
from app.ui.matter_detail import MatterDetailDialog
from app.ui.sync_export import export_offline_bundle
from app.ui.sync_settings import CONNECTED, NOT_CONNECTED, SyncSettingsDialog
from app.ui.sync_status import SyncAttentionDialog
from app.ui.sync_worker import STATE_OFFLINE, STATE_ONLINE, STATE_UNSET

class County(CountyProcess):
    """The county server for one station, started later than its address is known."""

    def add_station(self, code: str = STATION_CODE, name: str = STATION_NAME) -> str:
        self.token = super().add_station(code, name)
        return self.token

    def matters(self, code: str = STATION_CODE) -> list[dict]:
        return super().matters(code)


@pytest.fixture
def county(tmp_path):
    server = County(tmp_path / "county", nice=True)
    yield server
    server.stop()


def open_window(qtbot, services) -> MainWindow:
    window = create_main_window(services)
    qtbot.addWidget(window)  # closed at teardown: closeEvent stops the sync thread
    window.show()
    return window


def status_texts(window: MainWindow) -> tuple[str, str]:
    return window.sync_status.state_label.text(), window.sync_status.waiting_label.text()


def test_without_settings_nothing_runs_and_sync_now_is_harmless(qtbot, services):
    register_matter(services)
    window = open_window(qtbot, services)
    widget = window.sync_status
    qtbot.waitUntil(lambda: widget.waiting_label.text() == "待上报 1 件")
    assert widget.state_label.text() == STATE_UNSET
    widget.sync_button.click()
    qtbot.wait(50)
    assert widget.state_label.text() == STATE_UNSET
    assert window.sync._thread is None and not window.sync.timer.isActive()
    assert widget.error_message == ""
    assert widget.last_label.text() == "尚未同步"
    assert not widget.clock_label.isVisible()

    # What the last sync recorded is shown after a restart too: time of success, clock difference.
    services.settings.set_many({config.LAST_SUCCESS_KEY: "2026-11-23T16:05:09+08:00", config.CLOCK_OFFSET_KEY: "-420"})
    widget.refresh_counts()
    qtbot.waitUntil(lambda: widget.last_label.text() == "上次同步 16:05")
    assert widget.clock_label.isVisible() and widget.clock_label.toolTip() == "本机时间与县级服务器相差约7分钟，请校正本机时间"


def test_export_offline_bundle_from_the_menu(qtbot, services, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    register_matter(services)
    window = open_window(qtbot, services)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(("warning", text)))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append(("information", text)))
    assert window.export_bundle() == (False, shown[-1][1])
    assert shown[-1][1].startswith("尚未设置本站令牌")

    services.settings.set_many({config.TOKEN_KEY: "abc-123"})  # a token without a server: the USB case
    target = tmp_path / "u盘" / "离线包"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    ok, message = window.export_bundle()
    assert ok and shown[-1] == ("information", message)
    assert message.startswith("已导出 1 条尚未上报的记录到：") and str(target) + ".xfbundle" in message
    assert (tmp_path / "u盘" / "离线包.xfbundle").exists()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert window.export_bundle() is None  # cancelled: nothing said


def test_offline_then_the_server_comes_up_and_the_matter_reaches_it_unattended(qtbot, services, county):
    token = county.add_station()
    config.save(services.settings, county.url, token)  # the server is not running yet
    window = open_window(qtbot, services)
    scheduler, widget = window.sync, window.sync_status
    qtbot.waitUntil(lambda: widget.state_label.text() == STATE_OFFLINE, timeout=10000)

    number = register_matter(services, title="拖欠工资").number
    window.events.sig_matters_changed.emit(number)
    qtbot.waitUntil(lambda: widget.waiting_label.text() == "待上报 1 件", timeout=5000)
    assert widget.state_label.text() == STATE_OFFLINE
    assert "无法连接县级服务器" in widget.error_message
    assert widget.error_label.isVisible()
    qtbot.waitUntil(lambda: not scheduler.busy and scheduler.timer.isActive(), timeout=5000)
    nominal = 2 ** (scheduler.failures - 1)
    assert scheduler.failures >= 1 and nominal / 2 <= scheduler.next_delay_s <= nominal
    assert scheduler.timer.remainingTime() <= nominal * 1000

    county.start()
    # Nothing but time passes: the backoff timer's next attempt finds the server.
    qtbot.waitUntil(lambda: status_texts(window) == (STATE_ONLINE, "待上报 0 件"), timeout=20000)
    assert [m["number"] for m in county.matters()] == [number]
    assert widget.error_message == ""
    assert widget.last_label.text().startswith("上次同步 ")
    assert scheduler.timer.isActive() and scheduler.next_delay_s == 300  # periodic pull
    detail = MatterDetailDialog(services.matters, number, window, services=services)
    qtbot.addWidget(detail)
    assert detail.view.findChild(type(widget.state_label), "detail_county").text() == "已上报"

    # A new local change while online goes out at once.
    second = register_matter(services, title="宅基地纠纷").number
    window.events.sig_matters_changed.emit(second)
    qtbot.waitUntil(lambda: len(county.matters()) == 2, timeout=10000)
    qtbot.waitUntil(lambda: status_texts(window) == (STATE_ONLINE, "待上报 0 件"), timeout=5000)

    assert scheduler._worker.thread() is scheduler._thread is not QThread.currentThread()
    window.close()  # quitting stops the timer and ends the worker thread
    assert scheduler._thread is None and not scheduler.timer.isActive()


def test_the_window_stays_responsive_while_10000_events_go_out(qtbot, services, county):
    generate(services.engine, services.stations, services.tree, 5000, cipher=services.guard.cipher)  # 2 events each
    assert services.sync.outbox.counts().pending == 10000
    token = county.add_station()
    county.start()
    window = open_window(qtbot, services)  # not configured yet: idle
    scheduler = window.sync
    qtbot.waitUntil(lambda: not window.matter_list_page.runner.busy, timeout=10000)
    # The today page first brings 5000 matters' cached deadlines up to date: start-up work, not sync.
    qtbot.waitUntil(lambda: window.today_page.summary is not None and not window.today_page.runner.busy,
                    timeout=60000)

    gaps, clock = [], QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)

    def tick():
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    config.save(services.settings, county.url, token)
    started = time.monotonic()
    clock.start()
    ticker.start()
    scheduler.config_changed()  # what saving 同步设置 does
    qtbot.waitUntil(lambda: not scheduler.busy, timeout=180000)
    ticker.stop()
    took = time.monotonic() - started
    assert scheduler.state == STATE_ONLINE, scheduler.last_error
    assert scheduler.last_report.stored == 10000
    longest = max(gaps)
    print(f"\nsync of 10,000 events: {took:.1f} s, {len(gaps)} ticks, longest event-loop stall {longest} ms")
    assert longest < 100
    qtbot.waitUntil(lambda: window.sync_status.waiting_label.text() == "待上报 0 件", timeout=5000)
    assert len(county.matters()) == 5000


def test_settings_dialog_keeps_typing_and_tests_the_connection(qtbot, services, county):
    dialog = SyncSettingsDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url_edit.setText("xf.example.gov.cn")
    dialog.token_edit.setText("abc-123")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.errors["server_url"].isVisible()
    assert dialog.errors["server_url"].text().startswith("服务器地址应以 http:// 或 https:// 开头")
    assert not dialog.errors["token"].isVisible()
    assert dialog.isVisible() and dialog.result() == 0
    assert (dialog.url_edit.text(), dialog.token_edit.text()) == ("xf.example.gov.cn", "abc-123")
    assert not services.sync.config().complete

    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text() == NOT_CONNECTED, timeout=10000)
    county.start()
    dialog.url_edit.setText(county.url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text() == CONNECTED, timeout=10000)

    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    dialog.show_token.setChecked(True)
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Normal
    dialog.token_edit.setText("has space")
    with qtbot.assertNotEmitted(dialog.sig_saved):
        save.click()
    assert dialog.errors["token"].text().startswith("令牌不能为空，也不能包含空格")
    dialog.token_edit.setText("abc-123")
    with qtbot.waitSignal(dialog.sig_saved):
        save.click()
    assert services.sync.config() == config.SyncConfig(county.url, "abc-123")


def test_a_refused_event_is_listed_for_attention_and_can_be_resubmitted(qtbot, services, county, tmp_path):
    token = county.add_station()
    county.start()
    # Another desk with the same station code and token (a reinstall without the old data)
    # already sent event 1: this desk's event 1 is refused (序号重复).
    other = ready(DeskServices.open(tmp_path / "other_desk"))
    try:
        other.stations.initialise(STATION_CODE, STATION_NAME, "县")
        config.save(other.settings, county.url, token)
        register_matter(other, title="另一台电脑登记的")
        assert other.sync.run_once().stored == 1  # a registration is one event
    finally:
        other.close()

    number = register_matter(services, title="拖欠工资").number
    config.save(services.settings, county.url, token)
    window = open_window(qtbot, services)
    widget = window.sync_status
    qtbot.waitUntil(lambda: widget.attention_button.isVisible(), timeout=10000)
    assert widget.attention_button.text() == "需处理 1 条"
    assert window.sync.last_report.rejected == 1
    # The county holds an event this desk never acknowledged: the tallies differ, and it says so.
    assert widget.error_message.startswith("本机已确认0条")

    dialog = widget.open_attention()
    assert isinstance(dialog, SyncAttentionDialog)
    tree = dialog.tree
    rows = [[tree.topLevelItem(i).text(c) for c in range(4)] for i in range(tree.topLevelItemCount())]
    assert rows == [[number, "1", "登记", "序号重复：本站该序号已有另一事件（序号 1）"]]
    detail = MatterDetailDialog(services.matters, number, window, services=services)
    qtbot.addWidget(detail)
    assert "被县级服务器拒收" in detail.view.findChild(type(widget.state_label), "detail_county").text()

    finished = []
    window.sync.sig_sync_finished.connect(lambda *args: finished.append(args))
    dialog.retry_button.click()  # still refused: set aside again, nothing else blocked
    qtbot.waitUntil(lambda: bool(finished) and not window.sync.busy, timeout=10000)
    qtbot.waitUntil(lambda: widget.attention_button.text() == "需处理 1 条" and widget.attention_button.isVisible())
    assert window.sync.last_report.rejected == 1

    bundle = tmp_path / "offline.xfbundle"
    ok, message = export_offline_bundle(services, bundle)
    assert ok and message.startswith("已导出 1 条尚未上报的记录") and bundle.exists()


def test_events_written_without_an_announcement_are_sent_by_the_watch(qtbot, services, county):
    """A reprint or an extension recorded in a dialog announces nothing; the watch timer sends it."""
    from app.receipts.content import KIND_SLIP
    from app.ui.sync_worker import SyncScheduler

    number = register_matter(services).number
    county.add_station()
    county.start()
    config.save(services.settings, county.url, county.token)
    scheduler = SyncScheduler(services, watch_network=False)
    with qtbot.waitSignal(scheduler.sig_sync_finished, timeout=20000):
        scheduler.start()
    assert services.sync.outbox.counts().pending == 0
    services.documents.record_printed(number, KIND_SLIP)  # no sig_matters_changed
    scheduler.watch.setInterval(50)
    qtbot.waitUntil(lambda: services.sync.outbox.counts().unacknowledged == 0 and not scheduler.busy, timeout=20000)
    assert scheduler.state == "在线"
    scheduler.shutdown()
