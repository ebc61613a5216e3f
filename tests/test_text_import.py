"""A policy text becomes tasks, units and indicators only when the reviewer accepts, all at once."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from luoshi.documents.actions import Selection, accept_proposal, propose
from luoshi.documents.extract.reading import read_bytes
from luoshi.documents.models import ImportDraft
from luoshi.documents.proposal import from_dict
from luoshi.documents.review_forms import review_rows
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.orgs.models import Unit
from luoshi.plans.models import Task, TaskKind


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


SEED = (
    Path(__file__).resolve().parents[1] / "bench" / "corpus" / "sample_speech.txt"
)  # the shared seed, as a bench text
SHORT = """关于推进港口发展的实施方案
一、主要目标
到2022年，港口吞吐量超3亿吨，集装箱达到100万标箱。
二、重点任务
（一）争取政策支持。工业园区财政局要尽快形成专门请示，抓紧与省财政厅沟通对接。
（二）做好宣传。宣传办要制定宣传工作方案，经发局配合。
"""


def draft_of(cast, text: str = SHORT) -> ImportDraft:
    return propose(cast.supervisor, read_bytes(text.encode("utf-8"), "方案.txt"))


def review_post(proposal: dict, data: dict) -> dict:
    """The review page's post, from choices named by proposal id: keep-<id> ticks an item, title-, lead-,
    merge-<id> change a heading or work item, tind-, tval-, tyear-, tjoin-<id> a target, unit-<name> creates a
    unit; every other field is left as the page shows it, and the rest of `data` (the placement) goes as it is."""
    typed = from_dict(proposal)
    post = {
        key: value
        for key, value in data.items()
        if not re.match(r"(keep|title|lead|merge|t[a-z]+|unit)-", key)
    }
    rows, targets = review_rows(typed), typed.targets
    for prefix, count in (("items", len(rows)), ("targets", len(targets)), ("units", len(typed.units))):
        post |= {f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count}
    for index, row in enumerate(rows):
        key = row.item.id
        post |= {
            f"items-{index}-title": data.get(f"title-{key}", row.item.title),
            f"items-{index}-lead_unit": data.get(f"lead-{key}", ""),
        }
        post |= {f"items-{index}-{field}": "1" for field in ("keep", "merge") if f"{field}-{key}" in data}
    for index, target in enumerate(targets):
        key = target.id
        post |= {
            f"targets-{index}-indicator": data.get(f"tind-{key}", target.indicator),
            f"targets-{index}-value": data.get(f"tval-{key}", str(target.value)),
            f"targets-{index}-year": data.get(
                f"tyear-{key}", "" if target.year is None else str(target.year)
            ),
            f"targets-{index}-join": data.get(f"tjoin-{key}", ""),
        }
        if f"keep-{key}" in data:
            post[f"targets-{index}-keep"] = "1"
    for index, unit in enumerate(typed.units):
        if f"unit-{unit.name}" in data:
            post[f"units-{index}-create"] = "1"
    return post


def test_accepting_a_proposal_creates_the_tree_units_and_indicators(cast):
    before = Task.objects.count()
    draft = draft_of(cast)
    chosen = Selection.everything(draft.read_proposal())
    assert "省财政厅" not in chosen.new_units  # a body to liaise with, given no part: not ticked by default …
    chosen.new_units.add("省财政厅")  # … but the office may tick it
    result = accept_proposal(cast.supervisor, draft, plan=cast.plan, selection=chosen)
    titles = [t.title for t in result.tasks]
    assert "主要目标" in titles and "重点任务" in titles
    liaison = next(t for t in result.tasks if "请示" in t.title)
    assert liaison.lead_unit == cast.caizheng and liaison.kind == TaskKind.LIAISON
    assert liaison.parent.title.startswith("争取政策支持")
    publicity = next(t for t in result.tasks if "宣传工作方案" in t.source_text)
    assert publicity.lead_unit == cast.xuanchuan and list(publicity.support_units.all()) == [cast.jingfa]
    assert Unit.objects.filter(name="省财政厅", kind="external").exists()
    throughput = IndicatorTarget.objects.get(indicator__name__contains="港口吞吐量")
    assert (throughput.value, throughput.indicator.unit, throughput.due_date.year) == (300000000, "吨", 2022)
    assert Task.objects.count() == before + len(result.tasks)


def test_the_sample_speech_imports_in_one_go(cast):
    draft = propose(cast.supervisor, read_bytes(SEED.read_bytes(), SEED.name))
    result = accept_proposal(cast.supervisor, draft, plan=cast.plan)
    assert len(result.tasks) > 30
    names = set(Indicator.objects.values_list("name", flat=True))
    assert any("集装箱" in name for name in names)
    assert ImportDraft.objects.get(pk=draft.pk).accepted_at is not None
    with pytest.raises(Exception, match="已经导入"):
        accept_proposal(cast.supervisor, draft, plan=cast.plan)


def test_only_what_the_reviewer_kept_is_created_with_their_titles(cast):
    draft = draft_of(cast)
    proposal = draft.proposal
    keep = next(t for t in proposal["tasks"] if "请示" in t["text"])
    chosen = Selection(
        headings=set(),
        tasks={keep["id"]},
        targets=set(),
        new_units=set(),
        titles={keep["id"]: "报送集装箱支持政策请示"},
        lead_units={keep["id"]: cast.jingfa.pk},
    )
    result = accept_proposal(cast.supervisor, draft, plan=cast.plan, parent=cast.area, selection=chosen)
    assert [(t.title, t.lead_unit, t.parent) for t in result.tasks] == [
        ("报送集装箱支持政策请示", cast.jingfa, cast.area)
    ]
    assert not Unit.objects.filter(name="省财政厅").exists() and not Indicator.objects.exists()


def test_a_failure_half_way_leaves_nothing_behind(cast):
    draft = draft_of(cast)
    Unit.objects.create(name="省财政厅 ")  # not matched by name, so the acceptance will try to create it …
    count = Task.objects.count()
    draft.proposal["units"] = [
        dict(u, name="财政局", known_unit=None, is_new=True) if u["name"] == "省财政厅" else u
        for u in draft.proposal["units"]
    ]
    chosen = Selection.everything(draft.read_proposal())  # … and "财政局" already exists: unique name refused
    chosen.new_units.add("财政局")
    with pytest.raises(Exception, match="名称"):
        accept_proposal(cast.supervisor, draft, plan=cast.plan, selection=chosen)
    assert Task.objects.count() == count and not Indicator.objects.exists()
    assert ImportDraft.objects.get(pk=draft.pk).accepted_at is None


def test_unit_staff_cannot_import_top_level_tasks(cast):
    with pytest.raises(PermissionDenied):
        propose(cast.caizheng_staff, read_bytes(SHORT.encode(), "方案.txt"))
    draft = ImportDraft.objects.create(
        owner=cast.caizheng_staff, source_name="方案.txt", proposal=draft_of(cast).proposal
    )
    with pytest.raises(PermissionDenied):
        accept_proposal(cast.caizheng_staff, draft, plan=cast.plan)
    assert not Indicator.objects.exists()


def test_the_review_page_highlights_sources_and_accepts_the_choices(cast):
    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(reverse("import_upload"), {"text": SHORT})
    draft = ImportDraft.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert '<mark id="src-t1">' in page and "港口吞吐量" in page
    data = {"placement": "under_task", "parent": cast.area.pk}
    data |= {f"keep-{t['id']}": "1" for t in draft.proposal["tasks"][:1]}
    response = client.post(reverse("import_review", args=[draft.pk]), review_post(draft.proposal, data))
    assert response.status_code == 302
    assert Task.objects.filter(parent=cast.area, source_text=draft.proposal["tasks"][0]["text"]).count() == 1


def test_bad_uploads_get_a_clear_message_and_leave_nothing(cast):
    client = Client()
    client.force_login(cast.supervisor)
    binary = SimpleUploadedFile("x.txt", bytes(range(256)) * 50)
    response = client.post(reverse("import_upload"), {"file": binary})
    assert response.status_code == 200 and "msg error" in response.content.decode()
    assert client.post(reverse("import_upload"), {"text": "  "}).status_code == 200
    assert not ImportDraft.objects.exists()


def test_another_persons_proposal_is_not_found(cast):
    draft = draft_of(cast)
    client = Client()
    client.force_login(cast.caizheng_manager)
    assert client.get(reverse("import_review", args=[draft.pk])).status_code == 404


def test_the_import_command_saves_all_or_with_dry_run_nothing(cast, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(SHORT, encoding="gb18030")
    out = io.StringIO()
    count = Task.objects.count()
    call_command(
        "import", str(source), "--plan", str(cast.plan.pk), "--as", "supervisor", "--dry-run", stdout=out
    )
    assert "演示" in out.getvalue() and Task.objects.count() == count
    call_command("import", str(source), "--plan", str(cast.plan.pk), "--as", "supervisor", stdout=out)
    assert Task.objects.count() > count
    with pytest.raises(CommandError, match="无权"):
        call_command("import", str(source), "--plan", str(cast.plan.pk), "--as", "outsider")


def test_merged_items_become_one_task_with_both_texts_and_units(cast):
    draft = draft_of(
        cast,
        "关于推进港口发展的实施方案\n一、重点任务\n宣传办要制定宣传工作方案。经发局要配合做好新闻发布。\n",
    )
    first, second = draft.proposal["tasks"]
    chosen = Selection.everything(draft.read_proposal())
    chosen.merged = {second["id"]}
    result = accept_proposal(cast.supervisor, draft, plan=cast.plan, selection=chosen)
    [work] = [t for t in result.tasks if t.kind != TaskKind.AREA]
    assert work.source_text == first["text"] + second["text"]
    assert work.title == first["title"]
    assert work.lead_unit == cast.xuanchuan and list(work.support_units.all()) == [
        cast.jingfa
    ]  # the merged lead helps


def test_the_review_page_merges_corrects_targets_and_refuses_a_bad_number_without_saving(cast):
    client = Client()
    client.force_login(cast.supervisor)
    client.post(reverse("import_upload"), {"text": SHORT + "经发局要配合做好新闻发布。\n"})
    draft = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert '-merge"' in page and 'name="targets-0-value"' in page and "≥" in page
    assert (
        'name="placement" value="new_plan" checked' in page
    )  # the title matches no plan: a new one by default
    tasks = draft.proposal["tasks"]
    data = {
        "placement": "plan_top",
        "plan": cast.plan.pk,
        "keep-t1": "1",
        "keep-t2": "1",
        "tval-t1": "三亿",
        "tind-t2": "集装箱吞吐量",
    }
    data |= {f"keep-{t['id']}": "1" for t in tasks}
    count = Task.objects.count()
    response = client.post(reverse("import_review", args=[draft.pk]), review_post(draft.proposal, data))
    assert response.status_code == 200 and "不是数字" in response.content.decode()
    assert Task.objects.count() == count and not Indicator.objects.exists()
    data |= {"tval-t1": "320000000", "tyear-t1": "2023", f"merge-{tasks[-1]['id']}": "1"}
    assert (
        client.post(reverse("import_review", args=[draft.pk]), review_post(draft.proposal, data)).status_code
        == 302
    )
    throughput = IndicatorTarget.objects.get(indicator__name__contains="港口吞吐量")
    assert (throughput.value, throughput.due_date.year) == (320000000, 2023)
    assert Indicator.objects.filter(name="集装箱吞吐量").exists()
    merged = Task.objects.get(source_text=tasks[-2]["text"] + tasks[-1]["text"])
    assert merged.title == tasks[-2]["title"]


def test_the_review_page_answers_superscript_digits_with_a_message_not_an_error(cast):
    client = Client()
    client.force_login(cast.supervisor)
    client.post(reverse("import_upload"), {"text": SHORT})
    draft = ImportDraft.objects.get()
    tasks = draft.proposal["tasks"]
    data = {
        "placement": "plan_top",
        "plan": cast.plan.pk,
        "keep-t1": "1",
        "tyear-t1": "²⁰²³",
        "tjoin-t1": "²",
        f"lead-{tasks[0]['id']}": "²",
    }
    data |= {f"keep-{t['id']}": "1" for t in tasks}
    count = Task.objects.count()
    response = client.post(reverse("import_review", args=[draft.pk]), review_post(draft.proposal, data))
    assert response.status_code == 200 and "应为四位年份" in response.content.decode()
    assert Task.objects.count() == count and not Indicator.objects.exists()
