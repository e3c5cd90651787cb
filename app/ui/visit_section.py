"""来访信息 section: form of the visit, date, how many came, the leader who received them, their representatives."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from app.services import vocab
from app.services.attachments import check_attachment_paths
from app.services.validation import check_name

from .attachment_list import AttachmentPicker
from .form_fields import ChoiceCombo, ends_in_letter, make_date_edit, make_line_edit
from .form_section import FormSection
from .leader_combo import LeaderCombo

FORM, PETITION_DATE, HEADCOUNT, REPRESENTATIVES = "form", "petition_date", "headcount", "representatives"
ATTACHMENTS = "attachments"
LETTER = "来信"
# A letter's petition date is the postmark date.
DATE_CAPTION, POSTMARK_CAPTION = "信访日期", "邮戳日期"
RECEIVER_LEADER = "receiver_leader"

_NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")


def split_names(text: str) -> list[str]:
    """"张三、李四，王五 赵六" -> four names."""
    return [part for part in _NAME_SEPARATORS.split(text or "") if part]


def representatives_problem(text: str) -> str | None:
    """The first name among the representatives that is not a valid name, as a message."""
    for i, part in enumerate(split_names(text), start=1):
        error = check_name(part).error
        if error:
            return f"第{i}位代表：{error}"
    return None


class VisitSection(FormSection):
    def __init__(self, collective_threshold: int, max_representatives: int, parent=None):
        super().__init__("来访信息", columns=2, parent=parent)
        self.collective_threshold = collective_threshold
        self.form_combo = ChoiceCombo(vocab.FORMS)
        self.date_edit = make_date_edit()
        self.headcount_spin = QSpinBox()
        self.headcount_spin.setRange(1, vocab.MAX_HEADCOUNT)
        self.collective_label = QLabel("集体访")
        self.collective_label.setObjectName("collective_label")
        self.collective_label.setStyleSheet("color: #ffffff; background: #c62828; padding: 1px 6px; border-radius: 3px;")
        self.collective_label.setVisible(False)
        headcount_row = QWidget()
        row = QHBoxLayout(headcount_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.headcount_spin)
        row.addWidget(self.collective_label)
        row.addStretch(1)
        self.representatives_edit = make_line_edit(
            f"集体访推选的代表姓名，用“、”或空格分隔（不超过{max_representatives}人）"
        )

        self.add_field(FORM, "信访形式", self.form_combo)
        self.add_field(PETITION_DATE, "信访日期", self.date_edit)
        self.add_field(HEADCOUNT, "人数", self.headcount_spin, display=headcount_row)
        self.leader_combo = LeaderCombo(placeholder="接访的领导（可不填）")
        self.leader_combo.setObjectName("receiver_leader_combo")
        self.add_field(RECEIVER_LEADER, "接访领导", self.leader_combo)
        self.add_field(REPRESENTATIVES, "推选代表", self.representatives_edit, span=True)
        self.attachment_picker = AttachmentPicker()
        self.add_field(ATTACHMENTS, "附件（信件扫描件或照片）", self.attachment_picker, span=True)

        self.add_live_check(REPRESENTATIVES, representatives_problem, complete=ends_in_letter)
        self.headcount_spin.valueChanged.connect(self._on_headcount_changed)
        self.live_checked.add(ATTACHMENTS)
        self.attachment_picker.sig_changed.connect(self._check_attachments)
        self.form_combo.currentIndexChanged.connect(self._on_form_changed)

    def _on_headcount_changed(self, value: int) -> None:
        self.collective_label.setVisible(value >= self.collective_threshold)

    def _on_form_changed(self, _index: int) -> None:
        caption = POSTMARK_CAPTION if self.form_combo.value() == LETTER else DATE_CAPTION
        self.captions[PETITION_DATE] = caption
        self.caption_labels[PETITION_DATE].setText(caption)
        self.date_edit.setToolTip("信封邮戳上的日期" if caption == POSTMARK_CAPTION else "")
        # Letters come with scans to attach: then Tab/Enter stops at the list of files too.
        self.attachment_picker.set_keyboard_stop(caption == POSTMARK_CAPTION)

    def _check_attachments(self, paths: list) -> None:
        """Show at once why a chosen file cannot be kept (missing, too big, not an image or PDF)."""
        problems = [e.message for e in check_attachment_paths(paths)]
        self.errors[ATTACHMENTS].show_message("；".join(problems) or None)

    def representatives(self) -> list[str]:
        return split_names(self.representatives_edit.text())
