"""The cockpit: every figure is the count of the list behind its link, for what the person may see."""

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.progress.actions import report_progress
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def embedded(html: str, element_id: str):
    return json.loads(
        re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def tiles(html: str) -> dict[str, tuple[int, str]]:
    found = re.findall(
        r'<a class="kpi light-(\w+)" href="([^"]+)" data-light="\w+">.*?<span class="value">(\d+)</span>',
        html,
        re.S,
    )
    return {light: (int(count), unescape(url)) for light, url, count in found}


def matches_behind(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    found = re.search(r"符合条件的任务 (\d+) 项", html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("role", ["supervisor", "leader", "jingfa_manager"])
def test_each_light_tile_counts_the_tasks_its_link_lists(scene, role):
    client = client_for(getattr(scene.cast, role))
    shown = tiles(client.get(reverse("cockpit")).content.decode())
    assert set(shown) == {"green", "yellow", "red", "returned", "overdue", "done"}
    for light, (count, url) in shown.items():
        assert matches_behind(client, url) == count, light


def test_a_leader_sees_the_units_they_oversee(scene):
    html = client_for(scene.cast.leader).get(reverse("cockpit")).content.decode()
    units = {row["name"] for row in embedded(html, "unit-rows")}
    assert units == {"财政局"}  # the leader oversees 财政局 only
    supervisor = client_for(scene.cast.supervisor).get(reverse("cockpit")).content.decode()
    assert {row["name"] for row in embedded(supervisor, "unit-rows")} == {"财政局", "经发局"}


def test_each_bar_links_to_the_units_tasks_of_that_light(scene):
    client = client_for(scene.cast.supervisor)
    rows = embedded(client.get(reverse("cockpit")).content.decode(), "unit-rows")
    for row in rows:
        for light in ("overdue", "red", "yellow"):
            assert matches_behind(client, row["urls"][light]) == row[light], (row["name"], light)


def test_indicators_come_with_their_trajectory_targets_and_forecast(scene):
    html = client_for(scene.cast.viewer).get(reverse("cockpit")).content.decode()
    charts = {c["name"]: c for c in embedded(html, "indicator-charts")}
    port = charts["港口货物吞吐量"]
    assert port["actual"] == [["2024-12-31", 2.35e8], ["2025-12-31", 2.52e8]]
    assert port["planned"][0] == ["2023-12-31", 2.1e8]
    assert ["2026-12-31", 3e8] in port["targets"]
    assert port["forecasts"] and port["url"] == reverse("indicator_detail", args=[scene.port.pk])
    assert next(iter(charts)) != "新增高新技术企业"  # the worst first; that one is on track


def test_the_portfolio_figures_and_their_links(scene):
    html = client_for(scene.cast.supervisor).get(reverse("cockpit")).content.decode()
    years = embedded(html, "investment-years")
    assert [y["year"] for y in years] == [2025, 2026, 2027]
    assert years[0]["planned"] == pytest.approx((850000 + 320000 + 560000) * 0.2 * 1e4)
    assert "173亿元" in html  # 1,730,000 万元 of total investment
    assert "state=behind" in html


def test_the_plan_progress_moves_when_a_unit_reports(scene, frozen_today):
    c = scene.cast
    client = client_for(c.leader)

    def progress() -> float:
        html = client.get(reverse("cockpit")).content.decode()
        return float(re.search(r'id="plan-progress">.*?data-value="([\d.]+)"', html, re.S).group(1))

    before = progress()
    report_progress(
        c.caizheng_staff, c.measure, percent=90, narrative="已报送", reported_on=dt.date(2026, 11, 27)
    )
    assert progress() > before


def test_the_cockpit_prints_without_its_controls(scene):
    css = (Path(__file__).resolve().parents[1] / "luoshi/static/luoshi/app.css").read_text(encoding="utf-8")
    media = css[css.index("@media print") :]
    assert ".topbar" in media and "display:none" in media
