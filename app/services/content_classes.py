"""The content-classification tree: loaded from a versioned TSV into the database, then read back.

The tree is data (the county may ship a newer version), so nothing here lists classes in code.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import ContentClass, ContentClassScheme
from app.resources import resource_path

SEPARATOR = " / "
DEFAULT_SCHEME_VERSION = "gdxf-19"
DEFAULT_SCHEME_TITLE = "信访事项内容分类（19类）"
DEFAULT_SCHEME_FILE = ("content_classes", "gdxf.tsv")


@dataclass(frozen=True)
class ClassNode:
    id: int
    level: int
    name: str
    path: str
    parent_id: int | None

    @property
    def labels(self) -> list[str]:
        return self.path.split(SEPARATOR)

    @property
    def top(self) -> str:
        return self.labels[0]


def read_tsv(path: Path) -> list[tuple[str, str, str]]:
    """Rows of (level-1, level-2, level-3) labels; the first line is a header."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader, None)
        return [tuple(c.strip() for c in row[:3]) for row in reader if len(row) >= 3 and row[0].strip()]


def load_scheme(session: Session, version: str, title: str, rows: list[tuple[str, str, str]]) -> int:
    """Insert a scheme and its nodes, make it the active one, return its id."""
    for old in session.scalars(select(ContentClassScheme).where(ContentClassScheme.active)):
        old.active = False
    scheme = ContentClassScheme(version=version, title=title, active=True, loaded_at=datetime.now())
    session.add(scheme)
    session.flush()
    ids: dict[str, int] = {}
    order = 0
    for row in rows:
        parent_id = None
        for level, name in enumerate(row, start=1):
            if not name:
                break
            path = SEPARATOR.join(row[:level])
            if path not in ids:
                order += 1
                node = ContentClass(
                    scheme_id=scheme.id, parent_id=parent_id, level=level, name=name, path=path, sort_order=order
                )
                session.add(node)
                session.flush()
                ids[path] = node.id
            parent_id = ids[path]
    return scheme.id


def ensure_default_scheme(session: Session) -> None:
    """Load the bundled tree when the database has none yet."""
    if session.scalar(select(ContentClassScheme.id).limit(1)) is not None:
        return
    rows = read_tsv(resource_path(*DEFAULT_SCHEME_FILE))
    load_scheme(session, DEFAULT_SCHEME_VERSION, DEFAULT_SCHEME_TITLE, rows)


class ContentClassTree:
    """The active tree held in memory (a few hundred nodes), for pickers and validation."""

    def __init__(self, nodes: list[ClassNode]):
        self.nodes = nodes
        self._by_path = {n.path: n for n in nodes}
        self._by_id = {n.id: n for n in nodes}

    @classmethod
    def load(cls, engine: Engine) -> ContentClassTree:
        with Session(engine) as s:
            scheme_id = s.scalar(select(ContentClassScheme.id).where(ContentClassScheme.active))
            rows = s.execute(
                select(ContentClass.id, ContentClass.level, ContentClass.name, ContentClass.path, ContentClass.parent_id)
                .where(ContentClass.scheme_id == scheme_id)
                .order_by(ContentClass.sort_order)
            ).all()
        return cls([ClassNode(*r) for r in rows])

    def by_id(self, node_id: int) -> ClassNode | None:
        return self._by_id.get(node_id)

    def by_path(self, path: str) -> ClassNode | None:
        return self._by_path.get(path)

    def children(self, parent_id: int | None) -> list[ClassNode]:
        return [n for n in self.nodes if n.parent_id == parent_id]

    def resolve(self, labels: list[str]) -> ClassNode | None:
        """The node for a label path from the root; else the single node whose own name matches the last label."""
        labels = [lab.strip() for lab in labels if lab and lab.strip()]
        if not labels or len(labels) > 3:
            return None
        node = self._by_path.get(SEPARATOR.join(labels))
        if node is not None:
            return node
        tail = [n for n in self.nodes if n.name == labels[-1] and n.path.endswith(SEPARATOR.join(labels))]
        return tail[0] if len(tail) == 1 else None

    def search(self, text: str, limit: int = 50) -> list[ClassNode]:
        """Nodes whose path contains `text` (typing 工资 finds 拖欠农民工工资), leaves first by depth."""
        text = text.strip()
        if not text:
            return []
        hits = [n for n in self.nodes if text in n.path]
        hits.sort(key=lambda n: (text not in n.name, -n.level, n.path))
        return hits[:limit]


def split_labels(value: str | list[str]) -> list[str]:
    """Accept a list of labels or one string joined by '/', '›', '>' or '、'."""
    if isinstance(value, list):
        return [str(v) for v in value]
    for sep in ("›", ">", "／", "、"):
        value = value.replace(sep, "/")
    return [p for p in (part.strip() for part in value.split("/")) if p]
