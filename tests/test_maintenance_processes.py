"""The restore's maintenance flag lives in the data folder, so every `luoshi serve` worker process — not only
the process running the restore — answers 503 while it runs, and all answer normally afterwards."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from luoshi.core.maintenance import maintenance
from tests.test_proxy import free_port, wait_for

LUOSHI = [sys.executable, "-m", "luoshi.cli"]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def served(tmp_path, settings):
    """`luoshi serve` with two worker processes on a data folder of its own; this process shares the folder."""
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(tmp_path),
        "LUOSHI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LUOSHI_PRODUCTION": "false",
        "LUOSHI_DEBUG": "false",
    }
    # No migrate: the sign-in page and the 503 read no table, and a migration run would cost a minute.
    port = free_port()
    # Started from another directory: the data folder is found from the setting, not the working directory.
    app = subprocess.Popen(
        [*LUOSHI, "serve", "--port", str(port), "--workers", "2", "--threads", "1"],
        env=env,
        cwd="/",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    settings.DATA_DIR = tmp_path
    try:
        wait_for(port, app)
        yield f"http://127.0.0.1:{port}"
    finally:
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()


def test_every_serve_worker_answers_503_while_another_process_restores(served):
    login = served + "/accounts/login/"
    assert status(login) == 200
    with maintenance():  # as `luoshi restore` raises it, from its own process
        answers = [status(login) for _ in range(12)] + [status(served + "/api/tasks")]
    assert answers == [503] * 13
    assert [status(login) for _ in range(6)] == [200] * 6
