"""The 任务分解表 preview tries every row in short transactions, each rolled back: others' writes land during a
2,000-row preview, and the per-cell errors are those of one long trial."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from luoshi.documents.actions import NewPlan, check_task_table, propose_task_table
from luoshi.documents.excel import importer
from luoshi.plans.models import Plan, Task
from luoshi.progress.models import ProgressReport
from tests.test_excel_import import HEAD, xlsx

#: Rows whose errors show only when tried, each depending on a task the file itself creates above it.
NESTED = [
    ["序号", "具体措施", "牵头单位", "完成时限"],
    ["1", "形成专门请示", "财政局", "2026年12月"],
    ["2", "对接省发改委", "经发局", "2026年12月"],
    ["2.1", "报送项目清单", "经发局", "2026年11月"],
    ["2.1.1", "整理项目材料", "财政局", "2026年10月"],
    ["3", "编制资金方案", "财政局", "2026年12月"],
    ["3.1", "测算资金缺口", "财政局", "2026年11月"],
    ["3.1.1", "收集各方数据", "财政局", "2026年10月"],
    ["3.1.1.1", "汇总数据", "财政局", "2026年9月"],
    ["4", "协调土地指标", "经发局", "2026年12月"],
    ["4.1", "上报用地需求", "财政局", "2026年11月"],
]


def errors_of(cast, rows, **options) -> list[str]:
    draft = propose_task_table(cast.caizheng_manager, xlsx(rows), "分解表.xlsx")
    result = check_task_table(cast.caizheng_manager, draft, parent=cast.key, **options)
    return [str(e) for e in result.errors]


@pytest.mark.parametrize("valid_rows_only", [False, True])
def test_a_preview_tried_one_row_per_transaction_finds_the_errors_of_one_long_trial(
    cast, monkeypatch, valid_rows_only
):
    tasks, plans = Task.objects.count(), Plan.objects.count()
    monkeypatch.setattr(importer, "TRIAL_BATCH", 100_000)  # one transaction, as the preview was before
    whole = errors_of(cast, NESTED, valid_rows_only=valid_rows_only)
    assert "第4行：你没有权限在任务“对接省发改委”下分解任务" in whole
    assert "第11行：你没有权限在任务“协调土地指标”下分解任务" in whole
    for size in (1, 2, 3):  # every batch boundary, under every depth of the tree
        monkeypatch.setattr(importer, "TRIAL_BATCH", size)
        assert errors_of(cast, NESTED, valid_rows_only=valid_rows_only) == whole
    assert (Task.objects.count(), Plan.objects.count()) == (tasks, plans)


def test_a_preview_into_a_new_plan_keeps_no_plan_and_checks_every_level(cast, monkeypatch):
    monkeypatch.setattr(importer, "TRIAL_BATCH", 2)
    rows = [HEAD] + [
        [code, f"任务{code}", "", "财政局", "", "", "2026年12月"]
        for code in ("1", "1.1", "1.1.1", "2", "2.1")
    ]
    draft = propose_task_table(cast.supervisor, xlsx(rows), "分解表.xlsx")
    plans = Plan.objects.count()
    result = check_task_table(
        cast.supervisor,
        draft,
        new_plan=NewPlan("港口物流分解表", cast.supervision, cast.plan.period_start, cast.plan.period_end),
    )
    assert result.ok and result.tasks_found == 5 and not result.saved
    assert Plan.objects.count() == plans and not Plan.objects.filter(title="港口物流分解表").exists()


KEYS, MEASURES = 100, 19  # 2,000 rows
LARGE = [HEAD] + [
    row
    for k in range(1, KEYS + 1)
    for row in [
        [str(k), f"港口物流第{k}项", "", "财政局", "", "", "2026年12月"],
        *(
            [f"{k}.{m}", "", f"第{k}项第{m}条措施", "财政局", "", "", "2026年11月"]
            for m in range(1, MEASURES + 1)
        ),
    ]
]


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_by_another_user_lands_during_a_2000_row_preview(cast, transactional_db):
    """Between two trial batches the preview holds no lock: a unit's report, from another connection, lands."""
    draft = propose_task_table(cast.supervisor, xlsx(LARGE), "分解表.xlsx")
    tasks = Task.objects.count()
    responses, seen_at = [], []

    def report() -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(cast.caizheng_staff)
            responses.append(
                client.post(
                    reverse("task_report", args=[cast.measure.pk]), {"percent": 40, "narrative": "已起草请示"}
                )
            )
        finally:
            connections.close_all()

    def midway(done: int, total: int) -> None:
        if not responses:  # after the first trial batch, while the preview goes on
            seen_at.append((done, total))
            writer = threading.Thread(target=report)
            writer.start()
            writer.join(timeout=30)

    result = check_task_table(
        cast.supervisor,
        draft,
        new_plan=NewPlan("港口物流分解表", cast.supervision, cast.plan.period_start, cast.plan.period_end),
        on_progress=midway,
    )
    assert result.ok and result.tasks_found == KEYS * (MEASURES + 1) and not result.saved
    [(done, total)] = seen_at
    assert done < total == 2000
    [response] = responses
    assert response.status_code == 302, response.status_code  # not 503 "busy", not 500 "database is locked"
    assert ProgressReport.objects.filter(task=cast.measure, percent=40).exists()
    assert Task.objects.count() == tasks and not Plan.objects.filter(title="港口物流分解表").exists()
