"""Crash safety: register matters in a loop, SIGKILL the process at random moments, check the data.

    .venv/bin/python scripts/crash_safety.py --kills 200 --data-dir /tmp/xf-crash [--seed N]

The parent starts this same script with `--child` on the data folder. The child opens the desk
the way a start does (`_open_ready_desk`: migrate, log in, station) and registers matters in an
endless loop; after each `register` returns it writes `SAVED <number> <sha256>` to stdout in one
`write()`. The parent reads the pipe unbuffered, keeps every reported save in memory and in a
journal outside the data folder, kills the child with SIGKILL at a random moment, waits for it,
and checks the database the child left behind, read-only with the plain sqlite3 module:
`PRAGMA integrity_check` is ok, `PRAGMA foreign_key_check` is empty, and every reported number is
present with content whose hash equals the reported one. Then it restarts the child on the same
folder. After the last kill it opens the desk once more through the real services and checks
every reported matter again through `MatterQueries.detail` and `AttachmentService.list`.

"Content" (what the hash covers, `canonical`): form, petition date, headcount, matter class,
content-class path, title, request, facts, problem location and its code, the three flags, the
desk decision with its unit, reason, channel and note, the number it repeats, each person's name
and roles in order, and each attachment's original name, size and the sha256 of the stored
file's bytes. ID numbers and phones are left out: they are sealed (encrypted) in the database.

A matter present but never reported is fine (killed after the commit, before the print). The
last stdout line is the summary, e.g. `kills: 200, saved: 2345, lost: 0, corrupted: 0,
integrity failures: 0`; the exit status is 1 when anything was lost, corrupted or failed.
See docs/crash-safety.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.schema import DB_FILENAME  # noqa: E402  (light: no SQLAlchemy)

OPERATOR = "断电测试员"
PASSWORD = "crash-test-2026"
STATION = ("360426", "德安县信访局", "县")
MARKER_TIMEOUT = 60.0  # seconds a child may take to reach the marker a kill waits for
FLAG_KEYS = ("skip_level", "litigation_related", "major_urgent")


# --- opening the desk (the one place to adapt when start-up changes) -------------------------

def _open_ready_desk(data_dir: Path):
    """The desk on `data_dir`, opened as a start opens it and ready for service calls.

    Migrates (creating the database on an empty folder), logs in as the test operator (creating
    it as the first administrator, with every role, on a database that has no operator yet) and
    initialises the station when it is missing. Every step a start needs belongs here.
    """
    from app.services.context import DeskServices
    from app.services.security.permissions import ROLES

    desk = DeskServices.open(data_dir)
    if desk.operators.has_operators():
        desk.login(OPERATOR, PASSWORD)
    else:
        desk.operators.setup_first_admin(OPERATOR, PASSWORD, frozenset(ROLES))
    if desk.stations.get() is None:
        desk.stations.initialise(*STATION)
    return desk


# --- what a matter's content is ----------------------------------------------------------------

def canonical(
    *, form: str, petition_date: date, headcount: int, matter_class: str, content_class: str, title: str,
    request: str, facts: str, location_code: str, location: str, flags: list[str], decision: str,
    decision_unit: str, decision_reason: str, decision_channel: str, decision_note: str, repeat_of: str,
    people: list[tuple[str, bool, bool]], attachments: list[tuple[str, int, str]],
) -> dict:
    """The content one hash covers; people are (name, is_primary, is_representative) in order,
    attachments (original name, size, sha256 of the bytes) in the order added."""
    return {
        "form": form, "petition_date": petition_date.isoformat(), "headcount": int(headcount),
        "matter_class": matter_class, "content_class": content_class, "title": title, "request": request,
        "facts": facts, "location_code": location_code, "location": location,
        "flags": [k for k in FLAG_KEYS if k in flags], "decision": decision or "",
        "decision_unit": decision_unit, "decision_reason": decision_reason,
        "decision_channel": decision_channel, "decision_note": decision_note, "repeat_of": repeat_of or "",
        "people": [[n, bool(p), bool(r)] for n, p, r in people],
        "attachments": [[n, int(s), d] for n, s, d in attachments],
    }


def content_hash(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- the child: register forever ------------------------------------------------------------

def _emit(line: str) -> None:
    """One write() per line: a line in the pipe is complete, or absent."""
    os.write(1, (line + "\n").encode("utf-8"))


PHRASES = (
    "本人于二〇二三年三月在县城某小区购买商品房一套", "开发商至今未办理不动产权证", "多次到住建部门反映无果",
    "村委会在未召开村民代表大会的情况下", "将集体土地租给外地老板建厂", "每亩租金仅三百元且无人公开账目",
    "我在某建筑工地做钢筋工八个月", "包工头以工程款未到位为由拖欠工资三万二千元", "劳动监察大队已受理但迟迟没有结果",
    "镇政府征收我家承包地二亩三分", "补偿标准低于县里公布的标准", "青苗补偿款至今未发放到位",
    "邻居违章加盖三层楼房", "严重影响我家采光和通风", "城管部门称不归其管理",
    "我父亲患有尿毒症需要长期透析", "申请低保被村里以有子女为由拒绝", "希望民政部门重新核查家庭经济状况",
    "小区物业擅自将公共绿地改为停车位收费", "业主委员会多次交涉未果", "请求有关部门依法处理",
    "学校食堂饭菜价格上涨且质量下降", "家长多次反映无人理睬", "恳请教育局派人调查",
    "化工厂夜间偷排废水", "河里的鱼大量死亡", "村民饮水井水质发黄有异味",
    "退役后安置待遇一直没有落实", "相关证明材料齐全", "请求按政策予以解决",
    "吉姓（𠮷）村民的宅基地被他人强占", "䶮字辈族谱记载的祖坟被推平", "堃、喆两位老人的养老金被冒领",
    "以上情况属实", "如有虚假愿承担法律责任", "特此反映，恳请领导重视",
)
TITLES = (
    "讨要拖欠工资", "反映征地补偿标准过低", "反映房产证迟迟未办理", "请求核查低保资格", "反映化工厂偷排污水",
    "反映物业侵占公共绿地", "请求落实退役安置待遇", "反映邻居违章建房", "反映村务不公开", "反映养老金被冒领",
)
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗欧阳"
UNITS = ("德安县人力资源和社会保障局", "德安县住房和城乡建设局", "蒲亭镇人民政府", "德安县自然资源局", "德安县生态环境局")
LOCATIONS = (("360426", "江西省九江市德安县"), ("360426100", "德安县蒲亭镇"), ("", "宝塔乡某村"), ("", ""))
ATTACHMENT_NAMES = ("信件扫描件.pdf", "现场照片1.jpg", "工资欠条.png", "scan-0002.tif", "身份证复印件.jpeg", "证明材料 第3页.bmp")


def _id_number(rng: random.Random) -> str:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    first17 = f"360426{birth:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


@dataclass(frozen=True)
class Person:
    name: str
    id_type: str
    id_number: str
    phone: str
    address: str


def _people_pool(rng: random.Random) -> list[Person]:
    """A dozen visitors who come back (their rows are reused by ID number), a few without ID."""
    given = ("建国", "秀英", "桂兰", "志强", "海燕", "𠮷祥", "䶮", "春生", "玉梅", "德华", "丽娟", "国庆")
    pool = []
    for i, g in enumerate(given):
        surname = SURNAMES[i % len(SURNAMES)] if i != 5 else "欧阳"
        has_id = i % 4 != 3
        pool.append(Person(
            name=surname + g,
            id_type="居民身份证" if has_id else "无证件",
            id_number=_id_number(rng) if has_id else "",
            phone=f"13{rng.randrange(3, 10)}{rng.randrange(10**8):08d}" if i % 3 else "",
            address=f"德安县蒲亭镇{rng.choice('东南西北')}街{rng.randrange(1, 200)}号" if i % 2 else "",
        ))
    pool.append(Person("买买提·艾力", "居民身份证", _id_number(rng), "13912345678", "德安县丰林镇"))
    return pool


class InputMaker:
    """Varied, valid registrations, already in the form the service stores (so the hash of what
    was submitted is the hash of what must come back)."""

    def __init__(self, rng: random.Random, classes: list[str], sources: list[tuple[Path, int, str]]):
        self.rng = rng
        self.classes = classes
        self.sources = sources  # (path, size, sha256) of files to attach
        self.people = _people_pool(rng)

    def text(self, low: int, high: int) -> str:
        target = self.rng.randint(low, high)
        parts: list[str] = []
        size = 0
        while size < target:
            piece = self.rng.choice(PHRASES) + self.rng.choice("，，，。；\n")
            parts.append(piece)
            size += len(piece)
        return "".join(parts)[:target].strip().rstrip("，；")

    def make(self, today: date, saved: list[str]):
        from app.services.registration import PetitionerInput, RegistrationInput

        rng = self.rng
        form = rng.choice(("走访", "走访", "走访", "来信", "网上", "电话", "传真"))
        listed = rng.sample(self.people, rng.choice((1, 1, 1, 2, 3)))
        reps: list[str] = []
        headcount = len(listed)
        if form == "走访" and rng.random() < 0.3:  # a group visit, with up to 3 representatives
            headcount = rng.randint(max(5, len(listed)), 60)
            reps = [p.name for p in listed[: rng.randint(1, len(listed))]]
            if rng.random() < 0.5:
                reps.append(rng.choice(SURNAMES[:-2]) + rng.choice(("代表", "大海", "小红")))
            headcount = max(headcount, len(listed) + len([r for r in reps if r not in {p.name for p in listed}]))
        decision = rng.choice(("", "当场答复", "受理告知", "受理告知", "转送", "交办", "不予受理", "不再受理", "导入法定途径"))
        unit = rng.choice(UNITS) if decision in ("转送", "交办") else ""
        reason = "该事项已由人民法院立案受理" if decision in ("不予受理", "不再受理") else ""
        channel = rng.choice(("诉讼", "仲裁", "劳动人事争议调解仲裁")) if decision in ("不予受理", "导入法定途径") else ""
        note = self.text(5, 80) if decision and rng.random() < 0.3 else ""
        location_code, location = rng.choice(LOCATIONS)
        petition_date = today - timedelta(days=rng.randrange(0, 30 if form == "来信" else 3))
        content_class = rng.choice(self.classes)
        attached = rng.sample(self.sources, rng.randint(1, 2)) if self.sources and rng.random() < 0.2 else []
        flags = [k for k in FLAG_KEYS if rng.random() < 0.15]
        data = RegistrationInput(
            form=form,
            petition_date=petition_date,
            petitioners=[PetitionerInput(name=p.name, id_type=p.id_type, id_number=p.id_number, phone=p.phone,
                                         address=p.address) for p in listed],
            headcount=headcount,
            representatives=reps,
            matter_class=rng.choice(("申诉求决", "申诉求决", "建议意见", "检举控告")),
            content_class=content_class,
            title=(rng.choice(TITLES) + self.text(0, 40))[:60].strip().rstrip("，；"),
            request=self.text(20, 3000),
            facts=self.text(0, 6000) if rng.random() < 0.7 else "",
            location_code=location_code,
            location=location,
            decision=decision,
            decision_unit=unit,
            decision_reason=reason,
            decision_channel=channel,
            decision_note=note,
            repeat_of=rng.choice(saved) if saved and rng.random() < 0.15 else "",
            attachments=[str(path) for path, _, _ in attached],
            **{k: True for k in flags},
        )
        names = [p.name for p in listed]
        people = [(n, i == 0, n in reps) for i, n in enumerate(names)] + [(r, False, True) for r in reps if r not in names]
        content = canonical(
            form=form, petition_date=petition_date, headcount=headcount, matter_class=data.matter_class,
            content_class=content_class, title=data.title, request=data.request, facts=data.facts,
            location_code=location_code, location=location, flags=flags, decision=decision, decision_unit=unit,
            decision_reason=reason, decision_channel=channel, decision_note=note, repeat_of=data.repeat_of,
            people=people, attachments=[(path.name, size, digest) for path, size, digest in attached],
        )
        return data, content


def _announce_migration() -> None:
    """Write MIGRATING when the first CREATE runs, so the parent can aim a kill into the migration."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    said: list[bool] = []

    def hook(conn, cursor, statement, parameters, context, executemany) -> None:
        if not said and statement.lstrip()[:6].upper() == "CREATE":
            said.append(True)
            _emit("MIGRATING")

    event.listen(Engine, "before_cursor_execute", hook)


def child_main(data_dir: Path, sources_dir: Path, seed: int) -> int:
    _emit("STARTED")
    from app.services.errors import ValidationFailed

    _announce_migration()
    _emit("OPENING")
    desk = _open_ready_desk(data_dir)
    parents = {n.parent_id for n in desk.tree.nodes}
    classes = [n.path for n in desk.tree.nodes if n.id not in parents]
    sources = [(p, p.stat().st_size, file_sha256(p)) for p in sorted(sources_dir.iterdir())]
    maker = InputMaker(random.Random(seed), classes, sources)
    _emit("READY")
    saved: list[str] = []
    while True:
        data, content = maker.make(date.today(), saved[-50:])
        try:
            result = desk.registration.register(data)
        except ValidationFailed as exc:  # a bug of this script's inputs, not of the desk
            sys.stderr.write(f"input refused: {exc.errors}\n")
            return 3
        _emit(f"SAVED {result.number} {content_hash(content)}")
        saved.append(result.number)


# --- the parent: kill, check, restart ---------------------------------------------------------

@dataclass(frozen=True)
class KillPlan:
    mode: str
    markers: tuple[str, ...]  # kill `delay` s after the first of these lines (none: after the start; SAVED: the k-th)
    delay: float
    saves: int = 0


def plan_kills(rng: random.Random, kills: int, first_start: int, max_delay: float) -> list[KillPlan]:
    """The first `first_start` kills land in the migration that creates the database (about
    40 ms from its first CREATE; once a start has completed it, right after READY instead); the
    rest cycle through shuffled blocks mixing every phase (start-up, opening, mid-save …)."""
    plans = [KillPlan("first-start", ("MIGRATING", "READY"), rng.uniform(0, 0.04))
             for _ in range(min(first_start, kills))]
    block = ["mid-save", "mid-save", "mid-save", "long-run", "after-ready", "anytime", "anytime", "start-up",
             "very-short", "opening"]
    while len(plans) < kills:
        order = block[:]
        rng.shuffle(order)
        for mode in order[: kills - len(plans)]:
            if mode == "mid-save":
                plans.append(KillPlan(mode, ("SAVED",), rng.uniform(0, 0.04), rng.randint(1, 25)))
            elif mode == "long-run":
                plans.append(KillPlan(mode, ("SAVED",), rng.uniform(0, 0.04), rng.randint(40, 120)))
            elif mode == "after-ready":
                plans.append(KillPlan(mode, ("READY",), rng.uniform(0, 0.05)))
            elif mode == "opening":
                plans.append(KillPlan(mode, ("OPENING",), rng.uniform(0, 0.8)))
            elif mode == "very-short":
                plans.append(KillPlan(mode, (), rng.uniform(0, 0.05)))
            elif mode == "start-up":
                plans.append(KillPlan(mode, (), rng.uniform(0, 0.9)))
            else:
                plans.append(KillPlan(mode, (), rng.uniform(0, max_delay)))
    return plans


@dataclass
class Tally:
    saved: dict[str, str] = field(default_factory=dict)  # number -> reported hash
    lost: set[str] = field(default_factory=set)
    corrupted: set[str] = field(default_factory=set)
    integrity_failures: int = 0
    start_failures: int = 0
    kills: int = 0
    unreported: int = 0  # matters present but never reported (killed between the commit and the print)
    orphan_files: int = 0  # attachment files the database does not know (killed before commit)
    phases: dict[str, int] = field(default_factory=dict)


class Journal:
    """Reported saves: in memory (Tally.saved) and appended to a file outside the data folder."""

    def __init__(self, path: Path, tally: Tally):
        self.file = open(path, "w", encoding="utf-8")
        self.tally = tally

    def note(self, text: str) -> None:
        self.file.write(f"# {text}\n")
        self.file.flush()

    def saved(self, number: str, digest: str) -> None:
        if number in self.tally.saved:  # a number is handed out once; reported twice = a reused number
            self.tally.corrupted.add(number)
            self.note(f"{number} reported twice")
        self.tally.saved[number] = digest
        self.file.write(f"SAVED {number} {digest}\n")
        self.file.flush()


def run_child(args, plan: KillPlan, seed: int, journal: Journal, err_path: Path) -> tuple[str, float, int, int | None]:
    """Start a child, kill it as planned; returns (last marker seen, seconds alive, saves reported,
    exit status when it ended on its own or got stuck, else None)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--data-dir", str(args.data_dir),
           "--sources", str(args.sources), "--seed", str(seed)]
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, bufsize=0)
    started = time.monotonic()
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    pending = b""
    last, saves, own_exit = "START", 0, None
    kill_at = started + plan.delay if not plan.markers else None

    def take(chunk: bytes) -> None:
        nonlocal pending, last, saves, kill_at
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            word, *rest = raw.decode("utf-8").split() or [""]
            if word == "SAVED":
                journal.saved(rest[0], rest[1])
                saves += 1
            last = word
            if kill_at is None and word in plan.markers and (word != "SAVED" or saves >= plan.saves):
                kill_at = time.monotonic() + plan.delay

    eof = False
    while not eof:
        now = time.monotonic()
        deadline = kill_at if kill_at is not None else started + MARKER_TIMEOUT
        if now >= deadline:
            if kill_at is None:
                own_exit = -1  # stuck: never reached the marker
            break
        for _key, _ in sel.select(timeout=deadline - now):
            chunk = os.read(fd, 65536)
            if not chunk:
                eof = True
                break
            take(chunk)
    alive = time.monotonic() - started
    if eof:
        own_exit = proc.wait()
    else:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    while chunk := os.read(fd, 65536):  # lines written before the kill are still in the pipe
        take(chunk)
    sel.close()
    proc.stdout.close()
    return last, alive, saves, own_exit


def check_database(data_dir: Path, tally: Tally) -> str:
    """Check the data folder as the killed child left it, read-only; returns a one-line result."""
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        tally.lost.update(tally.saved)
        return "no database file yet"
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems != ["ok"] or broken:
            tally.integrity_failures += 1
            return f"INTEGRITY FAILED: {problems[:3]} {broken[:3]}"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or ("none",))[0] \
            if "alembic_version" in tables else "none"
        if "matter" not in tables or "attachment" not in tables:
            tally.lost.update(tally.saved)
            state = "half-created schema" if tables else "no schema yet"
            return f"{state} ({len(tables)} tables, revision {revision})"
        present = _stored_hashes(conn, data_dir, tally)
    finally:
        conn.close()
    missing = [n for n in tally.saved if n not in present]
    wrong = [n for n, digest in tally.saved.items() if n in present and present[n] != digest]
    tally.lost.update(missing)
    tally.corrupted.update(wrong)
    unreported = len(present) - (len(tally.saved) - len(missing))
    tally.unreported = unreported
    result = f"ok: {len(present)} matters, revision {revision}"
    if unreported:
        result += f" ({unreported} of them never reported)"
    if missing or wrong:
        result += f"; LOST {missing[:5]} CORRUPTED {wrong[:5]}"
    return result


def _stored_hashes(conn: sqlite3.Connection, data_dir: Path, tally: Tally) -> dict[str, str]:
    """number -> content hash of every stored matter, from the raw rows (read-only)."""
    numbers = dict(conn.execute("SELECT id, number FROM matter"))
    people: dict[int, list] = {}
    for mid, name, primary, rep in conn.execute(
        "SELECT matter_id, name, is_primary, is_representative FROM matter_petitioner ORDER BY matter_id, position"
    ):
        people.setdefault(mid, []).append((name, primary, rep))
    files: dict[int, list] = {}
    known: set[Path] = set()
    for mid, name, stored, size in conn.execute(
        "SELECT matter_id, original_name, stored_path, size FROM attachment ORDER BY matter_id, id"
    ):
        path = data_dir / stored
        known.add(path.resolve())
        digest = file_sha256(path) if path.is_file() else "missing"
        files.setdefault(mid, []).append((name, path.stat().st_size if path.is_file() else -1, digest))
    folder = data_dir / "attachments"
    if folder.is_dir():
        on_disk = {p.resolve() for p in folder.rglob("*") if p.is_file()}
        tally.orphan_files = max(tally.orphan_files, len(on_disk - known))
    out = {}
    for row in conn.execute(
        "SELECT id, form, petition_date, headcount, matter_class, content_class_label, title, request, facts, "
        "location_code, location, skip_level, litigation_related, major_urgent, decision, decision_unit_name, "
        "decision_reason, decision_channel, decision_note, repeat_of_id FROM matter"
    ):
        mid = row[0]
        out[numbers[mid]] = content_hash(canonical(
            form=row[1], petition_date=date.fromisoformat(row[2]), headcount=row[3], matter_class=row[4],
            content_class=row[5], title=row[6], request=row[7], facts=row[8], location_code=row[9],
            location=row[10], flags=[k for k, on in zip(FLAG_KEYS, row[11:14]) if on], decision=row[14] or "",
            decision_unit=row[15], decision_reason=row[16], decision_channel=row[17], decision_note=row[18],
            repeat_of=numbers.get(row[19], "") if row[19] else "", people=people.get(mid, []),
            attachments=files.get(mid, []),
        ))
    return out


def final_check(data_dir: Path, tally: Tally) -> str:
    """Start the desk once more (through the real services) and read every reported matter back."""
    from app.services import vocab
    from app.services.dto import MatterQuery
    from app.services.errors import NotFound

    flag_keys = {label: key for key, label in vocab.FLAG_LABELS.items()}
    desk = _open_ready_desk(data_dir)
    read = 0
    try:
        for number, digest in tally.saved.items():
            try:
                d = desk.matters.detail(number)
            except NotFound:
                tally.lost.add(number)
                continue
            read += 1
            attachments = [(a.name, a.size, file_sha256(a.path) if a.path.is_file() else "missing")
                           for a in desk.attachments.list(number)]
            content = canonical(
                form=d.row.form, petition_date=d.row.petition_date, headcount=d.row.headcount,
                matter_class=d.row.matter_class, content_class=d.row.content_class, title=d.row.title,
                request=d.request, facts=d.facts, location_code=d.location_code, location=d.location,
                flags=[flag_keys[f] for f in d.flags], decision=d.row.decision, decision_unit=d.decision_unit,
                decision_reason=d.decision_reason, decision_channel=d.decision_channel,
                decision_note=d.decision_note, repeat_of=d.repeat_of,
                people=[(p.name, p.is_primary, p.is_representative) for p in d.people], attachments=attachments,
            )
            if content_hash(content) != digest:
                tally.corrupted.add(number)
        total = desk.matters.count(MatterQuery())
    finally:
        desk.close()
    conn = sqlite3.connect(f"file:{data_dir / DB_FILENAME}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if problems != ["ok"] or broken:
        tally.integrity_failures += 1
        return f"INTEGRITY FAILED after the final start: {problems[:3]} {broken[:3]}"
    return (f"final start through the services: {total} matters listed, "
            f"{read} of the {len(tally.saved)} reported ones read back")


def parent_main(args) -> int:
    data_dir: Path = args.data_dir
    if data_dir.exists() and any(data_dir.iterdir()):
        sys.exit(f"{data_dir} is not empty: the run starts from an empty data folder")
    work = args.work_dir or data_dir.with_name(data_dir.name + "-crash")
    if work.resolve() == data_dir.resolve() or data_dir.resolve() in work.resolve().parents:
        sys.exit("the work folder (journal, attachment sources) must be outside the data folder")
    work.mkdir(parents=True, exist_ok=True)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    args.sources = work / "sources"
    shutil.rmtree(args.sources, ignore_errors=True)
    args.sources.mkdir()
    for i, name in enumerate(ATTACHMENT_NAMES):
        body = name.encode("utf-8") + rng.randbytes(rng.randint(2_000, 64_000))
        (args.sources / name).write_bytes(body)
    tally = Tally()
    journal = Journal(work / "journal.txt", tally)
    journal.note(f"seed {seed}, data folder {data_dir}")
    plans = plan_kills(rng, args.kills, args.first_start, args.max_delay)
    log = sys.stderr
    log.write(f"crash safety: {args.kills} kills, seed {seed}, data {data_dir}, journal {work / 'journal.txt'}\n")
    started = time.monotonic()
    failures_in_a_row = 0
    round_no = 0
    while tally.kills < args.kills:
        plan = plans[tally.kills]
        round_no += 1
        last, alive, saves, own_exit = run_child(args, plan, rng.randrange(1 << 30), journal, work / "child.err")
        if own_exit is not None:
            tally.start_failures += 1
            failures_in_a_row += 1
            tail = (work / "child.err").read_text(errors="replace")[-1500:]
            reason = f"got stuck before {'/'.join(plan.markers)}" if own_exit == -1 else f"exited with {own_exit}"
            log.write(f"child {round_no} {reason} after {alive:.2f} s (last line {last}):\n{tail}\n")
            journal.note(f"child {round_no} {reason}")
            if own_exit == -1:
                check_database(data_dir, tally)
            if failures_in_a_row >= 3:
                log.write("three children in a row failed: giving up\n")
                break
            continue
        failures_in_a_row = 0
        tally.kills += 1
        phase = {"START": "interpreter start", "STARTED": "imports", "OPENING": "opening the desk",
                 "MIGRATING": "migration", "READY": "first save", "SAVED": "saving"}.get(last, last)
        tally.phases[phase] = tally.phases.get(phase, 0) + 1
        result = check_database(data_dir, tally)
        line = (f"kill {tally.kills}/{args.kills} [{plan.mode}] after {alive:.3f} s during {phase}: "
                f"{saves} saves reported, {len(tally.saved)} in all; {result}")
        journal.note(line)
        log.write(line + "\n")
    if tally.kills:
        log.write(final_check(data_dir, tally) + "\n")
    elapsed = time.monotonic() - started
    log.write(f"kills by phase: {', '.join(f'{k} {v}' for k, v in sorted(tally.phases.items()))}\n")
    log.write(f"matters saved but never reported (killed between the commit and the print): {tally.unreported}; "
              f"attachment files left without a row by a kill: {tally.orphan_files}\n")
    log.write(f"duration: {elapsed:.1f} s\n")
    summary = (f"kills: {tally.kills}, saved: {len(tally.saved)}, lost: {len(tally.lost)}, "
               f"corrupted: {len(tally.corrupted)}, integrity failures: {tally.integrity_failures}")
    if tally.start_failures:
        summary += f", start failures: {tally.start_failures}"
    journal.note(summary)
    print(summary, flush=True)
    ok = not (tally.lost or tally.corrupted or tally.integrity_failures or tally.start_failures)
    return 0 if ok and tally.kills == args.kills else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--work-dir", type=Path, help="journal and attachment sources (default: DATA_DIR-crash)")
    parser.add_argument("--first-start", type=int, default=2, help="kills aimed at the creation of the database")
    parser.add_argument("--max-delay", type=float, default=1.5, help="seconds: the 'anytime' kills' upper bound")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sources", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir.absolute()
    if args.child:
        return child_main(args.data_dir, args.sources, args.seed)
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
