"""信访人 section: who came. Checks fields as they are typed; a valid ID number fills the rest."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit

from app.services import vocab
from app.services.validation import ID_TYPES, check_division_code, check_id_number, check_name, check_phone, phone_digits

from .field_error import FieldWarningLabel
from .form_fields import ChoiceCombo, LiveCheck, TextCombo, ends_in_letter, make_line_edit
from .form_section import FormSection

P = "petitioners[0]."
NAME, ID_TYPE, ID_NUMBER = P + "name", P + "id_type", P + "id_number"
GENDER, BIRTH_DATE, ETHNICITY = P + "gender", P + "birth_date", P + "ethnicity"
PHONE, ADDRESS, DIVISION_CODE = P + "phone", P + "address", P + "division_code"
_FULL_ID_LENGTH = 18
_FULL_MOBILE_DIGITS = 11


def _compact(text: str) -> str:
    return "".join(text.split())


def add_identity_checks(
    section: FormSection,
    prefix: str,
    id_type_combo: ChoiceCombo,
    id_number_edit: QLineEdit,
    id_warning: FieldWarningLabel,
) -> LiveCheck:
    """The checks every petitioner's 姓名 / 证件号码 / 联系电话 run while typed, plus the
    证件类型 placeholder and the amber ID warning; `prefix` is e.g. "petitioners[1]."
    (the section must already hold those fields). Returns the ID number's LiveCheck."""
    section.add_live_check(prefix + "name", lambda t: check_name(t).error, complete=ends_in_letter)
    id_check = section.add_live_check(
        prefix + "id_number",
        lambda t: check_id_number(id_type_combo.value(), t).error,
        complete=lambda t: len(_compact(t)) >= _FULL_ID_LENGTH,
    )
    section.add_live_check(
        prefix + "phone",
        lambda t: check_phone(t).error,
        complete=lambda t: len(phone_digits(t)) >= _FULL_MOBILE_DIGITS,
    )

    def show_warning(*_args) -> None:
        text = id_number_edit.text()
        check = check_id_number(id_type_combo.value(), text) if text.strip() else None
        id_warning.show_message(check.warning if check and check.ok else None)

    def on_id_type_changed(_index: int) -> None:
        no_document = id_type_combo.value() == "无证件"
        id_number_edit.setPlaceholderText("（无证件）" if no_document else "证件号码")
        if id_number_edit.text().strip():
            id_check.run()
        show_warning()

    id_number_edit.textChanged.connect(show_warning)
    id_type_combo.currentIndexChanged.connect(on_id_type_changed)
    return id_check


class PetitionerSection(FormSection):
    """The primary petitioner; emits `sig_identity_changed(id_number, phone, name)` for the history panel.

    `id_number` is only passed on when it is a valid number, and `name` only when it is a valid name.
    """

    sig_identity_changed = Signal(str, str, str)

    def __init__(self, parent=None):
        super().__init__("信访人", columns=2, parent=parent)
        self.name_edit = make_line_edit("姓名（生僻字可直接输入）")
        self.id_type_combo = ChoiceCombo(ID_TYPES)
        self.id_number_edit = make_line_edit("18位身份证号码")
        self.gender_combo = ChoiceCombo(vocab.GENDERS, placeholder="—")
        self.birth_date_edit = make_line_edit("YYYY-MM-DD", 10)
        self.ethnicity_combo = TextCombo(vocab.ETHNICITIES, placeholder="如：汉族")
        self.phone_edit = make_line_edit("手机或区号-号码")
        self.address_edit = make_line_edit("住址")
        self.division_edit = make_line_edit("6位县级代码（可由证件号码带出）", 12)
        self.id_warning = FieldWarningLabel(ID_NUMBER)

        self.add_field(NAME, "姓名", self.name_edit)
        self.add_field(ID_TYPE, "证件类型", self.id_type_combo)
        self.add_field(ID_NUMBER, "证件号码", self.id_number_edit, span=True, warning=self.id_warning)
        self.add_field(GENDER, "性别", self.gender_combo)
        self.add_field(BIRTH_DATE, "出生日期", self.birth_date_edit)
        self.add_field(ETHNICITY, "民族", self.ethnicity_combo)
        self.add_field(PHONE, "联系电话", self.phone_edit)
        self.add_field(ADDRESS, "住址", self.address_edit, span=True)
        self.add_field(DIVISION_CODE, "行政区划代码", self.division_edit)

        self._id_check = add_identity_checks(
            self, P, self.id_type_combo, self.id_number_edit, self.id_warning
        )
        self.add_live_check(
            DIVISION_CODE,
            lambda t: check_division_code(t)[1],
            complete=lambda t: len(t.strip()) >= 12,
        )
        self._autofilled_division = ""
        self.id_number_edit.textChanged.connect(self._on_id_changed)
        self.id_type_combo.currentIndexChanged.connect(self._on_id_type_changed)
        for signal in (self.name_edit.textChanged, self.phone_edit.textChanged):
            signal.connect(self._emit_identity)

    # --- slots ---------------------------------------------------------------

    def _on_id_type_changed(self, _index: int) -> None:
        self._on_id_changed(self.id_number_edit.text())

    def _on_id_changed(self, text: str) -> None:
        check = check_id_number(self.id_type_combo.value(), text) if text.strip() else None
        if check is not None and check.ok:
            self._fill_from_id(check)
        self._emit_identity()

    def _fill_from_id(self, check) -> None:
        if check.gender:
            self.gender_combo.set_value(check.gender)
        if check.birth_date:
            self.birth_date_edit.setText(check.birth_date.isoformat())
        if check.region_code:
            current = self.division_edit.text().strip()
            if not current or current == self._autofilled_division:
                self.division_edit.setText(check.region_code)
                self._autofilled_division = check.region_code
        if check.region_name and not self.address_edit.text().strip():
            self.address_edit.setText(check.region_name)

    def _emit_identity(self, *_args) -> None:
        self.sig_identity_changed.emit(*self.identity())

    def identity(self) -> tuple[str, str, str]:
        """(valid ID number or "", phone text, valid name or "") for the history lookup."""
        id_text = self.id_number_edit.text()
        id_check = check_id_number(self.id_type_combo.value(), id_text) if id_text.strip() else None
        id_number = id_check.normalized if id_check is not None and id_check.ok else ""
        name = check_name(self.name_edit.text())
        return id_number, self.phone_edit.text(), name.normalized if name.ok else ""

    def reset_autofill(self) -> None:
        self._autofilled_division = ""
