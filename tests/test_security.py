"""Sign-in and session safety: production settings, login throttling, password policy and change, idle
sign-out, the Content-Security-Policy, and API tokens that expire and that their owner can revoke."""

import datetime as dt
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from luoshi.core.models import ApiToken
from tests.cast import PASSWORD

SETTINGS_FILE = Path(settings.BASE_DIR) / "settings.py"
TEMPLATES = Path(settings.BASE_DIR)


def settings_with(monkeypatch, tmp_path, **env: str) -> dict:
    """The settings module's values as they would be read with `env`."""
    monkeypatch.setenv("LUOSHI_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_with_debug_is_refused_at_start_up(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="LUOSHI_DEBUG"):
        settings_with(
            monkeypatch, tmp_path, LUOSHI_PRODUCTION="true", LUOSHI_DEBUG="true", LUOSHI_SECRET_KEY="k" * 50
        )
    env = {
        **os.environ,
        "LUOSHI_PRODUCTION": "true",
        "LUOSHI_DEBUG": "true",
        "LUOSHI_SECRET_KEY": "k" * 50,
        "LUOSHI_DATA_DIR": str(tmp_path),
    }
    started = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert started.returncode != 0 and "LUOSHI_DEBUG=true is refused" in started.stderr


def test_the_allowed_hosts_are_trusted_https_origins_and_the_proxy_header_is_believed(monkeypatch, tmp_path):
    values = settings_with(
        monkeypatch,
        tmp_path,
        LUOSHI_PRODUCTION="true",
        LUOSHI_SECRET_KEY="k" * 50,
        LUOSHI_ALLOWED_HOSTS="luoshi.example.gov.cn,.park.gov.cn",
    )
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://luoshi.example.gov.cn", "https://*.park.gov.cn"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    direct = settings_with(monkeypatch, tmp_path, LUOSHI_TRUST_X_FORWARDED_PROTO="false")
    assert "SECURE_PROXY_SSL_HEADER" not in direct


def login(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_wrong_passwords_lock_the_username_from_that_address_only(cast):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "supervisor", "wrong-password-1").status_code == 200
    assert login(client, "supervisor", "wrong-password-1").status_code == 429  # the last failure locks
    locked = login(client, "supervisor", PASSWORD)
    assert locked.status_code == 429 and "暂时不能登录" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = Client()
    assert login(elsewhere, "supervisor", PASSWORD, address="10.0.0.8").status_code == 302


def test_behind_the_proxy_failures_count_per_browser_address(cast, settings):
    settings.TRUST_PROXY_HEADER = True
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "leader", "password": "nope-nope-nope"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        reverse("login"),
        {"username": "leader", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302  # another browser behind the same proxy is not locked out


@pytest.mark.parametrize("password", ["short-pw-1", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_person_changes_their_own_password(cast):
    client = Client()
    client.force_login(cast.jingfa_staff)
    assert "修改密码" in client.get(reverse("password_change")).content.decode()
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    new = "港口-转型-升级-2026"
    done = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    cast.jingfa_staff.refresh_from_db()
    assert cast.jingfa_staff.check_password(new)
    assert Client().get(reverse("password_change")).status_code == 302  # strangers are sent to log in


def test_an_idle_session_is_signed_out(cast, settings):
    client = Client()
    client.force_login(cast.leader)
    assert client.get(reverse("task_list")).status_code == 200
    session = client.session
    session["seen_at"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    badge = client.get(
        reverse("notification_badge"), headers={"HX-Trigger": "inbox-badge", "HX-Request": "true"}
    )
    assert badge.status_code in (200, 302, 401)
    response = client.get(reverse("task_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_carry_a_content_security_policy_and_no_template_uses_inline_script(cast):
    client = Client()
    client.force_login(cast.supervisor)
    policy = client.get(reverse("task_list"))["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self';" in policy
        and "frame-ancestors 'none'" in policy
    )
    inline = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        inline += [
            f"{template.name}: <script>"
            for m in re.findall(r"<script(?![^>]*(?:src=|application/json))", text)
        ]
    assert inline == []


def test_an_expired_token_is_refused(cast):
    token, raw = ApiToken.issue(cast.leader, "数据对接", days=30)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client(headers=headers).get("/api/people/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client(headers=headers).get("/api/people/me").status_code == 401


def test_the_owner_lists_and_revokes_their_tokens_and_nobody_elses(cast):
    mine, raw = ApiToken.issue(cast.leader, "月报导出")
    theirs, _raw = ApiToken.issue(cast.supervisor, "督查对接")
    client = Client()
    client.force_login(cast.leader)
    page = client.get(reverse("token_list")).content.decode()
    assert "月报导出" in page and mine.prefix in page and "督查对接" not in page
    assert client.post(reverse("token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("token_revoke", args=[mine.pk])).status_code == 302
    assert not ApiToken.objects.filter(pk=mine.pk).exists() and ApiToken.objects.filter(pk=theirs.pk).exists()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/people/me").status_code == 401
    assert client.get(reverse("token_revoke", args=[theirs.pk])).status_code == 405
    assert Client().get(reverse("token_list")).status_code == 302
