"""An import must not harm a live plan: it goes where the office puts it (a new plan by default), creates only
units given a part, joins an existing indicator only when picked, and can be undone while its tasks are drafts."""

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from luoshi.documents.actions import NewPlan, Selection, accept_proposal, propose, undo_import
from luoshi.documents.extract.reading import read_bytes
from luoshi.documents.matches import conflict_of
from luoshi.documents.models import ImportDraft
from luoshi.documents.proposal import Target
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.orgs.models import Unit
from luoshi.plans.actions import assign_task
from luoshi.plans.models import Plan, Task, TaskStatus
from tests.cast import make_person, make_task
from tests.test_text_import import SEED, SHORT, draft_of, review_post


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


MENTIONED_ONLY = ["党中央", "省委", "省政府", "市委", "交通部"]


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def live_state(cast) -> tuple:
    """The live plan as its units see it: its tasks, its indicators and their targets."""
    return (
        set(
            Task.objects.filter(plan=cast.plan).values_list("pk", "title", "parent_id", "status", "deadline")
        ),
        set(Indicator.objects.filter(plan=cast.plan).values_list("pk", "name")),
        set(
            IndicatorTarget.objects.filter(indicator__plan=cast.plan).values_list(
                "pk", "indicator_id", "due_date", "value"
            )
        ),
    )


def review_defaults(page: str, draft: ImportDraft) -> dict:
    """What the review page posts when the office changes nothing: its pre-filled fields and ticks."""
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked', page)
    }
    data |= {
        name: value
        for name, value in re.findall(r'<input name="(new_title|[a-z]+-\d+-[a-z]+)" value="([^"]*)"', page)
    }
    data |= {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    data |= {
        name: value for name, value in re.findall(r'name="(period_start|period_end)" value="([^"]*)"', page)
    }
    for name in ("owner_unit", *(f"targets-{index}-join" for index in range(len(draft.proposal["targets"])))):
        found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
        if found:
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', found.group(1))
            data[name] = chosen.group(1) if chosen else ""
    return data


def test_the_review_page_defaults_to_a_new_plan_named_after_the_document_and_leaves_the_live_plan_alone(cast):
    client = signed_in(cast.supervisor)
    client.post(reverse("import_upload"), {"text": SHORT})
    draft = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert 'name="placement" value="new_plan" checked' in page
    before = live_state(cast)
    response = client.post(reverse("import_review", args=[draft.pk]), review_defaults(page, draft))
    assert response.status_code == 302
    new_plan = Plan.objects.exclude(pk=cast.plan.pk).get()
    assert new_plan.title == "关于推进港口发展的实施方案" and new_plan.owner_unit == cast.supervision
    assert Task.objects.filter(plan=new_plan).count() == len(ImportDraft.objects.get().created["tasks"]) > 3
    assert live_state(cast) == before


def test_a_document_titled_like_an_existing_plan_waits_for_the_office_to_choose_where_it_goes(cast):
    client = signed_in(cast.supervisor)
    client.post(
        reverse("import_upload"), {"text": f"{cast.plan.title}\n一、重点任务\n宣传办要制定宣传工作方案。\n"}
    )
    draft = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert (
        "checked" not in page.split('<fieldset class="placement" id="placement">')[1].split("</fieldset>")[0]
    )
    assert "与已有方案" in page
    response = client.post(
        reverse("import_review", args=[draft.pk]), review_post(draft.proposal, {"keep-h1": "1"})
    )
    assert response.status_code == 200 and "导入到" in response.content.decode()
    assert Plan.objects.count() == 1 and ImportDraft.objects.get().accepted_at is None
    response = client.post(
        reverse("import_review", args=[draft.pk]),
        review_post(draft.proposal, {"placement": "under_task", "parent": cast.area.pk, "keep-h1": "1"}),
    )
    assert response.status_code == 302 and cast.area.children.filter(title="重点任务").exists()


def test_only_units_given_a_part_are_proposed_and_mentioned_bodies_are_listed_unticked(cast):
    draft = propose(cast.supervisor, read_bytes(SEED.read_bytes(), SEED.name))
    chosen = Selection.everything(draft.read_proposal())
    assert not set(MENTIONED_ONLY) & chosen.new_units
    assert {"纪工委", "组人部", "金融办"} <= chosen.new_units  # a support, two leads
    page = signed_in(cast.supervisor).get(reverse("import_review", args=[draft.pk])).content.decode()
    for name in MENTIONED_ONLY:
        assert f'value="1" data-unit="{name}">' in page
    assert 'value="1" data-unit="组人部" checked>' in page
    accept_proposal(
        cast.supervisor,
        draft,
        new_plan=NewPlan("讲话", cast.committee, dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    )
    assert not Unit.objects.filter(name__in=MENTIONED_ONLY).exists()
    assert Unit.objects.filter(name="组人部").exists()


def port_indicator(cast, *years: int, unit: str = "吨") -> Indicator:
    indicator = Indicator.objects.create(plan=cast.plan, name="港口吞吐量", unit=unit, owner_unit=cast.jingfa)
    for year in years:
        IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(year, 12, 31), value=2.8e8)
    return indicator


def test_an_old_years_target_never_joins_a_live_indicator_by_default(cast):
    live = port_indicator(cast, 2025)  # the text aims at 2022: a zig-zag if merged
    accept_proposal(cast.supervisor, draft_of(cast), parent=cast.area)
    assert list(live.targets.values_list("due_date", flat=True)) == [dt.date(2025, 12, 31)]
    made = IndicatorTarget.objects.exclude(indicator=live).get(indicator__name="港口吞吐量")
    assert made.indicator.plan == cast.plan and made.due_date.year == 2022


def test_a_fitting_same_name_indicator_of_the_destination_plan_is_joined_and_not_duplicated(cast):
    live = port_indicator(cast, 2020)
    accept_proposal(cast.supervisor, draft_of(cast), parent=cast.area)
    assert Indicator.objects.filter(name="港口吞吐量").count() == 1
    assert [t.due_date.year for t in live.targets.all()] == [2020, 2022]


def test_an_import_into_a_new_plan_joins_no_indicator_of_another_plan_unless_picked(cast):
    live = port_indicator(cast, 2020)
    where = NewPlan("港口方案", cast.committee, dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    accept_proposal(cast.supervisor, draft_of(cast), new_plan=where)
    assert live.targets.count() == 1
    draft = draft_of(cast)
    chosen = Selection.everything(draft.read_proposal())
    chosen.indicators = {"t1": live.pk}  # the office picked it
    accept_proposal(
        cast.supervisor,
        draft,
        selection=chosen,
        new_plan=NewPlan("港口方案二", cast.committee, dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    )
    assert [t.due_date.year for t in live.targets.all()] == [2020, 2022]


def test_conflicts_are_named_for_unit_year_and_base(cast):
    live = port_indicator(cast, 2025)
    live.baseline_date = dt.date(2023, 12, 31)
    target = Target(
        id="t1",
        indicator=live.name,
        comparator="gt",
        value=300000000,
        unit="吨",
        kind="absolute",
        year=2025,
        within_years=None,
        span=(0, 9),
        value_span=(5, 9),
        text="港口吞吐量超3亿吨",
    )
    assert "已有2025年" in conflict_of(live, target, [2025])
    assert "早于" in conflict_of(live, replace(target, year=2022), [2025])
    assert "计量单位" in conflict_of(live, replace(target, unit="标箱"), [])
    assert "基期" in conflict_of(
        live, replace(target, kind="multiple", relative_to="2020年基础", year=2027), [2025]
    )
    assert conflict_of(live, replace(target, year=2027), [2025]) == ""


def test_the_review_page_offers_a_same_name_indicator_but_does_not_preselect_a_conflicting_one(cast):
    live = port_indicator(cast, 2025)
    client = signed_in(cast.supervisor)
    client.post(reverse("import_upload"), {"text": SHORT})
    draft = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert f'<option value="{live.pk}" data-plan="{cast.plan.pk}">' in page and "年份早于已有目标" in page
    data = review_defaults(page, draft) | {
        "placement": "under_task",
        "parent": cast.area.pk,
        "targets-0-join": live.pk,
    }
    assert client.post(reverse("import_review", args=[draft.pk]), data).status_code == 302
    assert sorted(t.due_date.year for t in live.targets.all()) == [2022, 2025]  # picked by the office


def test_undo_removes_everything_the_import_created_in_one_go(cast):
    counts = (
        Plan.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
    )
    draft = draft_of(cast)
    chosen = Selection.everything(draft.read_proposal())
    chosen.new_units.add("省财政厅")
    result = accept_proposal(
        cast.supervisor,
        draft,
        selection=chosen,
        new_plan=NewPlan("港口方案", cast.committee, dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    )
    assert result.units and result.indicators and result.targets
    undo_import(cast.supervisor, ImportDraft.objects.get(pk=draft.pk))
    assert (
        Plan.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
    ) == counts
    assert ImportDraft.objects.get(pk=draft.pk).undone_at is not None
    with pytest.raises(ValidationError, match="没有可撤销"):
        undo_import(cast.supervisor, ImportDraft.objects.get(pk=draft.pk))


def test_undo_is_refused_with_a_reason_once_a_task_left_draft(cast):
    draft = draft_of(cast)
    result = accept_proposal(cast.supervisor, draft, parent=cast.area)
    assign_task(cast.supervisor, result.tasks[-1])
    with pytest.raises(ValidationError, match="已有 1 项交办"):
        undo_import(cast.supervisor, ImportDraft.objects.get(pk=draft.pk))
    assert Task.objects.filter(pk__in=[t.pk for t in result.tasks]).count() == len(result.tasks)


def test_undo_is_all_or_nothing_when_a_created_unit_is_in_use(cast):
    draft = draft_of(cast)
    chosen = Selection.everything(draft.read_proposal())
    chosen.new_units.add("省财政厅")
    result = accept_proposal(cast.supervisor, draft, parent=cast.area, selection=chosen)
    make_person("liaison", "staff", Unit.objects.get(name="省财政厅"))  # someone now works there
    with pytest.raises(ValidationError, match="省财政厅"):
        undo_import(cast.supervisor, ImportDraft.objects.get(pk=draft.pk))
    assert Task.objects.filter(pk__in=[t.pk for t in result.tasks]).count() == len(result.tasks)
    assert ImportDraft.objects.get(pk=draft.pk).undone_at is None


def test_undo_is_refused_when_someone_added_a_task_under_the_import(cast):
    draft = draft_of(cast)
    result = accept_proposal(cast.supervisor, draft, parent=cast.area)
    make_task(cast.plan, "后加的任务", cast.caizheng, result.tasks[0], status=TaskStatus.DRAFT)
    with pytest.raises(ValidationError, match="新增了任务"):
        undo_import(cast.supervisor, ImportDraft.objects.get(pk=draft.pk))


def test_the_undo_page_undoes_and_another_persons_import_is_not_found(cast):
    draft = draft_of(cast)
    accept_proposal(cast.supervisor, draft, parent=cast.area)
    assert signed_in(cast.admin).post(reverse("import_undo", args=[draft.pk])).status_code == 404
    client = signed_in(cast.supervisor)
    assert client.get(reverse("import_undo", args=[draft.pk])).status_code == 405
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert "撤销这次导入" in page
    response = client.post(reverse("import_undo", args=[draft.pk]), follow=True)
    assert "已撤销导入" in response.content.decode()
    assert not cast.area.children.exclude(pk=cast.jingfa_task.pk).exclude(pk=cast.key.pk).exists()
    with pytest.raises(PermissionDenied):
        undo_import(cast.admin, ImportDraft.objects.get(pk=draft.pk))


def test_the_import_is_on_the_menu_for_the_office_only(cast):
    assert 'href="/import/"' in signed_in(cast.supervisor).get(reverse("cockpit")).content.decode()
    assert 'href="/import/"' not in signed_in(cast.caizheng_staff).get(reverse("cockpit")).content.decode()


def test_the_cockpit_opens_on_the_live_plan_not_on_a_newer_plan_of_drafts(cast):
    where = NewPlan("2027年工作要点", cast.committee, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    accept_proposal(cast.supervisor, draft_of(cast), new_plan=where)
    page = signed_in(cast.supervisor).get(reverse("cockpit")).content.decode()
    assert "2024-01-01 至 2029-12-31" in page


def test_the_import_command_makes_a_new_plan_by_default_or_goes_under_a_task(cast, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(SHORT, encoding="utf-8")
    before = live_state(cast)
    out = io.StringIO()
    call_command("import", str(source), "--as", "supervisor", stdout=out)
    assert Plan.objects.filter(title="关于推进港口发展的实施方案").exists() and live_state(cast) == before
    call_command(
        "import",
        str(source),
        "--new-plan",
        "港口方案",
        "--years",
        "2021-2023",
        "--as",
        "supervisor",
        stdout=out,
    )
    made = Plan.objects.get(title="港口方案")
    assert (made.period_start, made.period_end) == (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    with pytest.raises(CommandError, match="同名方案"):
        call_command("import", str(source), "--as", "supervisor", stdout=out)
    call_command("import", str(source), "--under", str(cast.area.pk), "--as", "supervisor", stdout=out)
    assert cast.area.children.filter(title="重点任务").exists()


def test_the_undo_command_lists_imports_and_takes_one_back_by_the_page_s_rules(cast, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(SHORT, encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(source), "--under", str(cast.area.pk), "--as", "supervisor", stdout=out)
    draft = ImportDraft.objects.get()
    assert f"导入记录 {draft.pk}" in out.getvalue()
    listed = io.StringIO()
    call_command("import_undo", "--list", "--as", "supervisor", stdout=listed)
    assert "plan.txt" in listed.getvalue() and "可以" in listed.getvalue()
    with pytest.raises(CommandError, match="找不到"):  # not theirs: as if not there
        call_command("import_undo", str(draft.pk), "--as", "caizheng_manager", stdout=io.StringIO())
    first = Task.objects.get(pk=draft.created["tasks"][-1])
    assign_task(cast.supervisor, first)
    with pytest.raises(CommandError, match="已有 1 项交办"):
        call_command("import_undo", str(draft.pk), "--as", "supervisor", stdout=io.StringIO())
    Task.objects.filter(pk=first.pk).update(status=TaskStatus.DRAFT)
    before = Task.objects.count()
    call_command("import_undo", str(draft.pk), "--as", "supervisor", stdout=out)
    assert "已撤销导入记录" in out.getvalue() and Task.objects.count() == before - len(draft.created["tasks"])
    listed = io.StringIO()
    call_command("import_undo", "--list", "--as", "supervisor", stdout=listed)
    assert "已撤销" in listed.getvalue()
