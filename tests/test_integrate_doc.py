"""docs/integrate.md is true: every curl command on it runs against a live server and is answered as the
page prints it; the webhook body it shows is what a subscriber gets, and its receiver's check accepts
Luoshi's signature and nothing else."""

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from luoshi.bulletins import actions as bulletin_actions
from luoshi.bulletins.compose import parse_period
from luoshi.core.models import ApiToken
from luoshi.hooks.models import HookDelivery, HookSubscription
from luoshi.hooks.sending import signature
from luoshi.notices.actions import issue_notice
from luoshi.plans import actions
from luoshi.plans.models import Task, TaskStatus
from luoshi.scoring.models import ScoreEntry, ScoreReason
from tests.cast import make_task
from tests.conftest import TODAY

DOC = Path(__file__).resolve().parent.parent / "docs" / "integrate.md"
#: A curl command, and the JSON answer printed under it, if any.
EXAMPLE = re.compile(r"```sh\n(curl .*?)\n```\s*(?:```json\n(.*?)\n```)?", re.S)


def examples() -> list[tuple[str, Any]]:
    return [
        (command, json.loads(answer) if answer else None)
        for command, answer in EXAMPLE.findall(DOC.read_text())
    ]


def assert_shaped_like(printed: Any, actual: Any, where: str = "answer") -> None:
    """Every key the page prints is in the real answer, at every depth; a printed list's first item is
    shaped like the real list's first item; printed words are not compared (they vary by data)."""
    if isinstance(printed, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in printed.items():
            assert key in actual, f"{where}: no {key!r} in {sorted(actual)}"
            assert_shaped_like(value, actual[key], f"{where}.{key}")
    elif isinstance(printed, list) and printed:
        assert isinstance(actual, list) and actual, f"{where}: expected a non-empty list, got {actual!r}"
        assert_shaped_like(printed[0], actual[0], f"{where}[0]")


@pytest.fixture
def server(cast, transactional_db, live_server):
    """The sample world the page's answers come from: an overdue task of 财政局, a published bulletin, a
    督办单, a score; and a token of 财政局's manager."""
    make_task(cast.plan, "编制港口物流规划", cast.caizheng, cast.key, deadline=TODAY - dt.timedelta(days=7))
    bulletin = bulletin_actions.draft_bulletin(
        cast.supervisor, plan=cast.plan, period=parse_period("2026-10")
    )
    bulletin = bulletin_actions.publish_bulletin(
        cast.supervisor, bulletin_actions.review_bulletin(cast.supervisor, bulletin)
    )
    issue_notice(
        cast.supervisor, cast.key, severity="yellow", reason="进度滞后", reply_by=TODAY + dt.timedelta(days=7)
    )
    ScoreEntry.objects.create(
        key="doc:1",
        plan=cast.plan,
        unit=cast.caizheng,
        task=cast.key,
        reason=ScoreReason.ON_TIME,
        points=5,
        occurred_on=TODAY,
        note="按时办结",
        source=cast.key,
        posted_at=cast.key.created_at,
    )
    return {
        "LUOSHI": live_server.url,
        "TOKEN": ApiToken.issue(cast.caizheng_manager, "对接")[1],
        "TASK": str(cast.key.pk),
        "BULLETIN": str(bulletin.pk),
        "PLAN": str(cast.plan.pk),
    }


def test_every_curl_command_of_the_page_gets_the_answer_it_prints(server, tmp_path):
    found = examples()
    assert len(found) >= 10
    for command, printed in found:
        run = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env={**os.environ, **server},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 0, f"{command}\n{run.stderr}"
        if printed is None:  # a download: the file it names
            [name] = re.findall(r"-o (\S+)", command)
            assert (tmp_path / name).read_bytes().startswith(b"%PDF"), command
        else:
            assert_shaped_like(printed, json.loads(run.stdout), command)
    assert Task.objects.get(pk=server["TASK"]).comments.get().body == "请示已报省财政厅"


def test_the_webhook_body_on_the_page_is_what_a_subscriber_receives(cast):
    HookSubscription.objects.create(name="市督查平台", url="https://example.gov.cn/hook")
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.CLOSING_REQUESTED)
    actions.sign_off(cast.supervisor, Task.objects.get(pk=cast.measure.pk))
    [printed] = [
        json.loads(block)
        for block in re.findall(r"```json\n(.*?)\n```", DOC.read_text(), re.S)
        if '"event": "task.closed"' in block
    ]
    assert_shaped_like(printed, HookDelivery.objects.get().payload)


def test_the_receivers_check_on_the_page_accepts_luoshis_signature_and_nothing_else():
    [code] = re.findall(r"```python\n(.*?)\n```", DOC.read_text(), re.S)
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the page's own code, as a receiver would paste it
    is_from_luoshi = namespace["is_from_luoshi"]
    body, now = b'{"event":"task.closed"}', int(dt.datetime.now().timestamp())
    headers = {"X-Luoshi-Timestamp": str(now), "X-Luoshi-Signature": signature("secret", now, body)}
    assert is_from_luoshi("secret", headers, body)
    assert not is_from_luoshi("other", headers, body)
    assert not is_from_luoshi("secret", headers, body.replace(b"closed", b"overdue"))
    old = now - 3600
    assert not is_from_luoshi(
        "secret", {"X-Luoshi-Timestamp": str(old), "X-Luoshi-Signature": signature("secret", old, body)}, body
    )
