"""Indicator and project pages: the figures the indicator and portfolio code computes, for every signed-in person."""

import json
import re

import pytest
from django.urls import reverse

from luoshi.projects.models import Project
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def test_the_indicator_list_gives_each_light_latest_actual_and_next_verdict(scene):
    html = client_for(scene.cast.outsider).get(reverse("indicator_list")).content.decode()
    row = re.search(r"港口货物吞吐量.*?</tr>", html, re.S).group(0)
    assert "2.52亿吨" in row and "明显落后" in row and "预计完不成" in row and "3亿吨" in row


def test_the_indicator_page_draws_actuals_against_trajectory_with_the_forecast(scene):
    html = (
        client_for(scene.cast.viewer)
        .get(reverse("indicator_detail", args=[scene.containers.pk]))
        .content.decode()
    )
    chart = json.loads(
        re.search(r'<script id="indicator-chart" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert chart["actual"] == [["2024-12-31", 560000.0], ["2025-12-31", 610000.0]]
    assert ["2029-12-31", 2000000.0] in chart[
        "targets"
    ]  # 翻一番 of the 2026 target, resolved by the indicator code
    assert chart["forecasts"] and all(len(f) == 5 for f in chart["forecasts"])
    assert "200万标箱" in html


def test_the_project_list_filters_by_state_and_year_and_rolls_up(scene):
    client = client_for(scene.cast.leader)
    html = client.get(reverse("project_list"), {"state": "late_start"}).content.decode()
    assert "铁路专用线一期" in html and "临港化工新材料产业园" not in html
    html = client.get(reverse("project_list"), {"state": "behind"}).content.decode()
    assert "集装箱码头扩建" in html and "铁路专用线一期" not in html
    html = client.get(reverse("project_list")).content.decode()
    assert "173亿元" in html  # the total, as the portfolio rollups sum it


def test_the_project_page_shows_stages_and_yearly_investment(scene):
    html = (
        client_for(scene.cast.viewer).get(reverse("project_detail", args=[scene.project.pk])).content.decode()
    )
    assert "按期开工" in html and "2025-02-20" in html and "竣工" in html
    assert '<script id="project-chart" type="application/json">' in html


def table_of(html: str, marker: str) -> list[list[str]]:
    """The header and body cells of the table whose tag contains `marker`, as text."""
    table = re.search(rf"<table[^>]*{marker}.*?</table>", html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_each_money_table_says_its_one_unit_and_writes_every_amount_in_it(scene):
    client = client_for(scene.cast.leader)
    projects = table_of(client.get(reverse("project_list")).content.decode(), 'id="project-table"')
    header, body = projects[0], projects[1:]
    assert (
        header[3] == "总投资（亿元）" and header[4] == "完成投资（亿元）"
    )  # the largest project passes 1 亿
    amounts = [row[3] for row in body] + [row[4] for row in body]
    assert amounts and all(
        re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", a) for a in amounts
    )  # never 万 and 亿 mixed
    largest = Project.objects.order_by("-total_investment").first()
    assert body[0][3] == f"{float(largest.total_investment) / 10_000:,.2f}"

    years = table_of(
        client.get(reverse("project_detail", args=[scene.project.pk])).content.decode(), "compact"
    )
    planned = [float(y.planned_investment) for y in scene.project.years.all()]
    unit = "亿元" if max(planned) >= 10_000 else "万元"
    assert years[0][1] == f"计划投资（{unit}）"
    client.cookies["django_language"] = "en"
    assert "Total investment (100m yuan)" in client.get(reverse("project_list")).content.decode()
