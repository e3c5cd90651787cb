"""`python -m app --self-test`: check that this installation works, end to end, on throw-away data.

In a temporary folder (never the user's data folder, whatever --data-dir or XFDESK_DATA_DIR say):
create and migrate a database, create the first administrator with a random password, set up a
station, register one matter, read it back and render its receipt slip as PDF. Each step prints
one line (自检：迁移数据库…通过); the last line is 自检通过 and the exit status 0. The first step that
fails prints 失败, then the step and the error (and the traceback on stderr), and the exit status
is 1. The temporary folder is removed afterwards.

Plain Python: imports no Qt, so it runs with no display (an installer's check, a CI runner).
Receipt fonts are found exactly as `python -m app receipt` finds them (`cli._use_converted_font`),
with the temporary folder as the cache of a converted font.
"""
from __future__ import annotations

import secrets
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FAIL = 0, 1

ADMIN_NAME = "自检管理员"
STATION_CODE = "ZJ000001"
STATION_NAME = "自检接待站"


class SelfTestFailed(Exception):
    """A check found a wrong result (rather than an error raised by the app)."""


def _describe(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)  # ValidationFailed: one Chinese message per field
    if isinstance(errors, list) and errors and all(hasattr(e, "message") for e in errors):
        return "；".join(f"{getattr(e, 'field', '')}：{e.message}" for e in errors)
    if isinstance(exc, SelfTestFailed):
        return str(exc)
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _random_password() -> str:
    # at least 8 characters with letters and digits (the operators' password rule)
    return f"zj{secrets.token_hex(12)}9"


def _registration_input():
    from .services.registration import PetitionerInput, RegistrationInput

    return RegistrationInput(
        form="走访",
        petitioners=[PetitionerInput(
            name="张三", id_type="居民身份证", id_number="360426199101010071", phone="13812345678",
            address="德安县蒲亭镇",
        )],
        headcount=1,
        matter_class="申诉求决",
        content_class=["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
        title="讨要拖欠工资（自检）",
        request="请求责令某建筑公司支付拖欠的工资三万元",
        decision="受理告知",
    )


class _Run:
    """The state the steps share: the temporary folder, the services, the matter number."""

    def __init__(self, root: Path, out: Callable[[str], None]):
        self.root = root
        self.data_dir = root / "data"
        self.out = out
        self.services: Any = None
        self.number = ""
        self.pdf_size = 0

    def migrate(self) -> None:
        from .schema import HEAD_REVISION
        from .services.context import DeskServices

        self.services = DeskServices.open(self.data_dir)
        with closing(sqlite3.connect(self.data_dir / "xfdesk.sqlite3")) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != HEAD_REVISION:
            raise SelfTestFailed(f"数据库版本为 {row[0] if row else '（空）'}，应为 {HEAD_REVISION}")

    def create_admin(self) -> None:
        result = self.services.operators.setup_first_admin(ADMIN_NAME, _random_password())
        if not result.recovery_code:
            raise SelfTestFailed("没有生成恢复码")
        if self.services.guard.current is None:
            raise SelfTestFailed("管理员创建后未登录")

    def init_station(self) -> None:
        info = self.services.stations.initialise(STATION_CODE, STATION_NAME, "县")
        if info.code != STATION_CODE:
            raise SelfTestFailed(f"接待站代码为 {info.code}，应为 {STATION_CODE}")

    def register(self) -> None:
        result = self.services.registration.register(_registration_input())
        if not result.number.startswith(STATION_CODE + "-"):
            raise SelfTestFailed(f"编号 {result.number} 不以接待站代码开头")
        self.number = result.number

    def read_back(self) -> None:
        row = self.services.matters.detail(self.number).row
        if row.number != self.number or "张三" not in row.petitioner_names:
            raise SelfTestFailed(f"读回的信访件不符：{row.number} {row.petitioner_names}")

    def receipt(self) -> None:
        from .cli import _use_converted_font
        from .receipts.content import KIND_SLIP
        from .receipts.render import check_glyphs, render

        content = self.services.documents.content(self.number, KIND_SLIP)
        _use_converted_font(self.root / "fonts")
        missing = "".join(dict.fromkeys(ch for _label, ch in check_glyphs(content)))
        pdf = render(content)
        if not pdf or not pdf.startswith(b"%PDF"):
            raise SelfTestFailed(f"回执不是 PDF 文件（{len(pdf)} 字节）")
        (self.root / "receipt.pdf").write_bytes(pdf)
        self.pdf_size = len(pdf)
        if missing:  # the slip is made, but these would print blank: say so, do not fail
            self.out(f"提示：本机字体缺少字符“{missing}”的字形，回执上会是空白，请安装中文字体")

    def close(self) -> None:
        if self.services is not None:
            self.services.close()  # release the file before the folder is removed (Windows)
            self.services = None


def run(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step, report on `out` (default stdout) and `err` (default stderr); 0 or 1."""
    from .receipts.fonts import extra_font_files, set_extra_font_files
    from .version import version_line

    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr

    def write(stream: TextIO | None, text: str, end: str = "\n") -> None:
        if stream is None:  # a windowed executable has no console
            return
        stream.write(text + end)
        stream.flush()

    started = time.perf_counter()
    write(out, f"{version_line()} 自检（临时数据目录，不读写本机数据）")
    fonts = extra_font_files()  # a converted font in the temporary folder must not outlive it
    with tempfile.TemporaryDirectory(prefix="xfdesk-self-test-", ignore_cleanup_errors=True) as tmp:
        state = _Run(Path(tmp), lambda text: write(out, text))
        steps: list[tuple[str, Callable[[], None]]] = [
            ("迁移数据库", state.migrate),
            ("创建管理员", state.create_admin),
            ("初始化接待站", state.init_station),
            ("登记信访件", state.register),
            ("读取信访件", state.read_back),
            ("生成回执 PDF", state.receipt),
        ]
        try:
            for label, step in steps:
                write(out, f"自检：{label}…", end="")
                try:
                    step()
                except Exception as exc:
                    write(out, "失败")
                    write(out, f"自检失败：{label}：{_describe(exc)}")
                    write(err, "".join(traceback.format_exception(exc)).rstrip())
                    return EXIT_FAIL
                detail = {"登记信访件": f"（{state.number}）", "生成回执 PDF": f"（{state.pdf_size} 字节）"}.get(label, "")
                write(out, f"通过{detail}")
        finally:
            state.close()
            set_extra_font_files(fonts)
    write(out, f"自检通过（用时 {time.perf_counter() - started:.1f} 秒）")
    return EXIT_OK
