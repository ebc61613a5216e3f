"""The API's JSON (luoshi.core.api_json): written by orjson, with the values Django's encoder gave."""

import datetime as dt
import json
import re
import zoneinfo
from decimal import Decimal

from django.test import Client
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from luoshi.core.api_json import dumps
from luoshi.core.models import ApiToken
from luoshi.plans.models import TaskStatus


def test_values_are_written_as_django_s_encoder_wrote_them():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    data = {
        "utc": dt.datetime(2026, 12, 6, 19, 23, 42, 123456, tzinfo=dt.UTC),
        "local": dt.datetime(2026, 12, 7, 3, 23, 42, 5, tzinfo=shanghai),
        "whole second": dt.datetime(2026, 12, 7, 3, 23, 42, tzinfo=dt.UTC),
        "day": dt.date(2026, 2, 28),
        "time": dt.time(9, 30, 15, 250000),
        "words": gettext_lazy("已办结"),
        "status": TaskStatus.CLOSED,
        "amount": Decimal("12.50"),
        "nested": [{"title": "港口集疏运体系建设", "progress": 62.5, "none": None}],
    }
    assert json.loads(dumps(data)) == json.loads(json.dumps(data, cls=NinjaJSONEncoder))
    assert json.loads(dumps(data))["utc"] == "2026-12-06T19:23:42.123Z"


def test_responses_carry_chinese_as_utf8_and_datetimes_to_the_millisecond(cast):
    token = ApiToken.issue(cast.supervisor, "test")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    for url in (f"/api/tasks/{cast.key.pk}", f"/api/tasks/{cast.area.pk}/subtree"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert cast.key.title.encode() in response.content  # not \\u escapes
        body = response.json()
        updated = body["updated_at"] if "updated_at" in body else body["tasks"][0]["updated_at"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", updated), updated
