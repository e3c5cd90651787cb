"""The registration form against the real services: field messages, nothing lost, Esc, the draft."""
from __future__ import annotations

import pytest
from ui_support import type_text
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app.services.dto import MatterQuery
from app.services.validation import check_id_number, check_name, check_phone
from app.ui.content_class_picker import ContentClassDialog
from app.ui.registration_form import DISCARD_QUESTION, RESTORED_MESSAGE, RegistrationForm

VALID_ID = "360426199101010071"
WAGES = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"


@pytest.fixture
def make_form(qtbot, services):
    def make() -> RegistrationForm:
        form = RegistrationForm(services)
        qtbot.addWidget(form)
        form.resize(1000, 900)
        form.show()
        qtbot.waitExposed(form)
        return form

    return make


@pytest.fixture
def form(make_form):
    return make_form()


def error_text(form: RegistrationForm, name: str) -> str:
    label = form.findChild(QLabel, f"error_{name}")
    assert label is not None, f"no error label error_{name}"
    return label.text() if label.isVisibleTo(form) else ""


def enter_text(widget, text: str) -> None:
    """Focus a field, empty it and type into it with key events."""
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
        if text == "" and hasattr(widget, "clear"):
            widget.clear()
    type_text(widget, text)


def fill_valid(form: RegistrationForm, **overrides) -> None:
    """Type a complete, valid registration; `overrides` replace single values (by attribute name)."""
    values = {
        "name": "张三",
        "id_number": VALID_ID,
        "phone": "13807921234",
        "representatives": "",
        "headcount": 1,
        "matter_class": "申诉求决",
        "content_class": WAGES,
        "title": "拖欠工资",
        "request": "要求支付拖欠的工资",
        "facts": "工地停工后老板失联",
        "decision": "",
        **overrides,
    }
    p, v, m, d = form.petitioner, form.visit, form.matter, form.decision
    enter_text(p.name_edit, values["name"])
    enter_text(p.id_number_edit, values["id_number"])
    enter_text(p.phone_edit, values["phone"])
    v.headcount_spin.setValue(values["headcount"])
    enter_text(v.representatives_edit, values["representatives"])
    m.matter_class_combo.set_value(values["matter_class"])
    enter_text(m.content_class_picker.edit, values["content_class"])
    enter_text(m.title_edit, values["title"])
    enter_text(m.request_edit, values["request"])
    enter_text(m.facts_edit, values["facts"])
    d.decision_combo.set_value(values["decision"])


def count(services) -> int:
    return services.matters.count(MatterQuery())


def test_valid_id_fills_gender_birth_date_and_division_code(form):
    p = form.petitioner
    type_text(p.id_number_edit, VALID_ID[:10])
    assert p.gender_combo.value() == "" and p.birth_date_edit.text() == ""
    type_text(p.id_number_edit, VALID_ID[10:])
    assert p.gender_combo.value() == "男"
    assert p.birth_date_edit.text() == "1991-01-01"
    assert p.division_edit.text() == "360426"
    assert p.address_edit.text() == "江西省德安县"
    assert error_text(form, "petitioners_0__id_number") == ""


def test_unknown_address_code_warns_in_amber_without_blocking(form, services):
    unknown_region = "369999199101010016"  # valid check digit, address code not in the table
    fill_valid(form, id_number=unknown_region)
    warning = form.findChild(QLabel, "warning_petitioners_0__id_number")
    assert warning.isVisibleTo(form)
    assert warning.text() == check_id_number("居民身份证", unknown_region).warning
    assert error_text(form, "petitioners_0__id_number") == ""
    assert form.petitioner.division_edit.text() == "369999"
    number = form.save()
    assert number and count(services) == 1
    assert warning.text() in form.banner.text()  # repeated as a reminder after saving


def test_content_class_from_the_tree_dialog_with_f4(qtbot, form):
    picker = form.matter.content_class_picker
    chosen = []

    def choose():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ContentClassDialog):
            QTimer.singleShot(10, choose)
            return
        type_text(dialog.filter_edit, "农民工")
        chosen.append(dialog.selected_path())
        qtbot.keyClick(dialog.tree_widget, Qt.Key.Key_Return)

    picker.edit.setFocus()
    QTimer.singleShot(0, choose)
    qtbot.keyClick(picker.edit, Qt.Key.Key_F4)
    assert chosen == [WAGES]
    assert picker.value() == WAGES
    # the form's focus moved on (offscreen Qt does not re-activate the window after a dialog)
    assert form.focusWidget() is form.matter.title_edit


def test_name_messages_while_typing(form):
    name = form.petitioner.name_edit
    name.setFocus()
    type_text(name, "张3")
    assert error_text(form, "petitioners_0__name") == check_name("张3").error  # at once
    name.clear()
    type_text(name, "阿依古丽·")  # the middle dot is typed before the rest: no message yet
    assert error_text(form, "petitioners_0__name") == ""
    type_text(name, "买买提")
    assert error_text(form, "petitioners_0__name") == ""
    name.clear()
    type_text(name, "阿依古丽·")
    form.petitioner.id_number_edit.setFocus()  # leaving the field shows it
    assert error_text(form, "petitioners_0__name") == check_name("阿依古丽·").error


def test_id_error_waits_for_the_full_length(form):
    p = form.petitioner
    type_text(p.id_number_edit, "36042619910101007")  # 17 characters: still typing
    assert error_text(form, "petitioners_0__id_number") == ""
    type_text(p.id_number_edit, "2")  # 18 characters, wrong check digit
    assert error_text(form, "petitioners_0__id_number") == "身份证号码校验位不正确，请核对最后一位"
    p.id_number_edit.backspace()
    assert error_text(form, "petitioners_0__id_number") == ""


def test_successful_save_clears_the_form_and_reports_the_number(qtbot, form, services):
    fill_valid(form)
    with qtbot.waitSignal(form.sig_saved) as saved:
        form.save_button.click()
    assert count(services) == 1
    assert form.banner.text() == f"已登记：{saved.args[0]}"
    assert form.is_blank()
    assert QApplication.focusWidget() is form.petitioner.name_edit


BAD_INPUTS = [
    pytest.param(
        {"id_number": "360426199101010072"},
        {"petitioners_0__id_number": check_id_number("居民身份证", "360426199101010072").error},
        id="id-checksum",
    ),
    pytest.param(
        {"id_number": "360426910101007"},
        {"petitioners_0__id_number": "一代身份证号码已于2013年1月1日停止使用，请输入18位号码"},
        id="id-15-digits",
    ),
    pytest.param(
        {"phone": "1380792"},
        {"petitioners_0__phone": check_phone("1380792").error},
        id="phone",
    ),
    pytest.param(
        {"name": "张3"},
        {"petitioners_0__name": check_name("张3").error},
        id="digits-in-name",
    ),
    pytest.param({"title": ""}, {"title": "请填写标题"}, id="missing-title"),
    pytest.param({"content_class": ""}, {"content_class": "请选择内容分类"}, id="missing-content-class"),
    pytest.param({"request": ""}, {"request": "请填写诉求"}, id="missing-request"),
    pytest.param({"decision": "转送"}, {"decision_detail_unit": "转送须填写去向单位"}, id="forward-without-unit"),
    pytest.param(
        {"decision": "不予受理"},
        {
            "decision_detail_reason": "不予受理须填写理由，告知书上将载明",
            "decision_detail_channel": "不予受理须告知信访人应通过的法定途径",
        },
        id="refuse-without-reason-and-channel",
    ),
    pytest.param(
        {"representatives": "李一、李二、李三、李四、李五、李六", "headcount": 20},
        {"representatives": "推选代表不能超过5人（《信访工作条例》第二十条），现为6人"},
        id="more-than-5-representatives",
    ),
    pytest.param(
        {"representatives": "李四、王五", "headcount": 2},
        {"headcount": "人数不能少于已登记的信访人和代表数（3人）"},
        id="headcount-below-listed-people",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUTS)
def test_bad_input_is_shown_at_its_field_and_nothing_is_lost(form, services, overrides, expected):
    fill_valid(form, **overrides)
    typed = form.values()
    before = count(services)

    assert form.save() is None

    for name, message in expected.items():
        assert message, "the validation function gave no message"
        assert error_text(form, name) == message
    assert count(services) == before
    assert form.values() == typed  # every typed value is still there
    assert form.banner.text().startswith(f"有{len(expected)}处需要修改")
    first_bad = form.findChild(QLabel, f"error_{next(iter(expected))}")
    focus = QApplication.focusWidget()
    assert focus is not None and focus.parentWidget() is not None
    assert first_bad.parentWidget().isAncestorOf(focus)  # the first bad field has the focus


def test_enter_on_the_save_button_saves(qtbot, form, services):
    fill_valid(form)
    form.save_button.setFocus()
    with qtbot.waitSignal(form.sig_saved):
        qtbot.keyClick(form.save_button, Qt.Key.Key_Return)
    assert count(services) == 1


def test_fixing_a_field_clears_its_message(form):
    fill_valid(form, title="")
    form.save()
    assert error_text(form, "title") == "请填写标题"
    type_text(form.matter.title_edit, "拖欠工资")
    assert error_text(form, "title") == ""


def answer_modal(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click `button` in the next modal message box as soon as it appears."""

    def attempt():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def test_escape_then_no_keeps_everything(qtbot, form, services):
    fill_valid(form)
    typed = form.values()
    seen: list[str] = []
    answer_modal(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.keyClick(form.matter.title_edit, Qt.Key.Key_Escape)
    assert seen == [DISCARD_QUESTION]
    assert form.values() == typed


def test_escape_then_yes_clears_the_form_and_the_draft(qtbot, form, services):
    fill_valid(form)
    form.flush_draft()
    draft = services.data_dir / "draft.json"
    assert draft.exists()
    seen: list[str] = []
    answer_modal(qtbot, QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(form.petitioner.phone_edit, Qt.Key.Key_Escape)
    assert seen == [DISCARD_QUESTION]
    assert form.is_blank()
    assert not draft.exists()
    assert count(services) == 0


def test_draft_is_restored_after_recreating_the_form(qtbot, make_form, services):
    form = make_form()
    fill_valid(form, name="𠮷大明", representatives="䶮小龙", headcount=3, decision="不予受理")
    form.decision.reason_edit.setFocus()
    type_text(form.decision.reason_edit, "已经依法处理")
    typed = form.values()
    draft = services.data_dir / "draft.json"
    qtbot.waitUntil(draft.exists, timeout=3000)  # written ~1 s after the last change
    on_disk = draft.read_text(encoding="utf-8")
    assert on_disk.startswith("v1:") and VALID_ID not in on_disk and "𠮷大明" not in on_disk
    form.close()
    form.deleteLater()

    again = make_form()
    assert again.values() == typed
    assert again.banner.text() == RESTORED_MESSAGE
    assert again.decision.reason_edit.isEnabled()

    again.decision.channel_combo.set_value("诉讼")
    assert again.save()
    assert count(services) == 1
    assert not draft.exists()
    assert make_form().is_blank()  # nothing restored once saved


def test_a_database_that_refuses_the_write_keeps_the_form_and_the_draft(form, services):
    """A real write failure (here: a trigger aborting the insert) must not lose what was typed."""
    from sqlalchemy import text

    from app.ui.registration_form import SAVE_FAILED_MESSAGE

    with services.engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON matter BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
    fill_valid(form)
    typed = form.values()

    assert form.save() is None
    assert form.banner.text() == SAVE_FAILED_MESSAGE
    assert form.values() == typed
    assert count(services) == 0
    assert (services.data_dir / "draft.json").exists()

    with services.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse"))
    number = form.save()
    assert number and count(services) == 1
    assert services.matters.detail(number).row.title == "拖欠工资"


# --- more fully described petitioners (信访人2, 信访人3, …) ------------------------------------

SECOND_ID = "11010519491231002X"
THIRD_ID = "360426199101010055"


def fill_block(block, name: str, id_number: str, phone: str = "", address: str = "") -> None:
    enter_text(block.name_edit, name)
    enter_text(block.id_number_edit, id_number)
    enter_text(block.phone_edit, phone)
    enter_text(block.address_edit, address)


def test_second_petitioner_by_keyboard_is_saved_with_the_first(qtbot, form, services):
    from ui_support import press_key, type_here

    fill_valid(form, headcount=2)
    while QApplication.activePopupWidget() is not None:  # the 内容分类 suggestions fill_valid opened
        QApplication.activePopupWidget().close()
    p = form.petitioner
    p.division_edit.setFocus()
    press_key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(form.extra_petitioners.blocks) == 1
    block = form.extra_petitioners.blocks[0]
    assert block.title() == "信访人2"
    assert QApplication.focusWidget() is block.name_edit  # the new block's 姓名 has the focus

    p.division_edit.setFocus()
    press_key(Qt.Key.Key_Return)  # Enter after the primary petitioner flows into the new block
    assert QApplication.focusWidget() is block.name_edit
    type_here("李四")
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is block.id_type_combo
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is block.id_number_edit
    type_here(SECOND_ID)
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is block.phone_edit
    type_here("13907921234")
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is block.address_edit
    type_here("德安县宝塔乡")
    press_key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.visit.form_combo  # and on into 来访信息
    assert error_text(form, "petitioners_1__id_number") == ""

    with qtbot.waitSignal(form.sig_saved) as saved:
        press_key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    number = saved.args[0]
    people = services.matters.detail(number).people
    assert [(pp.name, pp.id_number_masked, pp.is_primary) for pp in people] == [
        ("张三", "360426********0071", True),
        ("李四", "110105********002X", False),
    ]
    assert (people[1].gender, people[1].birth_date.isoformat()) == ("女", "1949-12-31")  # from the ID
    assert people[1].address == "德安县宝塔乡"
    assert form.extra_petitioners.blocks == [] and form.is_blank()  # saved: the block is gone


def test_bad_id_in_the_second_block_is_shown_there_and_nothing_is_lost(qtbot, form, services):
    bad = SECOND_ID[:-1] + "1"
    fill_valid(form, headcount=2)
    form.add_petitioner()
    block = form.extra_petitioners.blocks[0]
    fill_block(block, "李四", bad, "13907921234")
    message = check_id_number("居民身份证", bad).error
    assert message
    assert error_text(form, "petitioners_1__id_number") == message  # at the field, while typing
    assert not form.is_blank()
    form.petitioner.name_edit.setFocus()
    form.clear_errors()  # the message below must come from the service's refusal
    assert error_text(form, "petitioners_1__id_number") == ""
    typed = form.values()
    before = count(services)

    assert form.save() is None

    assert error_text(form, "petitioners_1__id_number") == message
    assert error_text(form, "petitioners_0__id_number") == ""
    assert count(services) == before
    assert form.values() == typed
    assert block.name_edit.text() == "李四" and block.phone_edit.text() == "13907921234"
    assert form.banner.text().startswith("有1处需要修改：信访人2证件号码")
    assert QApplication.focusWidget() is block.id_number_edit  # the first bad field


def test_removing_a_block_renumbers_and_saves_only_the_rest(qtbot, form, services):
    fill_valid(form, headcount=3)
    form.add_petitioner()
    fill_block(form.extra_petitioners.blocks[0], "李四", SECOND_ID)
    form.add_petitioner()
    fill_block(form.extra_petitioners.blocks[1], "王五", THIRD_ID, "13907925678")
    assert [b.title() for b in form.extra_petitioners.blocks] == ["信访人2", "信访人3"]

    form.extra_petitioners.blocks[0].remove_button.click()

    blocks = form.extra_petitioners.blocks
    assert [b.title() for b in blocks] == ["信访人2"]
    assert blocks[0].name_edit.text() == "王五" and blocks[0].id_number_edit.text() == THIRD_ID
    assert form.values()["petitioners[1].name"] == "王五"
    assert "petitioners[2].name" not in form.values()
    assert form.findChild(QLabel, "error_petitioners_1__id_number") is not None
    assert QApplication.focusWidget() is blocks[0].name_edit

    # Ctrl+Shift+Del in a block removes it from the keyboard
    form.add_petitioner()
    assert len(form.extra_petitioners.blocks) == 2
    qtbot.keyClick(
        form.extra_petitioners.blocks[1].name_edit,
        Qt.Key.Key_Delete,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [b.name_edit.text() for b in form.extra_petitioners.blocks] == ["王五"]

    number = form.save()
    assert number
    people = services.matters.detail(number).people
    assert [(pp.name, pp.id_number_masked) for pp in people] == [
        ("张三", "360426********0071"),
        ("王五", "360426********0055"),
    ]


def test_draft_restore_recreates_the_extra_blocks(qtbot, make_form, services):
    form = make_form()
    fill_valid(form, headcount=2)
    form.add_petitioner()
    fill_block(form.extra_petitioners.blocks[0], "李四", SECOND_ID, "13907921234", "德安县宝塔乡")
    typed = form.values()
    assert typed["petitioners[1].id_number"] == SECOND_ID
    draft = services.data_dir / "draft.json"
    form.flush_draft()
    assert draft.exists()
    form.close()
    form.deleteLater()

    again = make_form()
    assert again.banner.text() == RESTORED_MESSAGE
    blocks = again.extra_petitioners.blocks
    assert len(blocks) == 1 and blocks[0].title() == "信访人2"
    assert blocks[0].name_edit.text() == "李四" and blocks[0].address_edit.text() == "德安县宝塔乡"
    assert again.values() == typed

    # Discarding removes the block and the draft
    answer_modal(qtbot, QMessageBox.StandardButton.Yes, [])
    assert again.request_discard()
    assert again.extra_petitioners.blocks == [] and again.is_blank()
    assert not draft.exists()


def test_an_empty_extra_block_alone_is_blank_but_typing_in_it_is_not(form):
    form.add_petitioner()
    assert form.is_blank()
    type_text(form.extra_petitioners.blocks[0].name_edit, "李四")
    assert not form.is_blank()
