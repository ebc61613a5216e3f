"""The load of issue 13 for locust: 80% reads (the cockpit among them), 20% progress reports.

Run by bench/scale_load.py, which prepares the plan and says where through the environment:
LUOSHI_LOAD_INFO (the prepared plan, people and tokens, as JSON) and LUOSHI_LOAD_WRITES (where every
report the server accepted is written down, so that it can be looked for in the database afterwards).
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

INFO = json.loads(Path(os.environ["LUOSHI_LOAD_INFO"]).read_text(encoding="utf-8"))
ACCEPTED: list[dict] = []


@events.test_stop.add_listener
def _write_down(**_kwargs) -> None:
    Path(os.environ["LUOSHI_LOAD_WRITES"]).write_text(json.dumps(ACCEPTED), encoding="utf-8")


class Person(HttpUser):
    """Someone at a desk: reads pages and the API, and now and then reports progress."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        # Signed in beforehand (bench/scale_load.py), so password hashing is not part of the load.
        self.client.cookies.set("sessionid", INFO["session"])
        self.api = {"Authorization": f"Bearer {INFO['token']}"}
        self.plan = INFO["plan_id"]

    @task(10)
    def cockpit(self) -> None:
        self.client.get(f"/cockpit/?plan={self.plan}", name="cockpit")

    @task(15)
    def tree(self) -> None:
        self.client.get(f"/tasks/?plan={self.plan}", name="task tree")

    @task(20)
    def task_page(self) -> None:
        self.client.get(f"/tasks/{random.choice(INFO['task_ids'])}/", name="task page")

    @task(20)
    def task_list(self) -> None:
        self.client.get(
            f"/api/tasks?plan={self.plan}&page={random.randint(1, 20)}", headers=self.api, name="list API"
        )

    @task(5)
    def subtree(self) -> None:
        self.client.get(
            f"/api/tasks/{random.choice(INFO['key_ids'])}/subtree", headers=self.api, name="subtree JSON"
        )

    @task(10)
    def plan(self) -> None:
        self.client.get(f"/api/plans/{self.plan}", headers=self.api, name="plan API")

    @task(20)
    def report(self) -> None:
        writer = random.choice(INFO["writers"])
        task_id = random.choice(writer["tasks"])
        percent = random.randint(0, 100)
        with self.client.post(
            f"/api/tasks/{task_id}/reports",
            name="progress report",
            catch_response=True,
            headers={"Authorization": f"Bearer {writer['token']}"},
            # A random percent is often below the last one, which needs a reason (ignored otherwise).
            data={"percent": percent, "narrative": "压力测试报送", "reason": "压力测试：随机进度"},
        ) as response:
            if response.status_code == 201:
                ACCEPTED.append({"id": response.json()["id"], "task_id": task_id, "percent": percent})
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
