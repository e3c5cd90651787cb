"""The content-class tree comes from the versioned table, loaded from the bundled TSV."""
from __future__ import annotations

from sqlalchemy import text


def test_tree_has_19_top_classes_and_three_levels(desk):
    tops = [n.name for n in desk.tree.nodes if n.level == 1]
    assert len(tops) == 19
    assert "劳动和社会保障" in tops
    assert {n.level for n in desk.tree.nodes} == {1, 2, 3}


def test_typing_part_of_a_name_finds_the_leaf(desk):
    hits = [n.path for n in desk.tree.search("工资")]
    assert hits[0] == "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"


def test_scheme_is_stored_with_a_version(desk):
    with desk.engine.connect() as conn:
        versions = conn.execute(text("SELECT version, active FROM content_class_scheme")).all()
        leaves = conn.execute(text("SELECT count(*) FROM content_class WHERE level = 3")).scalar()
    assert versions == [("gdxf-19", 1)]
    assert leaves == 577


def test_resolve_rejects_unknown_and_ambiguous_labels(desk):
    assert desk.tree.resolve(["不存在"]) is None
    assert desk.tree.resolve(["房屋拆迁"]) is None  # a leaf under two different level-2 classes
    assert desk.tree.resolve(["农村农业"]).level == 1
