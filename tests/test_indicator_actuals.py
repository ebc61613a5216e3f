"""Actuals are entered by the indicator's owner unit, one period with evidence or a whole table."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.indicators.actions import import_actuals, parse_period, parse_value, record_actual
from luoshi.indicators.models import Indicator, IndicatorActual


@pytest.fixture
def throughput(cast):
    return Indicator.objects.create(
        plan=cast.plan,
        name="港口货物吞吐量",
        unit="吨",
        owner_unit=cast.caizheng,
        baseline_value=2e8,
        baseline_date=dt.date(2023, 12, 31),
    )


def csv_file(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("actuals.csv", text.encode(encoding), content_type="text/csv")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-09-30", dt.date(2026, 9, 30)),
        ("2026年9月", dt.date(2026, 9, 30)),
        ("2026-02", dt.date(2026, 2, 28)),
        ("2026年第三季度", dt.date(2026, 9, 30)),
        ("2025Q4", dt.date(2025, 12, 31)),
        ("2025年", dt.date(2025, 12, 31)),
    ],
)
def test_periods_are_read_the_way_people_write_them(text, day):
    assert parse_period(text) == day


def test_values_may_carry_a_prefixed_unit():
    assert parse_value("2.5亿吨", "吨") == 250_000_000
    assert parse_value("1,200", "吨") == 1200
    with pytest.raises(ValueError):
        parse_value("很多", "吨")


def test_the_owner_unit_enters_and_corrects_a_period_with_evidence(cast, throughput):
    evidence = SimpleUploadedFile("统计快报.pdf", b"%PDF-1.4")
    record_actual(
        cast.caizheng_staff, throughput, period_end=dt.date(2026, 9, 30), value=2.6e8, evidence=evidence
    )
    record_actual(cast.caizheng_manager, throughput, period_end=dt.date(2026, 9, 30), value=2.7e8)
    actual = IndicatorActual.objects.get()
    assert (actual.value, actual.entered_by) == (2.7e8, cast.caizheng_manager)
    assert actual.evidence.name.endswith(".pdf")
    assert actual.history.count() == 2  # the correction is audited


@pytest.mark.parametrize("role", ["jingfa_manager", "leader", "viewer", "outsider"])
def test_other_units_cannot_enter_actuals(cast, throughput, role):
    with pytest.raises(PermissionDenied):
        record_actual(getattr(cast, role), throughput, period_end=dt.date(2026, 9, 30), value=1)


def test_a_future_period_is_refused(cast, throughput):
    with pytest.raises(Exception, match="晚于今天"):
        record_actual(cast.caizheng_staff, throughput, period_end=dt.date(2027, 3, 31), value=1)


def test_a_csv_in_gbk_imports_every_row(cast, throughput):
    result = import_actuals(
        cast.caizheng_staff,
        throughput,
        csv_file("统计期末,实际值,说明\n2025年,2.3亿,年报\n2026-06-30,250000000,\n", "gb18030"),
    )
    assert result.errors == []
    assert list(IndicatorActual.objects.values_list("period_end", "value")) == [
        (dt.date(2025, 12, 31), 230_000_000),
        (dt.date(2026, 6, 30), 250_000_000),
    ]


def test_an_excel_table_imports_too(cast, throughput):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["期末", "数值"])
    book.active.append([dt.datetime(2026, 3, 31), 240000000])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("a.xlsx", data.getvalue())
    assert len(import_actuals(cast.caizheng_staff, throughput, upload).saved) == 1


def test_one_bad_row_means_nothing_is_imported_and_every_error_is_named(cast, throughput):
    result = import_actuals(
        cast.caizheng_staff,
        throughput,
        csv_file("统计期末,实际值\n2025年,2.3亿\n明年,1\n2025-12-31,2\n2026-06-30,多\n"),
    )
    assert result.saved == [] and not IndicatorActual.objects.exists()
    assert [e.split("：")[0] for e in result.errors] == ["第3行", "第4行", "第5行"]


def test_a_table_without_the_needed_columns_is_refused(cast, throughput):
    with pytest.raises(Exception, match="找不到表头"):
        import_actuals(cast.caizheng_staff, throughput, csv_file("a,b\n1,2\n"))


def test_the_indicator_page_offers_entry_only_to_the_owner_unit_and_refuses_forged_posts(cast, throughput):
    url = reverse("indicator_detail", args=[throughput.pk])
    post = reverse("indicator_actual", args=[throughput.pk])
    owner, other = Client(), Client()
    owner.force_login(cast.caizheng_staff)
    other.force_login(cast.jingfa_staff)
    assert 'id="enter-actuals"' in owner.get(url).content.decode()
    assert 'id="enter-actuals"' not in other.get(url).content.decode()
    data = {"period_end": "2026-09-30", "value": "2.6亿吨", "note": "快报"}
    assert other.post(post, data).status_code == 403
    assert not IndicatorActual.objects.exists()
    assert owner.post(post, data).status_code == 302
    assert IndicatorActual.objects.get().value == 260_000_000
    imported = owner.post(
        reverse("indicator_import", args=[throughput.pk]),
        {"file": csv_file("统计期末,实际值\n2026-06-30,2.5亿\n")},
    )
    assert imported.status_code == 302 and IndicatorActual.objects.count() == 2


def test_programs_enter_actuals_through_the_api_and_other_units_are_refused(cast, throughput):
    from luoshi.core.models import ApiToken

    url = f"/api/indicators/{throughput.pk}/actuals"
    data = {"period_end": "2026-09-30", "value": "2.6亿", "note": "快报"}
    _t, other = ApiToken.issue(cast.jingfa_staff, "t")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other}").post(url, data).status_code == 403
    _t, owner = ApiToken.issue(cast.caizheng_staff, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {owner}")
    created = client.post(url, data)
    assert created.status_code == 201 and created.json()["value"] == 260_000_000
    assert client.post(url, {**data, "value": "很多"}).status_code == 422
    assert client.post(url, {**data, "period_end": "2030-01-01"}).status_code == 422
