"""China's working-day calendar: the package's years, the office's entered years, and years nobody covers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.schedule import workdays
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.models import DayKind, HolidayYear
from luoshi.schedule.notice import (
    Notice,
    NoticeFileError,
    NoticeLine,
    format_notice,
    notice_for,
    parse_notices,
)
from luoshi.schedule.workdays import CalendarNotCovered, OfficeEntries, WorkingCalendar

D = dt.date

#: An example notice for 2027 (made up for the tests: 元旦 1–3 January off, Saturday 9 January worked).
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（测试用示例）
年份,2027
通知,示例通知
放假,元旦,2027-01-01,2027-01-03
上班,元旦,2027-01-09
"""


@pytest.fixture(autouse=True)
def _calendar_without_office_entries():
    """Each test starts with nothing entered by the office, and leaves nothing cached behind."""
    workdays.use_office_entries()
    yield
    workdays.use_office_entries()


def test_the_national_day_week_of_2025_is_off_and_its_two_weekend_days_are_worked():
    cal = WorkingCalendar()
    assert not any(cal.is_working_day(D(2025, 10, day)) for day in range(1, 9))
    assert cal.is_working_day(D(2025, 9, 28))  # a Sunday made a working day (调休)
    assert cal.is_working_day(D(2025, 10, 11))  # a Saturday made a working day (调休)
    assert not cal.is_working_day(D(2025, 10, 12))
    # 29 Sep … 12 Oct: 29, 30 Sep, 9, 10, 11 Oct
    assert cal.working_days_between(D(2025, 9, 29), D(2025, 10, 12)) == 5


def test_counting_across_years_adds_each_years_working_days():
    cal = WorkingCalendar()
    assert cal.working_days_between(D(2025, 1, 1), D(2025, 12, 31)) == 248
    both = cal.working_days_between(D(2024, 1, 1), D(2025, 12, 31))
    assert both == cal.working_days_between(D(2024, 1, 1), D(2024, 12, 31)) + 248
    assert cal.working_days_between(D(2025, 3, 1), D(2025, 2, 1)) == 0


def test_shifting_by_working_days_jumps_the_holiday_and_lands_on_make_up_days():
    cal = WorkingCalendar()
    assert cal.shift(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.shift(D(2025, 10, 10), 1) == D(2025, 10, 11)  # the 调休 Saturday
    assert cal.shift(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert cal.shift(D(2025, 9, 29), -1) == D(2025, 9, 28)  # the 调休 Sunday
    assert cal.shift(D(2025, 12, 31), 1) == D(2026, 1, 4)  # 元旦 2026 is 1–3 Jan; Sunday the 4th is worked
    assert cal.shift(D(2026, 1, 4), -1) == D(2025, 12, 31)
    assert cal.on_or_before(D(2025, 10, 5)) == D(2025, 9, 30)
    assert cal.on_or_after(D(2025, 10, 5)) == D(2025, 10, 9)


def test_shifting_agrees_with_counting_over_a_whole_year():
    cal = WorkingCalendar()
    day = D(2025, 1, 2)
    for n in (1, 7, 30, 249, 300):
        assert cal.working_days_between(day, cal.shift(day, n)) == n + 1


def test_a_year_nobody_covers_fails_with_a_clear_chinese_message():
    with pytest.raises(CalendarNotCovered) as error:
        workdays.working_days_between(D(2026, 12, 1), D(2027, 1, 31))
    assert "2027 年的节假日安排尚未录入" in str(error.value)
    assert error.value.year == 2027


def test_an_estimate_counts_monday_to_friday_for_a_year_nobody_covers():
    # January 2027: 21 weekdays
    assert workdays.working_days_between(D(2027, 1, 1), D(2027, 1, 31), estimate=True) == 21
    assert workdays.is_estimated(D(2026, 12, 1), D(2027, 1, 31))
    assert not workdays.is_estimated(D(2025, 1, 1), D(2026, 12, 31))


def test_entered_days_override_the_package_and_cover_a_new_year():
    office = OfficeEntries(
        frozenset({2027}), {D(2027, 1, 1): False, D(2027, 1, 9): True, D(2026, 12, 31): False}
    )
    cal = WorkingCalendar(office)
    assert cal.source(2027) == workdays.Source.OFFICE
    assert cal.source(2026) == workdays.Source.PACKAGE
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.is_working_day(D(2027, 1, 9))  # a Saturday
    assert not cal.is_working_day(D(2026, 12, 31))  # a notice may reach into the year before
    # January 2027: 21 weekdays, less New Year's Day, plus Saturday the 9th
    assert cal.working_days_between(D(2027, 1, 1), D(2027, 1, 31)) == 21


def test_importing_a_notice_puts_the_year_in_force_at_once(db):
    with pytest.raises(CalendarNotCovered):
        workdays.is_working_day(D(2027, 1, 4))
    (notice,) = parse_notices(NOTICE_2027)
    enter_holiday_year(None, notice)
    assert workdays.is_working_day(D(2027, 1, 4))
    assert not workdays.is_working_day(D(2027, 1, 1))
    assert workdays.is_working_day(D(2027, 1, 9))
    assert HolidayYear.objects.get(year=2027).spans.count() == 2


def test_importing_the_same_year_again_replaces_what_was_entered(db):
    enter_holiday_year(None, parse_notices(NOTICE_2027)[0])
    enter_holiday_year(None, parse_notices("年份,2027\n放假,元旦,2027-01-01\n")[0])
    assert HolidayYear.objects.get(year=2027).spans.count() == 1
    assert not workdays.is_working_day(D(2027, 1, 9))  # the Saturday is a weekend again
    assert workdays.is_working_day(D(2027, 1, 2)) is False


def test_a_bad_file_names_every_bad_line():
    text = "年份,2027\n放假,元旦,2027-13-01\n休息,元旦,2027-01-01\n上班,元旦,2027-01-06\n"
    with pytest.raises(NoticeFileError) as error:
        parse_notices(text)
    problems = "\n".join(error.value.problems)
    assert "第 2 行" in problems and "YYYY-MM-DD" in problems
    assert "第 3 行" in problems and "不认识“休息”" in problems
    assert "调休上班日 2027-01-06 不是周末" in problems


def test_a_day_listed_twice_is_refused():
    notice = Notice(
        2027,
        "",
        (
            NoticeLine(DayKind.OFF, "春节", D(2027, 2, 6), D(2027, 2, 13)),
            NoticeLine(DayKind.OFF, "春节", D(2027, 2, 13), D(2027, 2, 14)),
        ),
    )
    with pytest.raises(ValidationError):
        enter_holiday_year(None, notice)


def test_only_the_supervision_office_or_an_admin_may_enter_a_year(cast):
    notice = parse_notices(NOTICE_2027)[0]
    with pytest.raises(PermissionDenied):
        enter_holiday_year(cast.caizheng_manager, notice)
    assert enter_holiday_year(cast.admin, notice).year == 2027


def test_show_prints_a_package_year_in_the_import_format_so_it_can_be_reused(db):
    notice = notice_for(2025)
    assert notice.source == workdays.Source.PACKAGE
    text = format_notice(notice)
    assert "放假,国庆节、中秋,2025-10-01,2025-10-08" in text
    assert "上班,国庆节,2025-09-28" in text and "上班,国庆节,2025-10-11" in text
    (again,) = parse_notices(text)
    assert again.lines == notice.lines


def test_a_package_year_entered_by_the_office_counts_the_same(db):
    enter_holiday_year(None, notice_for(2025))
    assert workdays.calendar().source(2025) == workdays.Source.OFFICE
    assert workdays.working_days_between(D(2025, 1, 1), D(2025, 12, 31)) == 248


def admin_form(year: int, spans: list[tuple[str, str, str, str]]) -> dict:
    data = {
        "year": year,
        "notice": "示例通知",
        "spans-TOTAL_FORMS": len(spans),
        "spans-INITIAL_FORMS": 0,
        "spans-MIN_NUM_FORMS": 0,
        "spans-MAX_NUM_FORMS": 1000,
    }
    for i, (kind, name, first, last) in enumerate(spans):
        data.update(
            {
                f"spans-{i}-kind": kind,
                f"spans-{i}-name": name,
                f"spans-{i}-first_day": first,
                f"spans-{i}-last_day": last,
            }
        )
    return data


def test_a_year_entered_in_the_admin_is_used_at_once(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/admin/schedule/holidayyear/add/",
        admin_form(
            2027,
            [
                ("off", "元旦", "2027-01-01", "2027-01-03"),
                ("work", "元旦", "2027-01-09", "2027-01-09"),
            ],
        ),
    )
    assert response.status_code == 302
    assert workdays.is_working_day(D(2027, 1, 9)) and not workdays.is_working_day(D(2027, 1, 1))


def test_the_admin_refuses_a_make_up_day_on_a_weekday_and_a_day_listed_twice(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/admin/schedule/holidayyear/add/",
        admin_form(
            2027,
            [
                ("off", "春节", "2027-02-06", "2027-02-13"),
                ("off", "春节", "2027-02-13", "2027-02-13"),
                ("work", "春节", "2027-02-17", "2027-02-17"),
            ],
        ),
    )
    assert response.status_code == 200
    assert "2027-02-13 已在前面列出" in response.text and "调休上班日 2027-02-17 不是周末" in response.text
    assert not HolidayYear.objects.exists()


def test_a_unit_manager_cannot_open_the_holiday_admin(cast, client):
    client.force_login(cast.caizheng_manager)
    assert client.get("/admin/schedule/holidayyear/add/").status_code in (302, 403)


def test_editing_and_deleting_an_entered_year_in_the_admin_changes_the_calendar_at_once(cast, client):
    enter_holiday_year(None, parse_notices(NOTICE_2027)[0])
    assert workdays.is_working_day(D(2027, 1, 9)) and workdays.is_working_day(D(2027, 1, 4))
    year = HolidayYear.objects.get(year=2027)
    off, work = year.spans.get(kind=DayKind.OFF), year.spans.get(kind=DayKind.WORK)
    data = admin_form(
        2027,
        [
            ("off", "元旦", "2027-01-01", "2027-01-03"),
            ("work", "元旦", "2027-01-09", "2027-01-09"),
            ("off", "测试", "2027-01-04", "2027-01-04"),
        ],
    )
    data.update(
        {
            "spans-INITIAL_FORMS": 2,
            "spans-0-id": off.pk,
            "spans-0-holiday_year": year.pk,
            "spans-1-id": work.pk,
            "spans-1-holiday_year": year.pk,
            "spans-1-DELETE": "on",
            "spans-2-holiday_year": year.pk,
        }
    )
    client.force_login(cast.admin)
    assert client.post(f"/admin/schedule/holidayyear/{year.pk}/change/", data).status_code == 302
    assert not workdays.is_working_day(D(2027, 1, 9))  # the make-up Saturday removed: a weekend again
    assert not workdays.is_working_day(D(2027, 1, 4))  # the Monday added: a day off
    assert client.post(f"/admin/schedule/holidayyear/{year.pk}/delete/", {"post": "yes"}).status_code == 302
    with pytest.raises(CalendarNotCovered):
        workdays.is_working_day(D(2027, 1, 4))
