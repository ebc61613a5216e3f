"""An integrator's client, generated from the schema by openapi-python-client, has modules named in
ASCII after the API's tags and reads and writes with typed objects against a live server."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.plans.models import Comment

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated(cast, transactional_db, live_server, tmp_path):
    """The package `luoshi_client` generated from the server's own schema, importable; and a token."""
    _token, raw = ApiToken.issue(cast.leader, "客户端")
    schema = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/openapi.json")
    (tmp_path / "openapi.json").write_bytes(schema.content)
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff
    run = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "openapi.json",
            "--meta",
            "none",
            "--output-path",
            "luoshi_client",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0 and "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    yield tmp_path / "luoshi_client", live_server.url, raw
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name.split(".")[0] == "luoshi_client"]:
        del sys.modules[name]


def test_a_generated_client_reads_and_writes_with_typed_objects(cast, generated):
    package, url, token = generated
    assert {p.name for p in (package / "api").iterdir() if p.is_dir()} >= {
        "plans",
        "progress",
        "bulletins",
        "notices",
        "supervision",
    }
    assert all(p.name.isascii() for p in (package / "api").rglob("*"))

    client_module = importlib.import_module("luoshi_client")
    list_tasks = importlib.import_module("luoshi_client.api.plans.list_tasks")
    add_comment = importlib.import_module("luoshi_client.api.plans.add_comment")
    models = importlib.import_module("luoshi_client.models")
    client = client_module.AuthenticatedClient(base_url=url, token=token)

    page = list_tasks.sync(client=client, plan=cast.plan.pk, ordering=models.ListTasksOrdering.ID)
    assert cast.key.title in [task.title for task in page.items] and page.count == len(page.items)
    key = next(task for task in page.items if task.id == cast.key.pk)
    assert key.lead_unit.name == "财政局" and isinstance(key.light, models.Light)

    comment = add_comment.sync(task_id=cast.key.pk, client=client, body=models.CommentIn(body="请加快进度"))
    assert isinstance(comment, models.CommentOut) and comment.author.name == "李副主任"
    assert Comment.objects.get(task=cast.key).body == "请加快进度"
