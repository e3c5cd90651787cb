"""办理环节 in the matter detail: every step through the 办理… menu and its dialog, refusals kept at the field,
and the next deadline with the days left."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from ui_support import register_matter, type_text

from app.services import vocab
from app.ui.action_dialog import DATE_PLACEHOLDER, ActionDialog
from app.ui.extension_dialog import ExtensionDialog
from app.ui.lifecycle_box import DUE_SOON_STYLE, OVERDUE_STYLE
from app.ui.matter_detail import MatterDetailDialog
from app.ui.operator_field import OPERATOR_KEY
from app.ui.print_preview import DocumentPreviewDialog

OPERATOR = "王芳"
CTRL = Qt.KeyboardModifier.ControlModifier
FORWARDED = vocab.STATUS_BY_DECISION[vocab.DECISION_FORWARD]
ACCEPTED = vocab.STATUS_BY_DECISION[vocab.DECISION_ACCEPT]


# --- driving the detail like a user ---------------------------------------------------------


def open_detail(qtbot, services, number: str) -> MatterDetailDialog:
    detail = MatterDetailDialog(services.matters, number, services=services)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    return detail


def click_menu_entry(qtbot, detail: MatterDetailDialog, label: str) -> None:
    """Click 办理…, then the entry with this label in the menu that pops up."""
    box = detail.lifecycle_box
    qtbot.mouseClick(box.action_button, Qt.MouseButton.LeftButton)
    menu = box.action_menu
    qtbot.waitUntil(menu.isVisible)
    labels = [a.text() for a in menu.actions()]
    assert label in labels, labels
    action = menu.actions()[labels.index(label)]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def open_step(qtbot, detail: MatterDetailDialog, label: str) -> ActionDialog:
    click_menu_entry(qtbot, detail, label)
    qtbot.waitUntil(lambda: _open_action_dialog(detail) is not None)
    return _open_action_dialog(detail)


def _open_action_dialog(detail: MatterDetailDialog) -> ActionDialog | None:
    return next((d for d in detail.findChildren(ActionDialog) if d.isVisible()), None)


def key(widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, k, modifier)


def here(dialog: ActionDialog):
    """Where the dialog's keyboard focus is."""
    focus = dialog.focusWidget()
    assert focus is not None
    return focus


def pick(dialog: ActionDialog, downs: int) -> None:
    """Choose the n-th entry of the focused closed list with the arrow key, then Enter to move on."""
    combo = here(dialog)
    for _ in range(downs):
        key(combo, Qt.Key.Key_Down)
    key(combo, Qt.Key.Key_Return)


def confirm(qtbot, dialog: ActionDialog) -> None:
    key(here(dialog), Qt.Key.Key_Return, CTRL)


def events_of(services, number: str) -> int:
    return len(services.matters.detail(number).events)


def assert_step_recorded(detail: MatterDetailDialog, before: int, label: str, status: str) -> None:
    tree = detail.view.events
    assert tree.topLevelItemCount() == before + 1
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert (last.text(1), last.text(2)) == (label, OPERATOR)
    assert detail.lifecycle_box.status_label.text() == status
    assert detail.findChild(QLabel, "detail_status").text() == status


def step(qtbot, detail, label: str, status: str, fill) -> ActionDialog:
    """One lifecycle step through the menu: fill the dialog by keyboard, Ctrl+Enter, check the detail."""
    before = detail.view.events.topLevelItemCount()
    dialog = open_step(qtbot, detail, label)
    fill(dialog)
    with qtbot.waitSignal(detail.sig_changed, timeout=2000):
        confirm(qtbot, dialog)
    assert dialog.result is not None and dialog.result.status == status
    assert_step_recorded(detail, before, label, status)
    return dialog


# --- (a) the whole life of a forwarded matter ---------------------------------------------------


def test_forwarded_matter_through_every_step_from_the_menu(qtbot, services):
    number = register_matter(services, decision="转送", decision_unit="县人社局").number
    detail = open_detail(qtbot, services, number)
    assert detail.lifecycle_box.status_label.text() == FORWARDED
    assert detail.extend_button.isEnabled() is False

    def accept(d):
        assert list(d.inputs) == ["unit", "date", "note"]
        assert d.inputs["date"].placeholderText() == DATE_PLACEHOLDER
        assert d.operator.text() == ""  # nobody has acted at this desk yet
        d.operator.setFocus()
        type_text(d.operator, OPERATOR)

    step(qtbot, detail, "责任单位受理", ACCEPTED, accept)
    assert services.settings.get(OPERATOR_KEY) == OPERATOR
    assert detail.extend_button.isEnabled() is True

    def start(d):
        assert d.operator.text() == OPERATOR  # remembered
        assert here(d) is d.inputs["handler"]
        type_text(d.inputs["handler"], "李明")

    step(qtbot, detail, "开始办理", vocab.STATUS_HANDLING, start)

    # 延期办理 keeps its own dialog (and the notice); it runs modally, so it is filled from a timer.
    before = detail.view.events.topLevelItemCount()
    problems: list[str] = []

    def extend():
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ExtensionDialog), dialog
            assert dialog.operator.text() == OPERATOR
            dialog.days_spin.setValue(15)
            dialog.reason_edit.setFocus()
            type_text(dialog.reason_edit, "需要现场勘验")
            assert dialog.submit() is True
        except AssertionError as exc:  # report after exec() has returned
            problems.append(str(exc))
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, extend)
    click_menu_entry(qtbot, detail, "延期办理")
    assert problems == []
    assert_step_recorded(detail, before, "延期办理", vocab.STATUS_EXTENDED)
    preview = detail.findChild(DocumentPreviewDialog)
    assert preview is not None
    preview.reject()

    def reply(d):
        assert here(d) is d.inputs["opinion"]
        pick(d, 1)  # 支持
        assert here(d) is d.inputs["delivery"]
        pick(d, 2)  # 邮寄送达
        assert here(d) is d.inputs["receipt"]
        pick(d, 1)  # 签收
        assert here(d) is d.inputs["date"]
        assert (d.values()["opinion"], d.values()["delivery"], d.values()["receipt"]) == ("支持", "邮寄送达", "签收")

    step(qtbot, detail, "答复", vocab.STATUS_REPLIED, reply)
    last = detail.view.events.topLevelItem(detail.view.events.topLevelItemCount() - 1)
    assert "处理意见：支持" in last.text(3) and "送达方式：邮寄送达" in last.text(3)
    assert detail.lifecycle_box.evaluations_label.text() == "信访部门：待评价；责任单位：待评价"

    def evaluate_office(d):
        assert d.windowTitle().startswith("满意度评价")
        target = d.inputs["target"]
        assert [target.itemText(i) for i in range(target.count())] == ["", "信访部门", "责任单位"]
        pick(d, 1)  # 信访部门
        pick(d, 1)  # 满意

    step(qtbot, detail, "满意度评价", vocab.STATUS_REPLIED, evaluate_office)
    assert detail.lifecycle_box.evaluations_label.text() == "信访部门：满意；责任单位：待评价"
    last = detail.view.events.topLevelItem(detail.view.events.topLevelItemCount() - 1)
    assert "评价对象：信访部门" in last.text(3) and "评价结果：满意" in last.text(3)

    def evaluate_unit(d):
        target = d.inputs["target"]
        assert [target.itemText(i) for i in range(target.count())] == ["", "责任单位"]  # only what is pending
        assert target.currentText() == "责任单位"
        key(target, Qt.Key.Key_Return)
        pick(d, 2)  # 基本满意

    step(qtbot, detail, "满意度评价", vocab.STATUS_REPLIED, evaluate_unit)
    assert detail.lifecycle_box.evaluations_label.text() == "信访部门：满意；责任单位：基本满意"
    menu_labels = [a.text() for a in detail.lifecycle_box.action_menu.actions()]
    assert "满意度评价" not in menu_labels

    def review(d):
        type_text(d.inputs["organ"], "县人民政府")

    step(qtbot, detail, "申请复查", vocab.STATUS_REVIEWING, review)

    def review_decision(d):
        pick(d, 1)  # 维持原处理意见

    step(qtbot, detail, "复查决定", vocab.STATUS_REVIEWED, review_decision)
    last = detail.view.events.topLevelItem(detail.view.events.topLevelItemCount() - 1)
    assert "结论：维持原处理意见" in last.text(3)

    def recheck(d):
        type_text(d.inputs["organ"], "市人民政府")

    step(qtbot, detail, "申请复核", vocab.STATUS_RECHECKING, recheck)
    step(qtbot, detail, "复核决定", vocab.STATUS_RECHECKED, lambda d: pick(d, 2))  # 变更原处理意见

    def close(d):
        type_text(d.inputs["note"], "已办结")

    step(qtbot, detail, "办结归档", vocab.STATUS_CLOSED, close)
    box = detail.lifecycle_box
    assert box.next_label.text() == "无待办期限" and box.days_label.text() == ""
    assert not box.action_button.isEnabled()
    assert services.matters.detail(number).row.status == vocab.STATUS_CLOSED


def test_desk_decision_shows_only_the_detail_the_decision_needs(qtbot, services):
    number = register_matter(services, decision="").number
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    detail = open_detail(qtbot, services, number)
    dialog = open_step(qtbot, detail, "窗口处理")
    shown = lambda: {k for k in ("unit", "reason", "channel") if dialog.inputs[k].isVisibleTo(dialog)}  # noqa: E731
    assert shown() == set()
    decision = dialog.inputs["decision"]
    decision.setCurrentText(vocab.DECISION_REFUSE)
    assert shown() == {"reason", "channel"}
    decision.setCurrentText(vocab.DECISION_FORWARD)
    assert shown() == {"unit"}
    key(decision, Qt.Key.Key_Return)
    assert here(dialog) is dialog.inputs["unit"]  # hidden fields are skipped
    confirm(qtbot, dialog)
    assert dialog.errors["unit"].text() == "转送须填写去向单位"
    assert events_of(services, number) == 1

    type_text(dialog.inputs["unit"], "县人社局")
    with qtbot.waitSignal(detail.sig_changed, timeout=2000):
        confirm(qtbot, dialog)
    assert detail.lifecycle_box.status_label.text() == FORWARDED
    assert detail.findChild(QLabel, "detail_status").text() == FORWARDED
    assert "责任单位受理" in [a.text() for a in detail.lifecycle_box.action_menu.actions()]


def test_leader_takes_charge_from_the_menu(qtbot, services):
    services.leaders.add("张县长", "常务副县长")
    number = register_matter(services, decision="受理告知").number
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    detail = open_detail(qtbot, services, number)
    before = detail.view.events.topLevelItemCount()
    dialog = open_step(qtbot, detail, "领导包案")
    leader = dialog.inputs["leader"]
    assert leader.isEditable() and [leader.itemText(i) for i in range(leader.count())] == ["张县长"]
    type_text(leader.lineEdit(), "张县长")
    with qtbot.waitSignal(detail.sig_changed, timeout=2000):
        confirm(qtbot, dialog)
    assert_step_recorded(detail, before, "领导包案", ACCEPTED)
    assert detail.lifecycle_box.owner_label.text() == "张县长"
    assert detail.findChild(QLabel, "detail_owner_leader").text().startswith("张县长")


# --- (b) refusals: shown at the field, nothing typed is lost, nothing is written ----------------


@pytest.fixture
def handling(qtbot, services):
    """An accepted matter's detail, with the 开始办理 dialog open."""
    number = register_matter(services, decision="受理告知").number
    detail = open_detail(qtbot, services, number)
    return number, detail, open_step(qtbot, detail, "开始办理")


def test_missing_operator_is_asked_for_at_its_field(qtbot, services, handling):
    number, _detail, dialog = handling
    before = events_of(services, number)
    type_text(dialog.inputs["handler"], "李明")
    key(dialog.inputs["handler"], Qt.Key.Key_Return)
    assert here(dialog) is dialog.inputs["date"]
    confirm(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors["actor"].text() == "请填写经办人" and dialog.errors["actor"].isVisibleTo(dialog)
    assert here(dialog) is dialog.operator
    assert dialog.inputs["handler"].text() == "李明"
    assert events_of(services, number) == before
    assert services.lifecycle.view(number).status == ACCEPTED

    type_text(dialog.operator, OPERATOR)
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: services.lifecycle.view(number).status == vocab.STATUS_HANDLING)
    assert events_of(services, number) == before + 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-13-45", "日期不是有效日期，请按“2026-01-31”格式填写"),
        ("2099-01-01", "日期不能晚于今天"),
    ],
    ids=["bad-date", "future-date"],
)
def test_unusable_date_is_refused_at_the_date_field(qtbot, services, handling, typed, message):
    number, _detail, dialog = handling
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    before = events_of(services, number)
    type_text(dialog.inputs["handler"], "李明")
    key(dialog.inputs["handler"], Qt.Key.Key_Return)
    type_text(here(dialog), typed)
    type_text(dialog.operator, OPERATOR)
    confirm(qtbot, dialog)
    assert dialog.isVisible()
    label = dialog.errors["date"]
    assert label.text() == message and label.isVisibleTo(dialog)
    assert "#c62828" in label.styleSheet()
    assert (dialog.inputs["date"].text(), dialog.inputs["handler"].text(), dialog.operator.text()) == (
        typed, "李明", OPERATOR
    )
    assert events_of(services, number) == before


def test_step_no_longer_allowed_is_explained_at_the_top(qtbot, services, handling):
    number, _detail, dialog = handling
    services.lifecycle.perform(number, "start", {"handler": "赵承办"}, actor="另一台")  # someone was quicker
    before = events_of(services, number)
    type_text(dialog.inputs["handler"], "李明")
    type_text(dialog.operator, OPERATOR)
    confirm(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors["action"].text().startswith("该件当前状态为“办理中”，不能开始办理")
    assert events_of(services, number) == before


def test_dissatisfied_without_a_reason_is_refused(qtbot, services):
    number = register_matter(services, decision="受理告知").number
    services.lifecycle.perform(number, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"},
                               actor=OPERATOR)
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    detail = open_detail(qtbot, services, number)
    before = events_of(services, number)
    dialog = open_step(qtbot, detail, "满意度评价")
    pick(dialog, 2)  # 责任单位
    pick(dialog, 3)  # 不满意
    assert here(dialog) is dialog.inputs["note"]
    confirm(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors["note"].text() == "评价为不满意时，请写明不满意的原因"
    assert (dialog.inputs["target"].currentText(), dialog.inputs["result"].currentText()) == ("责任单位", "不满意")
    assert events_of(services, number) == before

    type_text(dialog.inputs["note"], "答复未解决欠薪")
    with qtbot.waitSignal(detail.sig_changed, timeout=2000):
        confirm(qtbot, dialog)
    assert detail.lifecycle_box.evaluations_label.text() == "信访部门：待评价；责任单位：不满意"


def test_escape_cancels_without_recording(qtbot, services, handling):
    number, _detail, dialog = handling
    before = events_of(services, number)
    type_text(dialog.inputs["handler"], "李明")
    key(dialog.inputs["handler"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert events_of(services, number) == before


# --- (c) the next deadline and the days left ---------------------------------------------------


def test_next_deadline_and_days_left_match_the_service(qtbot, services):
    number = register_matter(services, decision="受理告知").number
    detail = open_detail(qtbot, services, number)
    box = detail.lifecycle_box
    view = services.lifecycle.view(number)
    assert view.next_deadline is not None and view.days_left is not None
    assert box.next_label.text() == f"{view.next_deadline.label}　{view.next_deadline.due.isoformat()}"
    assert box.days_label.text() == f"剩{view.days_left}日"
    rows = [
        tuple(box.deadlines.topLevelItem(i).text(c) for c in range(3)) for i in range(box.deadlines.topLevelItemCount())
    ]
    assert rows == [(d.label, d.due.isoformat(), d.met_on.isoformat() if d.met_on else "") for d in view.deadlines]
    assert box.flags_label.text() == "无" and box.owner_label.text() == "无"

    due = view.next_deadline.due
    box.refresh(today=due - timedelta(days=2))
    assert box.days_label.text() == "剩2日" and box.days_label.styleSheet() == DUE_SOON_STYLE
    box.refresh(today=due)
    assert box.days_label.text() == "今日到期" and box.days_label.styleSheet() == DUE_SOON_STYLE
    box.refresh(today=due + timedelta(days=3))
    assert box.days_label.text() == "已超期3日" and box.days_label.styleSheet() == OVERDUE_STYLE


def test_supervision_and_urging_are_shown(qtbot, services):
    number = register_matter(services, decision="转送", decision_unit="县人社局").number
    services.lifecycle.perform(number, "supervise", {"note": "请加快办理"}, actor=OPERATOR)
    services.lifecycle.perform(number, "urge", {"note": "请于三日内答复"}, actor=OPERATOR)
    services.lifecycle.perform(number, "urge", {"note": "再次催办"}, actor=OPERATOR)
    detail = open_detail(qtbot, services, number)
    assert detail.lifecycle_box.flags_label.text() == "督办中；已催办2次"


def test_the_matter_list_shows_the_new_status_after_a_step(qtbot, services):
    from ui_support import wait_list_loaded

    from app.ui.matter_list_page import MatterListPage
    from app.ui.matter_table_model import COL_STATUS

    number = register_matter(services, decision="受理告知").number
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    page = MatterListPage(services)
    qtbot.addWidget(page)
    page.show()
    wait_list_loaded(qtbot, page)
    status = lambda: page.model.data(page.model.index(0, COL_STATUS))  # noqa: E731
    assert status() == ACCEPTED
    detail = page.open_detail(number)
    dialog = open_step(qtbot, detail, "开始办理")
    type_text(dialog.inputs["handler"], "李明")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: status() == vocab.STATUS_HANDLING, timeout=3000)
