"""Whether one matter has reached the county, in words for the matter detail dialog.

`Outbox.matter_synced` is one query per matter (about 0.8 ms): fine for one dialog, too slow for
every row of the list (about 160 ms per 200-row page), so the list has no such column yet.
"""
from __future__ import annotations

from app.services.context import DeskServices

SYNCED = "已上报"
WAITING = "待上报（县级服务器尚未确认收到）"


def county_text(services: DeskServices, number: str, county_number: str = "") -> str:
    outbox = services.sync.outbox
    refused = sum(1 for item in outbox.attention_items() if item.matter_number == number)
    if refused:
        return f"待上报（{refused} 条记录被县级服务器拒收，见状态栏“需处理”）"
    if not outbox.matter_synced(number):
        return WAITING
    return f"{SYNCED}（县级编号 {county_number}）" if county_number else SYNCED
