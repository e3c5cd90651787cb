"""事项 section: what the visit is about."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from app.services import vocab
from app.services.content_classes import ContentClassTree
from app.services.validation import check_division_code

from .content_class_picker import ContentClassPicker
from .form_fields import ChoiceCombo, length_check, make_line_edit, make_text_edit
from .form_section import FormSection

MATTER_CLASS, CONTENT_CLASS, TITLE, REQUEST, FACTS = "matter_class", "content_class", "title", "request", "facts"
LOCATION, LOCATION_CODE = "location", "location_code"
FLAGS = tuple(vocab.FLAG_LABELS)  # skip_level, litigation_related, major_urgent


class MatterSection(FormSection):
    def __init__(self, tree: ContentClassTree, parent=None):
        super().__init__("事项", columns=2, parent=parent)
        self.matter_class_combo = ChoiceCombo(vocab.MATTER_CLASSES, placeholder="请选择")
        self.content_class_picker = ContentClassPicker(tree)
        self.title_edit = make_line_edit(f"一句话概括，如“拖欠工资”（不超过{vocab.MAX_TITLE}字）")
        self.request_edit = make_text_edit("信访人的具体诉求")
        self.facts_edit = make_text_edit("事实和理由（可选）")
        self.location_edit = make_line_edit("问题发生地（乡镇、村、单位）")
        self.location_code_edit = make_line_edit("6/9/12位区划代码", 12)
        self.flag_boxes = {attr: QCheckBox(label) for attr, label in vocab.FLAG_LABELS.items()}

        self.add_field(MATTER_CLASS, "事项类别", self.matter_class_combo)
        self.add_field(CONTENT_CLASS, "内容分类", self.content_class_picker, span=True)
        self.add_field(TITLE, "标题", self.title_edit, span=True)
        self.add_field(REQUEST, "诉求", self.request_edit, span=True)
        self.add_field(FACTS, "事实和理由", self.facts_edit, span=True)
        self.add_field(LOCATION, "问题属地", self.location_edit)
        self.add_field(LOCATION_CODE, "属地代码", self.location_code_edit)
        flags_row = QWidget()
        row = QHBoxLayout(flags_row)
        row.setContentsMargins(0, 0, 0, 0)
        for attr, box in self.flag_boxes.items():
            box.setObjectName(f"flag_{attr}")
            row.addWidget(box)
            self.register(attr, box, vocab.FLAG_LABELS[attr])
        row.addStretch(1)
        self.add_widget_row(flags_row)

        self.add_live_check(TITLE, length_check("标题", vocab.MAX_TITLE))
        self.add_live_check(REQUEST, length_check("诉求", vocab.MAX_REQUEST))
        self.add_live_check(FACTS, length_check("事实和理由", vocab.MAX_FACTS))
        self.add_live_check(LOCATION, length_check("问题属地", vocab.MAX_ADDRESS))
        self.add_live_check(
            LOCATION_CODE,
            lambda t: check_division_code(t)[1],
            complete=lambda t: len(t.strip()) >= 12,
        )
