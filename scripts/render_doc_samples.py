"""Regenerate docs/receipts/*.png through the real path: register, assemble, render, rasterise.

    .venv/bin/python scripts/render_doc_samples.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from app.receipts import content as k  # noqa: E402
from app.receipts.render import render  # noqa: E402
from app.services.context import DeskServices  # noqa: E402
from app.services.registration import PetitionerInput, RegistrationInput  # noqa: E402

OUT = ROOT / "docs" / "receipts"
WAGES = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"
DECISIONS = {
    "受理告知": {},
    "转送": {"decision_unit": "德安县人力资源和社会保障局"},
    "交办": {"decision_unit": "蒲亭镇人民政府"},
    "不予受理": {"decision_reason": "该事项已由人民法院立案受理", "decision_channel": "诉讼"},
    "不再受理": {"decision_reason": "该事项已经复核终结，信访人以同一事实和理由再次提出"},
    "导入法定途径": {"decision_channel": "劳动人事争议调解仲裁"},
}
FILE_NAMES = {
    k.KIND_ACCEPT: "notice-accept",
    k.KIND_FORWARD: "notice-forward",
    k.KIND_ASSIGN: "notice-assign",
    k.KIND_REFUSE: "notice-refuse",
    k.KIND_NO_LONGER: "notice-no-longer",
    k.KIND_LEGAL: "notice-legal-channel",
    k.KIND_EXTEND: "notice-extension",
}


def register(services: DeskServices, decision: str, **detail) -> str:
    people = [
        PetitionerInput(name="王𠮷", id_number="360426199101010071", phone="13807921234"),
        PetitionerInput(name="李䶮", id_number="11010519491231002X"),
    ]
    data = RegistrationInput(
        form="走访", petitioners=people, headcount=6, representatives=["王𠮷", "李䶮", "陈㛃"],
        matter_class="申诉求决", content_class=WAGES, title="某工地拖欠六名农民工工资",
        request="请求责令施工单位支付拖欠的工资", decision=decision, **detail,
    )
    return services.registration.register(data, actor="接待员李明").number


def rasterise(pdf_bytes: bytes, name: str, tmp: Path) -> None:
    pdf = tmp / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(OUT / name)], check=True)
    print(OUT / f"{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        services = DeskServices.open(tmp / "data")
        services.stations.initialise("360426", "德安县信访局", "县")
        services.documents.save_templates({
            "unit.address": "江西省九江市德安县蒲亭镇人民路88号", "unit.phone": "0792-4321000",
        })
        docs = services.documents
        for decision, detail in DECISIONS.items():
            number = register(services, decision, **detail)
            notice = docs.kinds_for(number)[1]
            rasterise(render(docs.content(number, notice)), FILE_NAMES[notice], tmp)
            if decision == "受理告知":
                rasterise(render(docs.content(number, k.KIND_SLIP), width_mm=80), "slip-80mm", tmp)
                docs.record_printed(number, k.KIND_SLIP)
                rasterise(render(docs.content(number, k.KIND_SLIP), width_mm=58), "slip-58mm-reprint", tmp)
                services.extensions.extend(number, 30, "需要现场勘验和调取工资台账")
                rasterise(render(docs.content(number, k.KIND_EXTEND)), FILE_NAMES[k.KIND_EXTEND], tmp)
        services.close()


if __name__ == "__main__":
    main()
