"""The one search box and the visitor-history lookup."""
from __future__ import annotations

from app.services.dto import MatterQuery
from app.services.registration import PetitionerInput

from factories import VALID_ID, make_input

OTHER_ID = "11010519491231002X"


def _seed(desk):
    a = desk.registration.register(make_input(title="讨要拖欠工资")).number
    b = desk.registration.register(
        make_input(
            petitioner=PetitionerInput(name="李四", id_number=OTHER_ID, phone="010-62345678"),
            title="宅基地纠纷",
            request="邻居占用宅基地，请求确权",
            content_class=["农村农业", "农村宅基地", "宅基地纠纷"],
        )
    ).number
    return a, b


def numbers(desk, text: str) -> set[str]:
    return {r.number for r in desk.matters.page(MatterQuery(text=text))}


def test_search_by_each_key(desk):
    a, b = _seed(desk)
    assert numbers(desk, "张三") == {a}
    assert numbers(desk, "zs") == {a}
    assert numbers(desk, "ZS") == {a}
    assert numbers(desk, "ls") == {b}
    assert numbers(desk, VALID_ID) == {a}
    assert numbers(desk, OTHER_ID.lower()) == {b}
    assert numbers(desk, "138 1234 5678") == {a}
    assert numbers(desk, "01062345678") == {b}
    assert numbers(desk, "宅基地") == {b}
    assert numbers(desk, "确权") == {b}
    assert numbers(desk, a) == {a}
    assert numbers(desk, "360426-") == {a, b}
    assert numbers(desk, "王五") == set()


def test_search_treats_like_wildcards_literally(desk):
    _seed(desk)
    assert numbers(desk, "%") == set()
    assert numbers(desk, "_") == set()


def test_filters_combine_with_search(desk):
    a, b = _seed(desk)
    assert {r.number for r in desk.matters.page(MatterQuery(content_class_top="农村农业"))} == {b}
    assert {r.number for r in desk.matters.page(MatterQuery(status="已受理", text="张"))} == {a}
    assert desk.matters.count(MatterQuery(form="来信")) == 0


def test_sorting_and_paging(desk):
    for i in range(5):
        desk.registration.register(make_input(title=f"事项{i}"))
    q = MatterQuery(sort_key="title", descending=False)
    titles = [r.title for r in desk.matters.page(q, offset=1, limit=2)]
    assert titles == ["事项1", "事项2"]


def test_history_by_id_phone_and_name(desk):
    a, b = _seed(desk)
    assert [h.number for h in desk.matters.history(id_number=VALID_ID)] == [a]
    assert desk.matters.history(id_number=VALID_ID)[0].matched_by == "证件号码"
    assert [h.number for h in desk.matters.history(phone="010 6234 5678")] == [b]
    assert [h.matched_by for h in desk.matters.history(name="李四")] == ["姓名"]
    assert desk.matters.history(name="无此人") == []
    both = desk.matters.history(id_number=VALID_ID, name="李四")
    assert {h.number for h in both} == {a, b}
