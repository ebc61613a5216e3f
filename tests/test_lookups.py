"""`field__any_of=ids` (luoshi.core.lookups): a long list of ids as one parameter, with the same rows
as `__in`, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from luoshi.plans.models import Milestone, Task
from tests.cast import make_task


def test_any_of_finds_the_same_rows_as_in(cast):
    extra = [make_task(cast.plan, f"任务{i}", cast.caizheng, cast.key) for i in range(30)]
    every = list(Task.objects.values_list("pk", flat=True))
    wanted = [t.pk for t in extra[::3]] + [cast.key.pk, 10**12]  # one id that is not there
    assert sorted(Task.objects.filter(pk__any_of=wanted).values_list("pk", flat=True)) == sorted(
        Task.objects.filter(pk__in=wanted).values_list("pk", flat=True)
    )
    assert Task.objects.filter(pk__any_of=every).count() == len(every)
    # a foreign key, a set, and a lookup across a relation
    parents = {cast.key.pk, cast.area.pk}
    assert sorted(Task.objects.filter(parent_id__any_of=parents).values_list("pk", flat=True)) == sorted(
        Task.objects.filter(parent_id__in=parents).values_list("pk", flat=True)
    )
    assert list(Milestone.objects.filter(task__plan_id__any_of=[cast.plan.pk])) == list(
        Milestone.objects.filter(task__plan_id__in=[cast.plan.pk])
    )


def test_any_of_an_empty_list_finds_nothing(cast):
    assert not Task.objects.filter(pk__any_of=[]).exists()


def test_any_of_sends_the_list_as_one_parameter(cast):
    sent = []

    def capture(execute, sql, params, many, context):
        sent.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert Task.objects.filter(pk__any_of=[cast.key.pk] * 500).count() == 1
        assert Task.objects.filter(pk__in=[cast.key.pk, cast.area.pk, cast.measure.pk]).count() == 3
    assert [len(params) for params in sent] == [1, 3]  # `__in`: one parameter per id


def test_any_of_takes_integer_ids_only(cast):
    with pytest.raises(TypeError):
        Task.objects.filter(pk__any_of=str(cast.key.pk))
    with pytest.raises(ValueError):
        list(Task.objects.filter(pk__any_of=["第一"]))
