"""Realistic demo data in bulk (100,000 matters in well under a minute).

Rows are generated in memory and written with executemany in one transaction; every
generated ID number carries a correct GB 11643 check digit, so the data looks real to
validation, search and history alike.
"""
from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.models import DailySequence, Leader, Matter, MatterEvent, MatterPetitioner, Petitioner

from . import vocab
from .content_classes import ContentClassTree
from .numbering import format_number, reserve_event_seqs
from .query_codes import new_query_code
from .security.crypto import FieldCipher
from .security.sealing import id_columns, phone_columns
from .pinyin import name_initials
from .station import StationService
from .leaders import seed_county_leaders

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
COUNTIES = ("360426", "360402", "360403", "360421", "360423", "360424", "360425", "360428", "360429", "360430")
TOWNS = ("蒲亭镇", "车桥镇", "丰林镇", "宝塔乡", "塘山乡", "吴山乡", "河东乡", "林泉乡", "磨溪乡", "爱民乡")
UNITS = ("县人力资源和社会保障局", "县自然资源局", "县住房和城乡建设局", "县农业农村局", "县民政局", "县公安局", "县教育体育局", "县卫生健康委员会", "县市场监督管理局", "蒲亭镇人民政府")
def _township(index: int, county_code: str) -> dict[str, str]:
    """A demo problem location: 9-digit township-level code (county code + 100 + index) and its name."""
    return {"location_code": f"{county_code[:6]}{100 + index:03d}", "location": f"德安县{TOWNS[index]}"}


WEIGHTS_FORM = (("走访", 55), ("来信", 20), ("网上", 18), ("电话", 5), ("传真", 2))
WEIGHTS_DECISION = (
    ("受理告知", 40), ("转送", 20), ("交办", 15), ("当场答复", 10), ("不予受理", 6), ("导入法定途径", 5), ("不再受理", 2), ("", 2)
)
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W)) % 11]


def _weighted(rng: random.Random, pairs) -> str:
    labels, weights = zip(*pairs)
    return rng.choices(labels, weights)[0]


class _People:
    """A pool of demo persons; some come back, so history and repeat search have material."""

    def __init__(self, rng: random.Random, now: datetime, cipher: FieldCipher):
        self.rng, self.now, self.cipher = rng, now, cipher
        self.rows: list[dict] = []
        self._initials: dict[str, str] = {}

    def _initial(self, ch: str) -> str:
        if ch not in self._initials:
            self._initials[ch] = name_initials(ch)
        return self._initials[ch]

    def new(self, next_id: int) -> dict:
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        gender_digit = rng.randrange(10)
        first17 = f"{rng.choice(COUNTIES)}{birth:%Y%m%d}{rng.randrange(100):02d}{gender_digit}"
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        id_number = first17 + id_check_char(first17)
        row = {
            "id": next_id,
            "name": name,
            "name_initials": "".join(self._initial(c) for c in name),
            "id_type": "居民身份证",
            **id_columns(id_number, self.cipher),
            "gender": "男" if gender_digit % 2 else "女",
            "birth_date": birth,
            "ethnicity": "汉族",
            **phone_columns(phone, self.cipher),
            "address": f"江西省九江市德安县{rng.choice(TOWNS)}{rng.randrange(1, 30)}组",
            "division_code": first17[:6],
            "created_at": self.now,
            "updated_at": self.now,
        }
        self.rows.append(row)
        return row


def generate(
    engine: Engine,
    stations: StationService,
    tree: ContentClassTree,
    count: int,
    *,
    seed: int = 20261123,
    days: int = 365,
    progress: Callable[[int], None] | None = None,
    follow_up: bool = False,
    cipher: FieldCipher,
) -> int:
    """Insert `count` demo matters spread over the last `days` days; returns how many were written.

    With `follow_up`, older matters also went on: units accepted, replies, evaluations (so the
    statistics' rates are not empty). Off by default: benchmarks count 2 events per matter."""
    station = stations.require()
    rng = random.Random(seed)
    receivers = _Receivers(engine, seed)
    follow = _FollowUps(seed, now=datetime.now().replace(microsecond=0)) if follow_up else None
    now = datetime.now().replace(microsecond=0)
    leaves = [n for n in tree.nodes if n.level == 3] or tree.nodes
    with Session(engine) as s, s.begin():
        matter_id = (s.scalar(select(func.max(Matter.id))) or 0) + 1
        person_id = (s.scalar(select(func.max(Petitioner.id))) or 0) + 1
        existing = dict(
            s.execute(select(DailySequence.day, DailySequence.last_seq).where(DailySequence.station_code == station.code)).all()
        )
        people = _People(rng, now, cipher)
        matters, links, events, per_day = [], [], [], Counter()
        codes = set(s.scalars(select(Matter.query_code)))
        first_seq = reserve_event_seqs(s, station.code, 2 * count)
        event_seq = first_seq
        for i in range(count):
            day = (now - timedelta(days=rng.randrange(days))).date()
            per_day[day] += 1
            number = format_number(station.code, day, existing.get(day, 0) + per_day[day])
            at = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rng.randrange(8 * 3600, 18 * 3600))
            at = min(at, now)
            form = _weighted(rng, WEIGHTS_FORM)
            collective = form == "走访" and rng.random() < 0.12
            headcount = rng.randrange(5, 60) if collective else (1 if rng.random() < 0.85 else rng.randrange(2, 5))
            if people.rows and rng.random() < 0.2:
                person = rng.choice(people.rows)
            else:
                person = people.new(person_id)
                person_id += 1
            leaf = rng.choice(leaves)
            decision = _weighted(rng, WEIGHTS_DECISION)
            unit = rng.choice(UNITS) if decision in vocab.DECISION_NEEDS_UNIT else ""
            reason = "已依法作出处理意见" if decision in vocab.DECISION_NEEDS_REASON else ""
            channel = rng.choice(vocab.LEGAL_CHANNELS[:3]) if decision in vocab.DECISION_NEEDS_CHANNEL else ""
            code = new_query_code(rng.choice)
            while code in codes:
                code = new_query_code(rng.choice)
            codes.add(code)
            matters.append(
                {
                    "id": matter_id,
                    "number": number,
                    "query_code": code,
                    "station_code": station.code,
                    "form": form,
                    "petition_date": day,
                    "registered_at": at,
                    "headcount": headcount,
                    "is_collective": headcount >= station.collective_threshold,
                    "matter_class": rng.choice(vocab.MATTER_CLASSES),
                    "content_class_id": leaf.id,
                    "content_class_label": leaf.path,
                    "content_class_top": leaf.top,
                    "title": f"反映{leaf.name}问题",
                    "request": f"请求依法解决{rng.choice(TOWNS)}{leaf.name}有关问题，维护合法权益。",
                    "facts": "",
                    **_township(rng.randrange(len(TOWNS)), station.code),
                    "skip_level": rng.random() < 0.03,
                    "litigation_related": rng.random() < 0.05,
                    "major_urgent": False,
                    "decision": decision or None,
                    "decision_unit_name": unit,
                    "decision_reason": reason,
                    "decision_channel": channel,
                    "decision_note": "",
                    "status": vocab.STATUS_BY_DECISION.get(decision, vocab.STATUS_REGISTERED),
                    "petitioner_names": person["name"],
                    "registered_by": "演示数据",
                    **receivers.pick(form, day),
                }
            )
            links.append(
                {
                    "matter_id": matter_id,
                    "petitioner_id": person["id"],
                    "position": 0,
                    "is_primary": True,
                    "is_representative": collective,
                    "name": person["name"],
                }
            )
            registered = {
                "number": number,
                "query_code": code,
                "form": form,
                "petition_date": day.isoformat(),
                "registered_at": at.isoformat(timespec="seconds"),
                "headcount": headcount,
                "title": f"反映{leaf.name}问题",
                "content_class": leaf.path,
                "people": [{"name": person["name"], "id_number": person["id_sealed"], "is_primary": True}],
            }
            for kind, payload in (
                ("registered", registered),
                ("decided", {"decision": decision, "unit": unit, "reason": reason, "channel": channel, "note": ""}),
            ):
                events.append(
                    {
                        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "station_code": station.code,
                        "station_seq": event_seq,
                        "matter_id": matter_id,
                        "kind": kind,
                        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                        "occurred_at": at,
                        "actor": "演示数据",
                    }
                )
                event_seq += 1
            if follow is not None:
                follow.add(matters[-1], unit)
            matter_id += 1
            if progress and (i + 1) % 10000 == 0:
                progress(i + 1)
        s.execute(insert(Petitioner), people.rows)
        s.execute(insert(Matter), matters)
        s.execute(insert(MatterPetitioner), links)
        if follow is not None and follow.events:
            seq = reserve_event_seqs(s, station.code, len(follow.events))
            for e in follow.events:
                e.update(uuid=str(uuid.UUID(int=follow.rng.getrandbits(128), version=4)),
                         station_code=station.code, station_seq=seq, actor="演示数据")
                seq += 1
            events.extend(follow.events)
        s.execute(insert(MatterEvent), events)
        # Queue the new events for the county, like append_event does one by one.
        s.execute(
            text(
                "INSERT INTO sync_outbox (event_id, state, attempts, last_error) "
                "SELECT id, 'pending', 0, '' FROM matter_event WHERE station_code = :code AND station_seq >= :first"
            ),
            {"code": station.code, "first": first_seq},
        )
        _store_sequences(s, station.code, existing, per_day)
    return count


class _FollowUps:
    """What happened to older demo matters after the desk, on a random stream of their own."""

    EVALUATIONS = (("满意", 70), ("基本满意", 20), ("不满意", 10))

    def __init__(self, seed: int, now: datetime):
        self.rng = random.Random(seed + 2)
        self.now = now
        self.events: list[dict] = []

    def _event(self, matter: dict, kind: str, on: date, payload: dict) -> None:
        at = datetime.combine(on, datetime.min.time()) + timedelta(hours=15)
        payload = {**payload, "date": on.isoformat()}
        self.events.append({"matter_id": matter["id"], "kind": kind, "occurred_at": min(at, self.now),
                            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True)})

    def _later(self, since: date, low: int, high: int) -> date | None:
        """A day `low`–`high` days after `since`, if that is already past."""
        span = (self.now.date() - since).days
        if span <= low:
            return None
        return since + timedelta(days=self.rng.randrange(low, min(high, span) + 1))

    def add(self, matter: dict, unit: str) -> None:
        rng, decision, day = self.rng, matter["decision"], matter["petition_date"]
        accepted = day if decision == vocab.DECISION_ACCEPT else None
        if decision in vocab.DECISION_NEEDS_UNIT and rng.random() < 0.85:
            accepted = self._later(day, 1, 14)
            if accepted:
                self._event(matter, "accepted", accepted, {"unit": unit, "note": ""})
                matter["status"] = vocab.STATUS_BY_DECISION[vocab.DECISION_ACCEPT]
        answered = day if decision == vocab.DECISION_ON_SPOT else None
        if accepted and rng.random() < 0.8:
            late = rng.random() < 0.08
            answered = self._later(accepted, 61, 80) if late else self._later(accepted, 10, 58)
            if answered:
                self._event(matter, "replied", answered, {
                    "opinion": rng.choice(vocab.REPLY_OPINIONS), "delivery": rng.choice(vocab.DELIVERY_METHODS),
                    "receipt": vocab.RECEIPT_STATES[0]})
                matter["status"] = vocab.STATUS_REPLIED
        if answered and rng.random() < 0.6:
            evaluated = self._later(answered, 1, 25)
            if evaluated:
                result = _weighted(rng, self.EVALUATIONS)
                note = "问题尚未解决" if result == "不满意" else ""
                self._event(matter, "evaluated", evaluated,
                            {"target": vocab.EVALUATION_TARGETS[0], "result": result, "note": note})


class _Receivers:
    """Seeds the two county leaders; some weekday visits were received by one of them.

    Own random stream, so the rest of the demo data stays the same for a given seed."""

    SHARE = 0.15

    def __init__(self, engine: Engine, seed: int):
        seed_county_leaders(engine)
        self.rng = random.Random(seed + 1)
        with Session(engine) as s:
            self.leaders = [tuple(r) for r in s.execute(select(Leader.id, Leader.name).where(Leader.active.is_(True)))]

    def pick(self, form: str, day: date) -> dict:
        if form == "走访" and day.weekday() < 5 and self.leaders and self.rng.random() < self.SHARE:
            leader_id, name = self.rng.choice(self.leaders)
            return {"receiver_leader_id": leader_id, "receiver_leader_name": name}
        return {"receiver_leader_id": None, "receiver_leader_name": ""}


def _store_sequences(s: Session, code: str, existing: dict[date, int], per_day: Counter) -> None:
    for day, n in per_day.items():
        if day in existing:
            s.query(DailySequence).filter_by(station_code=code, day=day).update({"last_seq": existing[day] + n})
        else:
            s.add(DailySequence(station_code=code, day=day, last_seq=n))
