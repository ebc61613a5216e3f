"""Every computed figure printed by a `luoshi` command, as JSON or a table, from the same code."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget, TargetKind
from luoshi.plans.models import Milestone
from luoshi.projects.models import Project, ProjectStage, Stage
from luoshi.schedule import workdays
from tests.cast import make_task

D = dt.date


@pytest.fixture(autouse=True)
def _calendar_without_office_entries():
    workdays.use_office_entries()
    yield
    workdays.use_office_entries()


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_holidays_import_and_show_round_trip_a_year(db, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(
        "年份,2027\n通知,示例通知\n放假,元旦,2027-01-01,2027-01-03\n上班,元旦,2027-01-09\n", encoding="utf-8"
    )
    assert "已录入 2027 年节假日安排：放假 1 段，调休上班 1 天" in run("holidays", "import", str(notice))
    shown = json.loads(run("holidays", "show", "2027", "--format", "json"))
    assert shown["source"] == "office" and shown["notice"] == "示例通知"
    assert shown["lines"][1] == {
        "kind": "work",
        "name": "元旦",
        "first_day": "2027-01-09",
        "last_day": "2027-01-09",
    }
    assert (
        shown["working_days"] == 261 - 1 + 1
    )  # 261 weekdays in 2027, less 1 January, plus Saturday 9 January


def test_holidays_show_prints_a_package_year_as_an_importable_file(db):
    table = run("holidays", "show", "2025")
    assert "来源：chinese-calendar 软件包；全年工作日 248 天" in table
    assert "放假,国庆节、中秋,2025-10-01,2025-10-08" in table


def test_holidays_show_and_import_fail_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="2028 年的节假日安排尚未录入"):
        run("holidays", "show", "2028")
    bad = tmp_path / "bad.txt"
    bad.write_text("年份,2027\n放假,元旦,2027-1-x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        run("holidays", "import", str(bad))


@pytest.fixture
def request_task(cast):
    """A task due 17 October 2025 with three milestones in a row across National Day."""
    task = make_task(
        cast.plan, "报送请示", cast.caizheng, cast.key, start=D(2025, 9, 1), deadline=D(2025, 10, 17)
    )
    previous = None
    for title, days in (("起草请示", 5), ("征求意见", 4), ("报送省财政厅", 2)):
        milestone = Milestone.objects.create(
            task=task, title=title, due_date=D(2025, 10, 17), duration_days=days
        )
        if previous:
            milestone.depends_on.add(previous)
        previous = milestone
    return task


def test_schedule_prints_latest_dates_and_the_critical_path_as_json(request_task):
    data = json.loads(run("schedule", str(request_task.pk), "--format", "json", "--today", "2025-09-22"))
    assert data["feasible"] is True
    milestones = {m["name"]: m for m in data["schedule"]["milestones"]}
    assert milestones["起草请示"]["latest_start"] == "2025-09-28"
    assert milestones["征求意见"]["latest_start"] == "2025-10-11"
    assert len(data["schedule"]["critical_path"]) == 3
    assert data["schedule"]["slack"] == 5


def test_schedule_prints_the_same_figures_as_a_table(request_task):
    table = run("schedule", str(request_task.pk), "--today", "2025-10-09")
    assert "关键路径：起草请示 → 征求意见 → 报送省财政厅" in table
    assert "2025-09-28" in table and "2025-10-11" in table
    assert "⚠ “起草请示”最迟应于 2025-09-28 开始，已过期" in table


def test_schedule_fails_clearly_for_a_year_without_holidays_and_estimates_on_request(cast):
    task = make_task(cast.plan, "2027年任务", cast.caizheng, cast.key, deadline=D(2027, 3, 31))
    Milestone.objects.create(task=task, title="完成", due_date=D(2027, 3, 31), duration_days=3)
    with pytest.raises(CommandError, match="2027 年的节假日安排尚未录入"):
        run("schedule", str(task.pk))
    data = json.loads(run("schedule", str(task.pk), "--estimate", "--format", "json"))
    assert data["schedule"]["estimated"] is True
    with pytest.raises(CommandError, match="没有编号为 999999 的任务"):
        run("schedule", "999999")


def test_schedule_reports_a_dependency_cycle(request_task):
    first, last = request_task.milestones.order_by("id")[0], request_task.milestones.order_by("-id")[0]
    first.depends_on.add(last)
    with pytest.raises(CommandError, match="循环依赖：起草请示 → 征求意见 → 报送省财政厅 → 起草请示"):
        run("schedule", str(request_task.pk))


@pytest.fixture
def containers(cast):
    indicator = Indicator.objects.create(
        plan=cast.plan,
        owner_unit=cast.jingfa,
        name="集装箱吞吐量",
        unit="标箱",
        baseline_value=1_000_000,
        baseline_date=D(2020, 12, 31),
    )
    IndicatorTarget.objects.create(
        indicator=indicator, due_date=D(2025, 12, 31), kind=TargetKind.MULTIPLE, value=2
    )
    for year, value in ((2021, 1_250_000), (2022, 1_500_000)):
        IndicatorActual.objects.create(indicator=indicator, period_end=D(year, 12, 31), value=value)
    return indicator


def test_indicator_prints_trajectory_status_and_forecast_as_json(containers):
    data = json.loads(run("indicator", str(containers.pk), "--format", "json"))
    assert data["targets"][0]["absolute"] == 2_000_000
    assert [p["expected"] for p in data["trajectory"]] == [
        1_200_000,
        1_400_000,
        1_600_000,
        1_800_000,
        2_000_000,
    ]
    assert data["status"]["light"] == "green"  # 1.5 million against 1.4 expected in 2022
    assert data["forecasts"][0]["verdict"] == "will_meet"
    assert data["forecasts"][0]["value"] == pytest.approx(2_250_000)


def test_indicator_without_an_id_lists_every_indicator_as_tables(containers):
    table = run("indicator")
    assert f"[{containers.pk}] 集装箱吞吐量（标箱）" in table
    assert "达到序时" in table and "预计完成" in table
    with pytest.raises(CommandError, match="没有编号为 999999 的指标"):
        run("indicator", "999999")


def test_portfolio_prints_rollups_as_json_and_as_a_table(cast):
    project = Project.objects.create(
        plan=cast.plan,
        name="铁路专用线",
        owner_unit=cast.jingfa,
        industry="铁路专用线",
        total_investment=Decimal("12345.50"),
    )
    ProjectStage.objects.create(
        project=project, stage=Stage.START, planned_date=D(2020, 6, 30), actual_date=D(2020, 6, 1)
    )
    data = json.loads(run("portfolio", "--format", "json"))
    assert data["total"]["total_investment"] == 12345.5
    assert data["by_unit"][0]["key"] == "经发局" and data["by_unit"][0]["started_on_time"] == 1
    assert data["by_year"][0] == {
        "year": 2020,
        "planned_investment": 0,
        "completed_investment": 0,
        "planned_starts": 1,
        "started": 1,
        "started_on_time": 1,
    }
    table = run("portfolio")
    assert "12,345.50" in table and "经发局" in table
