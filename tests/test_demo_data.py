"""The demo: the sample plan loads with every status, light, indicator and login a newcomer should see."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from luoshi.demo.load import DemoConflict, load_demo
from luoshi.demo.org import DEMO_PASSWORD, LOGINS
from luoshi.demo.timeline import Calendar, year_shift
from luoshi.indicators.models import (
    Comparator,
    ComputedFrom,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    TargetKind,
)
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.health import Light, task_health
from luoshi.plans.models import Comment, Plan, Task, TaskStatus, TaskTransition
from luoshi.plans.rollup import progress_of_plan
from luoshi.progress.models import Evidence, ProgressReport
from tests.conftest import TODAY, made_once

YI = 100_000_000


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the tests of a class on TODAY, and rolled back after them."""
    folder = tmp_path_factory.mktemp("demo")
    with made_once(django_db_blocker, folder, load_demo) as result:
        yield result, folder / "media"


@pytest.fixture
def demo(loaded, db, frozen_today, settings):
    result, media = loaded
    settings.MEDIA_ROOT = media
    return result


def lights(plan: Plan, today: dt.date = TODAY) -> set[str]:
    progress = progress_of_plan(plan.pk)
    return {
        task_health(
            status=t.status,
            start=t.start_date,
            deadline=t.deadline,
            progress=progress.get(t.pk, 0.0),
            today=today,
        ).light
        for t in Task.objects.filter(plan=plan)
    }


def targets_of(name: str) -> list[IndicatorTarget]:
    return list(IndicatorTarget.objects.filter(indicator__name=name).order_by("due_date"))


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 11, 29),
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 1),
        dt.date(2031, 2, 1),
        dt.date(2035, 12, 31),
    ],
)
def test_the_year_shift_keeps_today_in_the_middle_third_in_later_years(today):
    cal = Calendar(today)
    third = (cal.last_day - cal.first_day) / 3
    assert cal.first_day + third <= today <= cal.last_day - third


def test_loading_into_a_database_with_clashing_units_is_refused(db, frozen_today):
    Unit.objects.create(name="财政局")
    with pytest.raises(DemoConflict, match="财政局"):
        load_demo()
    assert not Plan.objects.exists()


def test_at_the_far_edge_of_a_year_shift_every_status_and_light_still_appears(db, frozen_today):
    edge = dt.date(2027, 6, 30)  # the last day before the shift moves on by a year
    frozen_today(edge)
    plan = load_demo().plan
    assert set(Task.objects.filter(plan=plan).values_list("status", flat=True)) == set(TaskStatus.values)
    assert lights(plan, edge) == set(Light.values)


def test_the_demo_command_refuses_a_production_configuration(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="LUOSHI_PRODUCTION"):
        call_command("demo", "--no-serve", stdout=io.StringIO())


def test_the_demo_command_will_not_reset_a_database_holding_other_plans(cast):
    with pytest.raises(CommandError, match="other than the demo"):
        call_command("demo", "--no-serve", "--reset", stdout=io.StringIO())
    assert Plan.objects.filter(pk=cast.plan.pk).exists()


class TestTheLoadedDemo:
    """Loaded once, on TODAY; each test sees the same demo."""

    def test_the_plan_period_is_shifted_so_today_falls_in_its_middle_third(self, demo):
        plan = demo.plan
        third = (plan.period_end - plan.period_start) / 3
        assert plan.period_start + third <= TODAY <= plan.period_end - third
        assert plan.period_start.year - 2020 == plan.period_end.year - 2025 == year_shift(TODAY)

    def test_every_task_status_appears(self, demo):
        statuses = set(Task.objects.filter(plan=demo.plan).values_list("status", flat=True))
        assert statuses == set(TaskStatus.values)

    def test_every_light_appears(self, demo):
        assert lights(demo.plan) == set(Light.values)

    def test_the_plan_has_four_goals_areas_and_liaison_tasks(self, demo):
        assert demo.plan.goals.count() == 4
        areas = Task.objects.filter(plan=demo.plan, parent=None)
        assert areas.count() >= 8 and set(areas.values_list("kind", flat=True)) == {"area"}
        assert Task.objects.filter(plan=demo.plan, kind="liaison").count() >= 5
        assert Task.objects.filter(
            plan=demo.plan, parent__parent__isnull=False
        ).exists()  # split further by units

    def test_history_is_real_transitions_and_back_dated_reports(self, demo):
        closed = Task.objects.filter(plan=demo.plan, status=TaskStatus.CLOSED).first()
        steps = list(closed.transitions.values_list("to_status", flat=True))
        assert steps[:3] == ["assigned", "acknowledged", "in_progress"] and steps[-1] == "closed"
        assert closed.closed_at.date() < TODAY
        first_report = ProgressReport.objects.filter(task__plan=demo.plan).order_by("reported_on").first()
        assert first_report.reported_on < demo.plan.period_start.replace(month=7)
        assert TaskTransition.objects.filter(at__date__gt=TODAY).count() == 0
        assert ProgressReport.objects.exclude(problems="").exists()
        assert Evidence.objects.filter(report__task__plan=demo.plan).count() >= 10
        assert Comment.objects.filter(task__plan=demo.plan).exists()

    def test_a_red_notice_was_answered_and_a_yellow_one_awaits_its_answer(self, demo):
        from luoshi.notices.models import AnswerState, SupervisionNotice

        notices = list(SupervisionNotice.objects.order_by("number"))
        assert [(n.document_number[:3], n.severity, n.answer_state(TODAY)) for n in notices] == [
            ("督办〔", "red", AnswerState.ON_TIME),
            ("督办〔", "yellow", AnswerState.WAITING),
        ]

    def test_evidence_files_are_small_text_files_on_disk(self, demo):
        evidence = Evidence.objects.first()
        text = evidence.file.read().decode("utf-8")
        assert evidence.original_name.endswith(".txt") and evidence.size == len(text.encode("utf-8"))

    def test_port_and_container_targets(self, demo):
        (port,) = targets_of("港口货物吞吐量")
        assert (port.kind, port.comparator, port.value, port.due_date.year) == (
            TargetKind.ABSOLUTE,
            Comparator.AT_LEAST,
            3 * YI,
            demo.plan.period_start.year + 2,
        )
        assert Indicator.objects.get(name="港口货物吞吐量").unit == "吨"
        containers = targets_of("集装箱吞吐量")
        assert [(t.value, t.due_date.year - demo.plan.period_start.year) for t in containers] == [
            (1_000_000, 2),
            (2_000_000, 5),
        ]

    def test_routes_double_by_2022_and_double_again_by_2025(self, demo):
        first, second = targets_of("内外贸航线数量")
        assert (first.kind, first.value, first.relative_to_target) == (TargetKind.MULTIPLE, 2, None)
        assert (second.kind, second.value, second.relative_to_target) == (TargetKind.MULTIPLE, 2, first)
        assert first.indicator.baseline_value > 0

    def test_growth_is_relative_to_the_provinces(self, demo):
        targets = targets_of("地区生产总值增速")
        assert targets and all(t.kind == TargetKind.RELATIVE and t.value == 2.5 for t in targets)
        assert {t.reference_indicator.name for t in targets} == {"全省GDP增速"}

    def test_city_targets(self, demo):
        expected = {
            "人均地区生产总值": (170_000, "元", Comparator.AT_LEAST),
            "城市聚集人口": (700_000, "人", Comparator.AT_LEAST),
            "城镇化率": (75, "%", Comparator.AT_LEAST),
            "蓝绿空间占比": (50, "%", Comparator.ABOUT),
        }
        for name, (value, unit, comparator) in expected.items():
            (target,) = targets_of(name)
            assert (target.value, target.indicator.unit, target.comparator) == (value, unit, comparator), name
            assert target.due_date == demo.plan.period_end

    def test_enterprise_targets_are_yearly_increments(self, demo):
        assert [(t.kind, t.value) for t in targets_of("高新技术企业数量")] == [(TargetKind.INCREMENT, 20)]
        assert [(t.kind, t.value) for t in targets_of("科技型中小企业数量")] == [(TargetKind.INCREMENT, 100)]

    def test_the_project_portfolio_and_railway_spurs(self, demo):
        assert [t.value for t in targets_of("亿元以上产业项目累计开工数")] == [581]
        assert [t.value for t in targets_of("亿元以上产业项目累计完成投资")] == [2447 * YI]
        (spurs,) = targets_of("铁路专用线当年开工数")
        assert (spurs.value, spurs.due_date) == (8, demo.plan.period_start.replace(month=12, day=31))
        assert spurs.indicator.computed_from == ComputedFrom.PROJECT_STARTS  # counted from the projects below
        assert spurs.indicator.task.projects.count() == 8
        spur_projects = demo.plan.projects.filter(name__endswith="铁路专用线")
        assert spur_projects.count() == 8
        assert demo.plan.projects.count() >= 30
        for name in ("中海油300万吨油砂加工项目", "北矿装备制造园", "美国嘉吉二期"):
            project = demo.plan.projects.get(name=name)
            assert project.stages.exists() and project.years.exists() and project.tasks.exists()

    def test_actuals_stop_before_today(self, demo):
        assert IndicatorActual.objects.filter(period_end__gte=TODAY).count() == 0
        assert IndicatorActual.objects.filter(indicator__name="港口货物吞吐量").count() >= 8

    def test_units_have_aliases_sections_leaders_and_people(self, demo):
        assert Unit.objects.get(name="港口和航运管理局").alias_list()[:2] == ["港航局", "港口办"]
        assert Unit.objects.filter(kind="section").count() >= 5
        for kind in ("sub_park", "command_post", "task_force", "external"):
            assert Unit.objects.filter(kind=kind).exists(), kind
        caizheng = Unit.objects.get(name="财政局")
        assert caizheng.supervising_leader.username == "leader" and caizheng.head.username == "manager"

    @pytest.mark.parametrize("username", [username for username, *_ in LOGINS])
    def test_each_demo_user_can_log_in(self, demo, username):
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
        assert client.get("/", follow=True).status_code == 200

    def test_there_is_one_demo_login_per_role(self, demo):
        assert {login.role for login in demo.logins} == {str(role.label) for role in Role}

    def test_loading_twice_does_not_duplicate(self, demo):
        counts = (
            Task.objects.count(),
            ProgressReport.objects.count(),
            Person.objects.count(),
            Unit.objects.count(),
        )
        again = load_demo()
        assert not again.created and again.plan == demo.plan
        assert (
            Task.objects.count(),
            ProgressReport.objects.count(),
            Person.objects.count(),
            Unit.objects.count(),
        ) == counts

    def test_the_demo_command_prints_the_address_and_a_login_per_role(self, demo):
        out = io.StringIO()
        call_command("demo", "--no-serve", "--port", "8123", stdout=out)
        printed = out.getvalue()
        assert (
            "already loaded" in printed and "http://127.0.0.1:8123/" in printed and DEMO_PASSWORD in printed
        )
        for username, *_ in LOGINS:
            assert username in printed

    def test_loading_puts_djangos_clock_back(self, demo):
        assert abs((timezone.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 60
