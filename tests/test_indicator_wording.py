"""Indicator targets and forecasts read as the plan says them."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from luoshi.indicators.models import Comparator, Indicator, IndicatorActual, IndicatorTarget, TargetKind
from luoshi.indicators.wording import amount

D = dt.date


def test_counts_are_whole_numbers_and_other_values_keep_their_decimals():
    assert amount(204.17, "家") == "204家"
    assert amount(3.5, "%") == "3.5%"
    assert amount(300000000, "吨") == "3亿吨"


def test_the_indicator_page_states_targets_as_the_plan_does(cast):
    province = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.jingfa, name="全省地区生产总值增速", unit="%"
    )
    growth = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.jingfa, name="地区生产总值增速", unit="%"
    )
    IndicatorActual.objects.create(indicator=province, period_end=D(2024, 12, 31), value=5.0)
    for year in (2024, 2025):
        IndicatorTarget.objects.create(
            indicator=growth,
            due_date=D(year, 12, 31),
            kind=TargetKind.RELATIVE,
            value=2.5,
            reference_indicator=province,
        )
    output = Indicator.objects.create(
        plan=cast.plan,
        owner_unit=cast.jingfa,
        name="规上工业增加值",
        unit="亿元",
        baseline_value=100,
        baseline_date=D(2023, 12, 31),
    )
    IndicatorTarget.objects.create(
        indicator=output, due_date=D(2024, 12, 31), kind=TargetKind.MULTIPLE, value=1.05
    )
    energy = Indicator.objects.create(
        plan=cast.plan,
        owner_unit=cast.jingfa,
        name="单位GDP能耗",
        unit="吨标准煤",
        baseline_value=1.0,
        baseline_date=D(2023, 12, 31),
        direction="lower",
    )
    IndicatorTarget.objects.create(
        indicator=energy,
        due_date=D(2024, 12, 31),
        kind=TargetKind.MULTIPLE,
        value=0.965,
        comparator=Comparator.AT_MOST,
    )
    client = Client()
    client.force_login(cast.supervisor)
    page = client.get(reverse("indicator_detail", args=[growth.pk])).content.decode()
    assert (
        "≥ 全省地区生产总值增速 + 2.5 个百分点（即 ≥ 7.5%）" in page
    )  # 2024: the province's figure is known
    assert "≥ 全省地区生产总值增速 + 2.5 个百分点 <small" in page  # 2025: not yet, and no "≥ —"
    assert "≥ —" not in page
    assert (
        "较基期增长 5%（即 ≥ 105亿元）"
        in client.get(reverse("indicator_detail", args=[output.pk])).content.decode()
    )
    assert "较基期下降 3.5%" in client.get(reverse("indicator_detail", args=[energy.pk])).content.decode()


def test_a_relative_targets_forecast_gives_the_indicators_own_value_beside_its_margin(cast):
    province = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.jingfa, name="全省地区生产总值增速", unit="%"
    )
    growth = Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.jingfa, name="地区生产总值增速", unit="%"
    )
    for year, ours, theirs in ((2022, 8.0, 5.0), (2023, 9.0, 6.0), (2024, 10.0, 7.0)):
        IndicatorActual.objects.create(indicator=growth, period_end=D(year, 12, 31), value=ours)
        IndicatorActual.objects.create(indicator=province, period_end=D(year, 12, 31), value=theirs)
    IndicatorTarget.objects.create(
        indicator=growth,
        due_date=D(2026, 12, 31),
        kind=TargetKind.RELATIVE,
        value=2.5,
        reference_indicator=province,
    )
    client = Client()
    client.force_login(cast.supervisor)
    page = client.get(reverse("indicator_detail", args=[growth.pk])).content.decode()
    assert "12%（高于参照 3 个百分点）" in page  # its own growth two years on, and the margin it keeps
    assert "3 ~ 3 个百分点" in page  # the interval is of the margin, in points, not a growth rate
    listing = client.get(reverse("indicator_list"), {"plan": cast.plan.pk}).content.decode()
    assert "12%（高于参照 3 个百分点）" in listing
