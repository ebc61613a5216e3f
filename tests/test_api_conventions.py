"""What every endpoint shares: both slash forms of its path, and error messages in the caller's
language (Chinese unless asked otherwise), with one 404 for "not there" and "not yours"."""

import re

import pytest
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.plans.models import Comment


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person, **headers) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}", **headers})


def test_every_path_of_the_schema_answers_alike_with_and_without_a_trailing_slash(cast):
    client = api_as(cast.supervisor)
    paths = client.get("/api/openapi.json").json()["paths"]
    ids = {
        "plan_id": cast.plan.pk,
        "task_id": cast.key.pk,
        "unit_id": cast.caizheng.pk,
        "fmt": "pdf",
        "step": "assign",
        "year": 2026,
    }
    checked = 0
    for path, operations in paths.items():
        if "get" not in operations:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m[1], 1)), path)
        without, with_slash = client.get(url), client.get(f"{url}/")
        assert with_slash.status_code == without.status_code, url
        assert with_slash.content == without.content or without.status_code == 200, url
        checked += 1
    assert checked >= 30
    assert client.get("/api/tasks/").json()["count"] == client.get("/api/tasks").json()["count"] > 0


def test_a_post_to_the_slashed_path_is_taken_not_redirected(cast):
    response = api_as(cast.leader).post(
        f"/api/tasks/{cast.key.pk}/comments/", {"body": "请抓紧"}, content_type="application/json"
    )
    assert response.status_code == 201 and Comment.objects.get().body == "请抓紧"


def test_errors_are_in_chinese_by_default(cast):
    assert Client().get("/api/tasks").json()["detail"].startswith("请先登录")
    client = api_as(cast.outsider)
    assert client.get(f"/api/tasks/{cast.key.pk}").json() == {"detail": "没有找到，或您无权查看。"}
    assert client.get("/api/tasks?page=0").json() == {"detail": {"page": ["不能小于 1。"]}}
    assert client.get("/api/tasks?status=nonsense").json()["detail"]["status"][0].startswith("须为以下之一：")
    denied = api_as(cast.caizheng_staff).post(
        f"/api/tasks/{cast.key.pk}/steps/sign_off", {}, content_type="application/json"
    )
    assert denied.status_code == 403 and denied.json() == {"detail": "您无权执行此操作。"}
    unreadable = client.post("/api/tasks", "{not json", content_type="application/json")
    assert unreadable.status_code == 400 and unreadable.json()["detail"].startswith("无法读取请求内容")


@pytest.mark.parametrize("language", ["en", "en-US,en;q=0.9", "en-GB;q=0.8,fr;q=0.9"])
def test_a_program_asking_for_english_gets_english(cast, language):
    assert (
        Client(headers={"Accept-Language": language}).get("/api/tasks").json()["detail"].startswith("Sign in")
    )
    client = api_as(cast.outsider, **{"Accept-Language": language})
    assert client.get(f"/api/tasks/{cast.key.pk}").json() == {"detail": "Not found, or you may not see it."}
    assert client.get("/api/tasks?page=0").json() == {"detail": {"page": ["Must be at least 1."]}}
    created = client.post("/api/tasks", {"plan": cast.plan.pk}, content_type="application/json")
    assert created.json()["detail"]["title"] == ["Required."]


def test_the_language_cookie_wins_and_an_unknown_language_falls_back_to_chinese(cast):
    client = api_as(cast.outsider, **{"Accept-Language": "en"})
    client.cookies["django_language"] = "zh-hans"
    assert client.get(f"/api/tasks/{cast.key.pk}").json()["detail"] == "没有找到，或您无权查看。"
    assert api_as(cast.outsider, **{"Accept-Language": "fr"}).get("/api/tasks?page=0").json()["detail"][
        "page"
    ] == ["不能小于 1。"]


def test_someone_elses_row_and_a_missing_row_get_the_same_answer_in_either_language(cast):
    for language in ("zh-hans", "en"):
        client = api_as(cast.outsider, **{"Accept-Language": language})
        for kind in ("tasks", "notices", "commitments", "activities", "reminders", "bulletins"):
            assert client.get(f"/api/{kind}/{10**9}").json() == client.get(f"/api/tasks/{cast.key.pk}").json()


def test_the_pages_still_ignore_the_browsers_accept_language(cast):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(cast.viewer)
    assert client.get("/").headers["Content-Language"] == "zh-hans"
