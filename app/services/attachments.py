"""Files kept with a matter: a letter's scan or photo, copied into the data directory.

A file is copied to `<data dir>/attachments/<matter number>/<NN>-<sha256[:12]><ext>` (written
under a temporary name, fsynced, then renamed into place) and recorded as an `Attachment` row
plus an `attachment_added` event, all in the transaction that registers or changes the matter.
When anything fails, the files copied by that call are removed again, so the data directory
never keeps a file the database does not know about. Only the event (name, sha256, size) is
synced to the county; the file contents stay at the desk.
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.models import Attachment, Matter

from .errors import FieldError, NotFound, ValidationFailed
from .events import append_event
from .security.guard import Guard
from .security.permissions import HANDLE, VIEW

logger = logging.getLogger(__name__)

ATTACHMENTS_DIR = "attachments"
ALLOWED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf")
MAX_SIZE_MB = 20
MAX_SIZE = MAX_SIZE_MB * 1024 * 1024
EVENT_KIND = "attachment_added"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class AttachmentView:
    id: int
    name: str
    size: int
    added_at: datetime
    path: Path  # absolute


def field_key(index: int) -> str:
    return f"attachments[{index}]"


def check_attachment_paths(paths: Sequence[str | os.PathLike]) -> list[FieldError]:
    """One message per unusable file (missing, not a readable regular file, empty, too big,
    not an image or PDF), bound to `attachments[i]`. Needs no data directory."""
    errors: list[FieldError] = []
    seen: set[Path] = set()
    for i, raw in enumerate(paths):
        message = _problem(raw, seen)
        if message:
            errors.append(FieldError(field_key(i), message))
    return errors


def _problem(raw: str | os.PathLike, seen: set[Path]) -> str | None:
    text = os.fspath(raw) if isinstance(raw, (str, os.PathLike)) else ""
    if not text.strip():
        return "附件的文件路径为空，请重新添加"
    path = Path(text)
    name = path.name or text
    try:
        info = path.stat()
    except FileNotFoundError:
        return f"找不到文件“{name}”（可能已被移动或删除），请重新添加"
    except OSError:
        return f"无法读取文件“{name}”，请检查文件是否可以打开"
    except ValueError:  # a NUL or an unencodable character: no file can have this name
        return "附件的文件路径中有无效字符，请重新添加"
    if not stat.S_ISREG(info.st_mode):
        return f"“{name}”不是文件，请选择信件的扫描件或照片"
    if path.suffix.lower() not in ALLOWED_EXTENSIONS:
        return f"文件“{name}”不是图片或PDF，请扫描或拍照后添加"
    if info.st_size == 0:
        return f"文件“{name}”是空文件，请重新扫描或拍照"
    if info.st_size > MAX_SIZE:
        return (
            f"文件“{name}”有{info.st_size / (1024 * 1024):.1f} MB，超过{MAX_SIZE_MB} MB的上限，"
            "请降低扫描分辨率或压缩后再添加"
        )
    try:
        with open(path, "rb"):
            pass
    except OSError:
        return f"无法读取文件“{name}”（没有权限或被其他程序占用）"
    resolved = path.resolve()
    if resolved in seen:
        return f"文件“{name}”重复添加"
    seen.add(resolved)
    return None


def remove_files(paths: Iterable[Path]) -> None:
    """Best-effort removal of files copied by a call that then failed."""
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            logger.warning("could not remove attachment file %s", path, exc_info=True)


class AttachmentService:
    """Adding to a registered matter is handling it; listing and opening need 查看信访件.
    (`add_in` runs inside a registration, which has checked its own permission.)"""

    def __init__(self, engine: Engine, data_dir: Path, guard: Guard):
        self.engine = engine
        self.data_dir = Path(data_dir)
        self._guard = guard

    def check(self, paths: Sequence[str | os.PathLike]) -> list[FieldError]:
        return check_attachment_paths(paths)

    def add_in(
        self,
        session: Session,
        matter: Matter,
        paths: Sequence[str | os.PathLike],
        actor: str,
        now: datetime,
    ) -> list[Path]:
        """Copy `paths` for `matter` (already flushed) inside the caller's transaction.

        Returns the files written (absolute), so a caller whose transaction fails later can
        remove them (`remove_files`). If this call fails, its own files are removed and the
        exception propagates: the caller's transaction then rolls back.
        """
        target_dir = self.data_dir / ATTACHMENTS_DIR / matter.number
        first = 1 + (session.scalar(select(func.count(Attachment.id)).where(Attachment.matter_id == matter.id)) or 0)
        written: list[Path] = []
        try:
            for offset, raw in enumerate(paths):
                source = Path(os.fspath(raw))
                stored, digest, size, created = _copy_into(source, target_dir, first + offset)
                if created:
                    written.append(stored)
                session.add(
                    Attachment(
                        matter_id=matter.id,
                        original_name=source.name,
                        stored_path=stored.relative_to(self.data_dir).as_posix(),
                        sha256=digest,
                        size=size,
                        added_at=now,
                        added_by=actor,
                    )
                )
                append_event(
                    session,
                    station_code=matter.station_code,
                    matter_id=matter.id,
                    kind=EVENT_KIND,
                    payload={"name": source.name, "sha256": digest, "size": size},
                    actor=actor,
                    at=now,
                )
            session.flush()
        except BaseException:
            remove_files(written)
            raise
        return written

    def add(
        self, number: str, paths: Sequence[str | os.PathLike], actor: str = "", now: datetime | None = None
    ) -> list[AttachmentView]:
        """Attach files to an existing matter, in a transaction of its own."""
        actor = actor or self._guard.require(HANDLE).name
        self._guard.require(HANDLE)
        now = now or datetime.now().replace(microsecond=0)
        paths = list(paths)
        if not paths:
            raise ValidationFailed([FieldError("attachments", "请选择要添加的附件")])
        errors = check_attachment_paths(paths)
        if errors:
            raise ValidationFailed(errors)
        with discard_on_failure() as copied, Session(self.engine) as s, s.begin():
            matter = s.scalar(select(Matter).where(Matter.number == number))
            if matter is None:
                raise NotFound(f"未找到信访件“{number}”")
            before = set(s.scalars(select(Attachment.id).where(Attachment.matter_id == matter.id)))
            copied.extend(self.add_in(s, matter, paths, actor, now))
            rows = s.scalars(
                select(Attachment)
                .where(Attachment.matter_id == matter.id, Attachment.id.not_in(before))
                .order_by(Attachment.id)
            ).all()
            added = [self._view(r) for r in rows]
        return added

    def list(self, number: str) -> list[AttachmentView]:
        """The matter's attachments in the order they were added (NotFound for an unknown number)."""
        self._guard.require(VIEW)
        with Session(self.engine) as s:
            matter_id = s.scalar(select(Matter.id).where(Matter.number == number))
            if matter_id is None:
                raise NotFound(f"未找到信访件“{number}”")
            rows = s.scalars(select(Attachment).where(Attachment.matter_id == matter_id).order_by(Attachment.id))
            return [self._view(r) for r in rows]

    def open_path(self, attachment_id: int) -> Path:
        """The stored file of one attachment, to open with the system viewer."""
        self._guard.require(VIEW)
        with Session(self.engine) as s:
            row = s.get(Attachment, attachment_id)
            if row is None:
                raise NotFound("未找到该附件")
            path = self._absolute(row.stored_path)
            name = row.original_name
        if not path.is_file():
            raise NotFound(f"附件“{name}”的文件已不在数据目录中（{path}）")
        return path

    def _absolute(self, stored_path: str) -> Path:
        return (self.data_dir / stored_path).absolute()

    def _view(self, row: Attachment) -> AttachmentView:
        return AttachmentView(row.id, row.original_name, row.size, row.added_at, self._absolute(row.stored_path))


def _copy_into(source: Path, target_dir: Path, index: int) -> tuple[Path, str, int, bool]:
    """Copy `source` to `target_dir/<NN>-<sha12><ext>`: hash while writing a temporary file,
    fsync it, then rename it into place. Returns (path, sha256, size, whether it is new)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f".{index:02d}-{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with open(source, "rb") as src, open(tmp, "xb") as out:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        hexdigest = digest.hexdigest()
        final = target_dir / f"{index:02d}-{hexdigest[:12]}{source.suffix.lower()}"
        # The name carries the content hash: an existing file of that name has the same bytes
        # (a leftover of an interrupted run, or a concurrent add), so replacing it is harmless.
        created = not final.exists()
        os.replace(tmp, final)
    except BaseException:
        remove_files([tmp])
        raise
    _fsync_dir(target_dir)
    return final, hexdigest, size, created


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a directory, and needs no such step."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def discard_on_failure() -> Iterator[list[Path]]:
    """Wrap a transaction that copies files: collect the copied paths in the yielded list; if the
    block (its commit included, so open this outside the session) fails, they are removed."""
    files: list[Path] = []
    try:
        yield files
    except BaseException:
        remove_files(files)
        raise
