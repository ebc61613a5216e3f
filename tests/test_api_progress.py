"""Progress reports over the API: filing one as multipart with evidence files, listing and searching
reports, downloading evidence — and who may not."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.progress.models import Evidence, ProgressReport


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person) -> Client:
    """A client calling the API with a fresh bearer token of the person."""
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


def pdf(name: str = "请示.pdf", content: bytes = b"%PDF-1.4 evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def file_report(person, task: Task, **fields):
    data = {"percent": 60, "narrative": "已形成请示初稿", **fields}
    return api_as(person).post(f"/api/tasks/{task.pk}/reports", data)  # multipart


def test_a_unit_reports_progress_with_evidence_files(cast):
    response = file_report(
        cast.caizheng_staff,
        cast.measure,
        problems="省厅口径未定",
        files=[pdf(), pdf("会议纪要.docx", b"PK minutes")],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["percent"], body["unit"]["name"], body["author"]["name"]) == (60, "财政局", "财政局刘科员")
    assert body["reported_on"] == "2026-11-27" and body["problems"] == "省厅口径未定"
    assert [e["name"] for e in body["evidence"]] == ["请示.pdf", "会议纪要.docx"]
    download = api_as(cast.leader).get(body["evidence"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert api_as(cast.caizheng_staff).get(f"/api/tasks/{cast.measure.pk}").json()["progress"] == 60.0


def test_a_supporting_unit_reports_for_itself(cast):
    response = file_report(cast.jingfa_staff, cast.key, percent=30)
    assert response.status_code == 201 and response.json()["unit"]["name"] == "经发局"


def test_a_first_report_on_an_acknowledged_task_starts_it(cast):
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.ACKNOWLEDGED)
    assert file_report(cast.caizheng_staff, cast.measure).status_code == 201
    assert Task.objects.get(pk=cast.measure.pk).status == TaskStatus.IN_PROGRESS


def test_bad_report_input_is_a_422_naming_the_fields(cast):
    for fields, field in [
        ({"percent": 101}, "percent"),
        ({"percent": "sixty"}, "percent"),
        ({"narrative": ""}, "narrative"),
        ({"reported_on": "2026-11-28"}, "reported_on"),
        ({"reported_on": "2026-02-30"}, "reported_on"),
        ({"files": [pdf(content=b"")]}, "files"),
    ]:
        response = file_report(cast.caizheng_staff, cast.measure, **fields)
        assert response.status_code == 422, (fields, response.content)
        assert field in response.json()["detail"], fields
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_a_report_on_a_task_not_yet_acknowledged_is_refused(cast):
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.ASSIGNED)
    assert file_report(cast.caizheng_staff, cast.measure).status_code == 422


def test_reporting_is_denied_to_the_viewer_leader_and_supervisor_403_and_to_outsiders_404(cast):
    for person in (cast.viewer, cast.leader, cast.supervisor):
        assert file_report(person, cast.measure).status_code == 403, person
    assert file_report(cast.outsider, cast.measure).status_code == 404
    assert file_report(cast.caizheng_staff, cast.jingfa_task).status_code == 404  # not 财政局's task
    assert not ProgressReport.objects.exists()


def test_a_tasks_reports_are_listed_newest_first_and_hidden_from_outsiders(cast):
    report_progress(
        cast.caizheng_staff, cast.measure, percent=20, narrative="启动", reported_on=dt.date(2026, 10, 9)
    )
    report_progress(
        cast.caizheng_staff, cast.measure, percent=50, narrative="过半", reported_on=dt.date(2026, 11, 20)
    )
    listed = api_as(cast.leader).get(f"/api/tasks/{cast.measure.pk}/reports").json()
    assert [r["percent"] for r in listed["items"]] == [50, 20] and listed["count"] == 2
    assert api_as(cast.outsider).get(f"/api/tasks/{cast.measure.pk}/reports").status_code == 404


def test_the_report_search_filters_by_task_unit_and_dates_and_shows_only_visible_tasks(cast):
    report_progress(
        cast.caizheng_staff, cast.measure, percent=20, narrative="启动", reported_on=dt.date(2026, 10, 9)
    )
    report_progress(
        cast.jingfa_staff, cast.key, percent=30, narrative="配合", reported_on=dt.date(2026, 11, 2)
    )
    report_progress(
        cast.jingfa_staff,
        cast.jingfa_task,
        percent=70,
        narrative="方案已成",
        reported_on=dt.date(2026, 11, 20),
    )

    def narratives(person, query: str = "") -> list[str]:
        response = api_as(person).get(f"/api/reports{query}")
        assert response.status_code == 200, response.content
        return [r["narrative"] for r in response.json()["items"]]

    assert narratives(cast.supervisor) == ["方案已成", "配合", "启动"]
    assert narratives(cast.caizheng_staff) == ["配合", "启动"]  # 经发局's own task is out of sight
    assert narratives(cast.outsider) == []
    assert narratives(cast.supervisor, f"?unit={cast.jingfa.pk}") == ["方案已成", "配合"]
    assert narratives(cast.supervisor, f"?task={cast.measure.pk}") == ["启动"]
    assert narratives(cast.supervisor, "?reported_from=2026-11-02&reported_to=2026-11-19") == ["配合"]
    assert api_as(cast.supervisor).get("/api/reports?reported_from=someday").status_code == 422


def test_evidence_is_not_served_to_outsiders(cast):
    report = report_progress(cast.caizheng_staff, cast.measure, percent=20, narrative="启动", files=[pdf()])
    evidence = report.evidence.get()
    assert api_as(cast.outsider).get(f"/api/evidence/{evidence.pk}").status_code == 404
    assert api_as(cast.outsider).get("/api/evidence/987654").status_code == 404
