"""A real work report imported through the pages in Chromium: paste, review, accept; the worker imports it in
batches while the page shows its progress; the live plan is unchanged; the import is undone."""

import os
import threading
from pathlib import Path

from django.db import connections
from django.urls import reverse

from luoshi.documents import batches, views
from luoshi.documents.jobs import apply_import
from luoshi.documents.models import ImportDraft, ImportState
from luoshi.plans.models import Plan, Task
from tests.browser.conftest import shoot
from tests.browser.test_accessibility import violations

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LUOSHI_SHARED_CORPUS") or ROOT.parent / "shared" / "corpus")
#: A 2026 provincial work report as copied from the web (../shared/corpus); the repository's county report without it.
REPORT = next(
    path
    for path in [
        SHARED / "gov-reports-2026" / "2026_上海市_政府工作报告.txt",
        ROOT / "bench" / "corpus" / "county_gov_work_report.txt",
    ]
    if path.exists()
)


def test_a_work_report_is_imported_by_the_worker_with_a_progress_bar_and_undone(
    scene, open_page, monkeypatch
):
    c = scene.cast
    monkeypatch.setattr(views, "INLINE_STEPS", 20)  # whatever its length, this one goes to the worker …
    monkeypatch.setattr(batches, "BATCH_SIZE", 10)  # … in small batches, slowly enough to watch
    monkeypatch.setattr(batches, "PAUSE_SECONDS", 0.2)
    live = set(Task.objects.filter(plan=c.plan).values_list("pk", "title", "status", "deadline"))
    page = open_page(c.supervisor)
    page.goto(open_page.url + reverse("import_upload"))
    page.fill("textarea[name=text]", REPORT.read_text(encoding="utf-8"))
    page.click("button[type=submit]")
    page.wait_for_url("**/import/*/**", timeout=60_000)
    assert page.locator("#document-year").inner_text().startswith("文件年份：")
    shoot(page, "import-review-work-report")
    assert page.is_checked("input[name=placement][value=new_plan]")  # a new plan, beside the live one
    page.click("button.primary")
    page.wait_for_selector("#import-progress progress")
    draft = ImportDraft.objects.get()
    assert (
        draft.state == ImportState.QUEUED and "luoshi worker" in page.locator("#import-progress").inner_text()
    )
    assert violations(page) == []

    def work() -> None:
        try:
            apply_import.call(draft.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    page.wait_for_function("document.querySelector('#import-progress progress')?.value > 0", timeout=60_000)
    shoot(page, "import-progress")
    page.wait_for_selector("text=撤销这次导入", timeout=120_000)
    worker.join(timeout=60)
    shoot(page, "import-record-work-report")
    draft.refresh_from_db()
    assert draft.state == ImportState.DONE and draft.steps_done == draft.steps_total > 20
    assert set(Task.objects.filter(plan=c.plan).values_list("pk", "title", "status", "deadline")) == live
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.danger", timeout=60_000)  # removing the import's drafts: slow on a loaded machine
    page.wait_for_selector("text=已撤销导入", timeout=60_000)
    assert Plan.objects.filter(pk=draft.plan_id).count() == 0 and Task.objects.filter(
        plan=c.plan
    ).count() == len(live)
