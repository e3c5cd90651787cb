"""DocumentContent samples for the receipt tests (and the PNGs in docs/receipts/)."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

from app.receipts.content import (
    KIND_ACCEPT,
    KIND_ASSIGN,
    KIND_EXTEND,
    KIND_FORWARD,
    KIND_LEGAL,
    KIND_NO_LONGER,
    KIND_REFUSE,
    KIND_SLIP,
    DocumentContent,
    PersonLine,
)

FULL_ID = "360426199101010071"
MASKED_ID = "360426********0071"
MATTER_NUMBER = "360426-20261123-0007"
QUERY_CODE = "7KQ4M2XZ"
QR_PAYLOAD = f"XF|{MATTER_NUMBER}|{QUERY_CODE}"
DEADLINE = date(2027, 1, 22)
DEADLINE_CN = "2027年1月22日"
RARE_NAME = "𠮷䶮㛃"

RIGHTS = (
    "您可凭信访件编号和查询码，通过德安县信访局网站、电话0792-4321000或到接待大厅查询办理进度，"
    "并对办理工作进行评价。对信访处理意见不服的，可在收到处理意见书之日起30日内申请复查。"
)

_DECISIONS = {
    KIND_SLIP: ("受理", [("受理机关", "德安县信访局")]),
    KIND_ACCEPT: ("受理", [("承办单位", "德安县人力资源和社会保障局")]),
    KIND_REFUSE: ("不予受理", [("理由", "该事项已经依法通过诉讼途径处理，属于法定途径解决的事项"),
                               ("法定途径", "向德安县人民法院申请执行")]),
    KIND_NO_LONGER: ("不再受理", [("理由", "同一事项已经复核终结，信访人仍以同一事实和理由提出")]),
    KIND_FORWARD: ("转送", [("去向单位", "九江市住房和城乡建设局")]),
    KIND_ASSIGN: ("交办", [("去向单位", "德安县蒲亭镇人民政府"), ("办结时限", "60日")]),
    KIND_LEGAL: ("导入法定途径", [("法定途径", "劳动人事争议仲裁"), ("受理机构", "德安县劳动人事争议仲裁委员会")]),
    KIND_EXTEND: ("延期办理", [("延期天数", "30日"), ("延期理由", "案情复杂，需要多个部门共同核实")]),
}


def sample(kind: str = KIND_SLIP, *, name: str = "张三", people: list[PersonLine] | None = None,
           collective: bool = False, reprint: bool = False, body_repeat: int = 1,
           matter_title: str = "关于某公司拖欠工资的问题") -> DocumentContent:
    decision, details = _DECISIONS[kind]
    if people is None:
        people = [PersonLine(name=name, role="信访人", id_masked=MASKED_ID, phone_masked="138****5678")]
    title = "来访登记回执" if kind == KIND_SLIP else f"信访事项{kind}"
    body = [
        f"你（们）于2026年11月23日提出的“{matter_title}”信访事项收悉。"
        f"根据《信访工作条例》第二十三条的规定，经审查，本机关决定{decision}。" * body_repeat,
    ]
    if kind == KIND_ACCEPT:
        body.append("本机关将依法办理，并在规定期限内向你（们）出具书面处理意见。")
    return DocumentContent(
        kind=kind,
        title=title,
        issuing_unit="德安县信访局",
        document_number="360426-20261123-0007-受",
        matter_number=MATTER_NUMBER,
        query_code=QUERY_CODE,
        qr_payload=QR_PAYLOAD,
        addressee=(people[0].name + (f"等{len(people)}人" if len(people) > 1 else "")),
        people=people,
        petition_date=date(2026, 11, 23),
        registered_at=datetime(2026, 11, 23, 9, 15),
        headcount=max(len(people), 6 if collective else 1),
        is_collective=collective,
        matter_title=matter_title,
        decision=decision,
        body=body,
        details=details,
        legal_basis="《信访工作条例》第二十三条",
        deadline=DEADLINE,
        deadline_text=f"本事项将于{DEADLINE_CN}前办结并答复。",
        rights_notice=RIGHTS,
        handler="李四",
        handler_phone="0792-4321001",
        unit_address="江西省九江市德安县蒲亭镇人民路88号",
        unit_phone="0792-4321000",
        issue_date=date(2026, 11, 23),
        seal_text="德安县信访局（印章）",
        reprint=reprint,
    )


def collective(n: int = 5, **kw) -> DocumentContent:
    people = [PersonLine(name=f"代表{i}号王五", role="代表", id_masked=f"360426********00{i:02d}")
              for i in range(1, n + 1)]
    return sample(people=people, collective=True, **kw)


def with_changes(content: DocumentContent, **changes) -> DocumentContent:
    return dataclasses.replace(content, **changes)


# -- poppler / zbar helpers -------------------------------------------------------------------

def tools_available() -> bool:
    return all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"))


def write(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [ln.split() for ln in out.splitlines()[2:] if ln.strip()]


def page_size_pt(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    for ln in out.splitlines():
        if ln.startswith("Page size:"):
            parts = ln.split()
            return float(parts[2]), float(parts[4])
    raise AssertionError(out)


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(ln.split()[1] for ln in out.splitlines() if ln.startswith("Pages:")))


def to_png(pdf: Path, out_stem: Path, dpi: int = 150, gray: bool = True) -> list[Path]:
    args = ["pdftoppm", "-r", str(dpi), "-png"] + (["-gray"] if gray else []) + [str(pdf), str(out_stem)]
    subprocess.run(args, check=True, capture_output=True)
    return sorted(out_stem.parent.glob(out_stem.name + "*.png"))


