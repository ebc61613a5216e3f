"""Who the API lets in: bearer tokens for programs, sessions (with CSRF) for pages; the schema and the
docs are served from this server only; `luoshi token` issues a key."""

import datetime as dt
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.plans.models import Comment


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_acts_as_its_person_and_records_its_last_use(cast):
    token, raw = ApiToken.issue(cast.caizheng_manager, "报表脚本")
    response = Client(headers=bearer(raw)).get("/api/people/me")
    assert response.status_code == 200 and response.json()["username"] == "caizheng_manager"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("not-a-token"),
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
    ],
)
def test_no_token_or_a_wrong_one_is_401(cast, headers):
    assert Client(headers=headers).get("/api/tasks").status_code == 401


def test_a_wrong_token_is_401_even_for_a_write(cast):
    response = Client(headers=bearer("not-a-token")).post(
        f"/api/tasks/{cast.key.pk}/comments", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_token_of_a_deactivated_person_stops_working(cast):
    _, raw = ApiToken.issue(cast.caizheng_staff, "旧脚本")
    cast.caizheng_staff.is_active = False
    cast.caizheng_staff.save()
    assert Client(headers=bearer(raw)).get("/api/tasks").status_code == 401


def test_a_signed_in_session_works_for_reading(cast):
    client = Client()
    client.force_login(cast.leader)
    assert client.get("/api/people/me").json()["username"] == "leader"


def test_a_session_write_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leader)
    url = f"/api/tasks/{cast.key.pk}/comments"
    refused = client.post(url, {"body": "请抓紧"}, content_type="application/json")
    assert refused.status_code == 403 and not Comment.objects.exists()
    client.get("/api/docs")  # a page that sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        url, {"body": "请抓紧"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201 and Comment.objects.count() == 1


def test_a_token_write_needs_no_csrf_token(cast):
    client = Client(enforce_csrf_checks=True, headers=bearer(ApiToken.issue(cast.leader, "t")[1]))
    response = client.post(
        f"/api/tasks/{cast.key.pk}/comments", {"body": "已阅"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_the_schema_is_served_with_every_endpoint_described(cast):
    client = Client()
    client.force_login(cast.viewer)
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Luoshi API"
    assert {
        "/api/tasks",
        "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/steps/{step}",
        "/api/reports",
        "/api/units",
        "/api/people/me",
        "/api/indicators/{indicator_id}",
        "/api/projects/{project_id}",
    } <= set(schema["paths"])
    operations = [(path, op) for path, ops in schema["paths"].items() for op in ops.values()]
    assert all(op.get("summary") for _, op in operations)
    ids = [op["operationId"] for _, op in operations]
    assert len(ids) == len(set(ids)) and "take_step" in ids
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_the_docs_and_schema_are_for_signed_in_people_and_token_holders_only(cast):
    for url in ("/api/docs", "/api/openapi.json"):
        refused = Client().get(url)
        assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
        assert Client(headers=bearer("not-a-token")).get(url).status_code == 302
    assert (
        Client(headers=bearer(ApiToken.issue(cast.viewer, "t")[1])).get("/api/openapi.json").status_code
        == 200
    )


def test_the_docs_page_loads_everything_from_this_server(cast):
    client = Client()
    client.force_login(cast.viewer)
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/openapi.json" in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html), "the docs page must not use a CDN"
    # A word, not any three letters: the page's random CSRF token may hold "cdn".
    assert not re.search(r"\bcdn\b|cdn\.|jsdelivr|unpkg", html.lower())
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html):
        assert Client().get(asset).status_code == 200, asset


def test_the_token_command_prints_a_key_that_works(cast):
    out = StringIO()
    call_command("token", "--user", "jingfa_staff", "--name", "数据对接", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert ApiToken.objects.get(person=cast.jingfa_staff).name == "数据对接"
    assert raw not in ApiToken.objects.values_list("key_hash", flat=True)  # only the hash is kept
    assert Client(headers=bearer(raw)).get("/api/people/me").json()["username"] == "jingfa_staff"


def test_the_token_command_refuses_unknown_and_inactive_people(cast):
    with pytest.raises(CommandError):
        call_command("token", "--user", "nobody", "--name", "x", stdout=StringIO())
    cast.outsider.is_active = False
    cast.outsider.save()
    with pytest.raises(CommandError):
        call_command("token", "--user", "outsider", "--name", "x", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_a_tokens_last_use_is_written_at_most_once_a_minute_not_on_every_read(cast, frozen_today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luoshi.core import clock

    token, raw = ApiToken.issue(cast.caizheng_manager, "报表脚本")
    client = Client(headers=bearer(raw))
    assert client.get("/api/people/me").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first == clock.now()

    def writes() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/people/me").status_code == 200
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]

    # A second read in the same minute changes nothing: the one conditional UPDATE every read sends
    # (so that a read costs the same queries whenever it comes) matches no row within the minute.
    (update,) = writes()
    assert "last_used_at" in update and "WHERE" in update
    token.refresh_from_db()
    assert token.last_used_at == first
    later = first + dt.timedelta(seconds=61)
    with mock.patch.object(clock, "now", lambda: later):
        assert len(writes()) == 1
    token.refresh_from_db()
    assert token.last_used_at == later
