"""Builders of valid inputs shared by service, CLI and UI tests."""
from __future__ import annotations

from app.services.registration import PetitionerInput, RegistrationInput

VALID_ID = "360426199101010071"


def make_input(**overrides) -> RegistrationInput:
    """A complete, valid individual visit; tests change one thing at a time."""
    petitioner = overrides.pop("petitioner", None) or PetitionerInput(
        name="张三", id_type="居民身份证", id_number=VALID_ID, phone="13812345678", address="德安县蒲亭镇"
    )
    values = dict(
        form="走访",
        petitioners=[petitioner],
        headcount=1,
        matter_class="申诉求决",
        content_class=["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
        title="讨要拖欠工资",
        request="请求责令某建筑公司支付拖欠的工资三万元",
        decision="受理告知",
    )
    values.update(overrides)
    return RegistrationInput(**values)
