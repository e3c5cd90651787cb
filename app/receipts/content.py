"""What a receipt or notice prints: plain values, already masked and worded.

The services fill this from the matter, the unit's templates and the deadline rules; the
renderers only lay it out. Nothing here may hold a full ID number or phone number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

KIND_SLIP = "slip"  # 来访登记回执 (thermal, 80 or 58 mm)
KIND_ACCEPT = "受理告知书"
KIND_REFUSE = "不予受理告知书"
KIND_NO_LONGER = "不再受理告知书"
KIND_FORWARD = "转送告知书"
KIND_ASSIGN = "交办告知书"
KIND_LEGAL = "导入法定途径告知书"
KIND_EXTEND = "延期办理告知书"
NOTICE_KINDS = (KIND_ACCEPT, KIND_REFUSE, KIND_NO_LONGER, KIND_FORWARD, KIND_ASSIGN, KIND_LEGAL, KIND_EXTEND)
SLIP_WIDTHS_MM = (80, 58)


@dataclass(frozen=True)
class PersonLine:
    """One person printed on a document (ID and phone masked)."""

    name: str
    role: str  # 信访人 / 代表
    id_masked: str = ""
    phone_masked: str = ""


@dataclass(frozen=True)
class DocumentContent:
    kind: str  # KIND_SLIP or one of NOTICE_KINDS
    title: str  # printed heading, e.g. "来访登记回执", "信访事项受理告知书"
    issuing_unit: str
    document_number: str  # e.g. "360426-20261123-0001-受"
    matter_number: str
    query_code: str
    qr_payload: str  # what the QR code encodes (matter number and query code)
    addressee: str  # "张三" or "张三等6人" (salutation line of A4 notices)
    people: list[PersonLine]
    petition_date: date
    registered_at: datetime
    headcount: int
    is_collective: bool
    matter_title: str  # short title, never the full complaint text
    decision: str  # 受理告知 / 转送 / … ("" when not yet decided)
    body: list[str]  # paragraphs of the notice, worded from the templates
    details: list[tuple[str, str]]  # labelled lines: 去向单位, 理由, 法定途径, 延期天数 …
    legal_basis: str  # e.g. "《信访工作条例》第二十三条"
    deadline: date | None
    deadline_text: str  # the sentence about the deadline ("" when none applies)
    rights_notice: str  # how to check progress and evaluate; review only after a handling opinion
    handler: str
    handler_phone: str
    unit_address: str
    unit_phone: str
    issue_date: date
    seal_text: str  # e.g. "德安县信访局（印章）"
    reprint: bool = False  # printed as 补打
    extra: dict[str, str] = field(default_factory=dict)

    def printed_fields(self) -> list[tuple[str, str]]:
        """Every text that ends up on paper, with a Chinese label (for the missing-glyph check)."""
        out = [
            ("标题", self.title),
            ("出具单位", self.issuing_unit),
            ("文书编号", self.document_number),
            ("信访件编号", self.matter_number),
            ("查询码", self.query_code),
            ("称谓", self.addressee),
            ("事项标题", self.matter_title),
            ("处理方式", self.decision),
            ("法律依据", self.legal_basis),
            ("期限", self.deadline_text),
            ("权利告知", self.rights_notice),
            ("经办人", self.handler),
            ("联系电话", self.handler_phone),
            ("单位地址", self.unit_address),
            ("单位电话", self.unit_phone),
            ("印章", self.seal_text),
        ]
        for person in self.people:
            out.append((f"{person.role}姓名", person.name))
        out.extend(("正文", p) for p in self.body)
        out.extend((label, value) for label, value in self.details)
        return [(label, value) for label, value in out if value]
