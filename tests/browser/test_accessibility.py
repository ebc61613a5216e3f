"""Every page of the product passes axe-core at WCAG 2.1 AA, for each role that sees it differently.

axe-core is vendored from the npm registry (tests/browser/vendor/README.md) and injected by Playwright.
The list of pages is checked against the URL patterns: a new page must be listed here (with the roles
that see it) or named as not a page, else the first test fails and names it.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from luoshi.activities.actions import record_activity
from luoshi.activities.models import ActivityKind
from luoshi.bulletins.actions import draft_bulletin, publish_bulletin, review_bulletin
from luoshi.bulletins.compose import parse_period
from luoshi.commitments.actions import generate_commitment
from luoshi.inbox.actions import notify
from luoshi.indicators.status import IndicatorLight
from luoshi.notices.actions import issue_notice
from luoshi.notices.models import Severity
from luoshi.plans.health import Light
from luoshi.public.actions import set_public_page
from luoshi.reminders.actions import ensure_reminder_rules, scan_reminders
from tests.browser.conftest import PHONE, shoot

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

OFFICE, MANAGER, STAFF, LEADER, VIEWER = (
    "supervisor",
    "caizheng_manager",
    "caizheng_staff",
    "leader",
    "viewer",
)
EVERYONE = (OFFICE, MANAGER, STAFF, LEADER, VIEWER)

# url name → (the roles that see the page, its arguments from the scene's data)
Args = Callable[[dict], list]
NO_ARGS: Args = lambda d: []  # noqa: E731
PAGES: dict[str, tuple[tuple[str, ...], Args]] = {
    "cockpit": (EVERYONE, NO_ARGS),
    "password_change": ((STAFF,), NO_ARGS),
    "token_list": ((STAFF,), NO_ARGS),
    "cockpit_changes": ((OFFICE, LEADER), NO_ARGS),
    "my_tasks": ((MANAGER, STAFF), NO_ARGS),
    "task_list": ((OFFICE, STAFF), NO_ARGS),
    "task_detail": ((OFFICE, MANAGER, STAFF, VIEWER), lambda d: [d["scene"].cast.measure.pk]),
    "task_edit": ((OFFICE,), lambda d: [d["scene"].cast.measure.pk]),
    "task_split": ((OFFICE,), lambda d: [d["scene"].cast.measure.pk]),
    "gantt": ((OFFICE,), NO_ARGS),
    "supervision_board": ((OFFICE, LEADER), NO_ARGS),
    "unit_list": ((OFFICE,), NO_ARGS),
    "unit_detail": ((OFFICE,), lambda d: [d["scene"].cast.caizheng.pk]),
    "indicator_list": ((OFFICE,), NO_ARGS),
    "indicator_detail": ((OFFICE,), lambda d: [d["scene"].port.pk]),
    "project_list": ((OFFICE,), NO_ARGS),
    "project_detail": ((OFFICE,), lambda d: [d["scene"].project.pk]),
    "bulletin_list": ((OFFICE, STAFF), NO_ARGS),
    "bulletin_detail": ((OFFICE,), lambda d: [d["draft"].pk]),
    "commitment_list": ((OFFICE, MANAGER), NO_ARGS),
    "commitment_detail": ((OFFICE, MANAGER), lambda d: [d["commitment"].pk]),
    "commitment_print": ((OFFICE,), lambda d: [d["commitment"].pk]),
    "activity_list": ((OFFICE, STAFF), NO_ARGS),
    "activity_new": ((STAFF,), NO_ARGS),
    "notification_list": ((STAFF,), NO_ARGS),
    "notice_new": ((OFFICE,), lambda d: [d["scene"].cast.measure.pk]),
    "notice_list": ((OFFICE, MANAGER), NO_ARGS),
    "notice_detail": ((OFFICE, MANAGER), lambda d: [d["notice"].pk]),
    "reminder_list": ((OFFICE,), NO_ARGS),
    "import_upload": ((OFFICE,), NO_ARGS),
    "excel_upload": ((OFFICE,), NO_ARGS),
    "public_list": ((OFFICE,), NO_ARGS),
    "public_settings": ((OFFICE,), lambda d: [d["scene"].cast.plan.pk]),
}
# Pages reached with more than a GET of the URL: checked by their own steps in the tests below.
DRIVEN = {
    "login": "signed out",
    "import_review": "after an upload",
    "bulletin_detail": "published too",
    "cockpit_as_of": "a past day's tile, clicked on the cockpit",
    "public_page": "signed out, once published",
}
NOT_PAGES = {
    "actual_evidence": "a file",
    "token_revoke": "POST only",
    "password_change_done": "a short confirmation",
    "home": "redirects to the person's first page",
    "healthz": "JSON for monitors",
    "logout": "POST only",
    "set_language": "POST only",
    "task_export": "a file",
    "task_children": "rows swapped into the tree",
    "task_delete": "POST only",
    "task_step": "POST only",
    "task_report": "POST only",
    "task_comment": "POST only",
    "my_task_report": "a form swapped into a card",
    "my_task_step": "POST only",
    "evidence_download": "a file",
    "bulletin_step": "POST only",
    "bulletin_download": "a file",
    "import_undo": "POST only",
    "import_year": "POST only",
    "import_progress": "a fragment the running import polls",
    "indicator_actual": "POST only",
    "indicator_import": "POST only",
    "project_stage_date": "POST only",
    "board_sign_off": "POST only",
    "board_return": "POST only",
    "notification_badge": "a fragment on every page",
    "notification_read": "POST only",
    "notification_read_all": "POST only",
    "commitment_generate": "POST only",
    "commitment_acknowledge": "POST only",
    "commitment_download": "a file",
    "activity_attachment": "a file",
    "notice_answer": "POST only",
    "notice_download": "a file",
    "notice_evidence": "a file",
    "oidc_authentication_init": "redirects to the sign-in platform (test_sso_login.py checks the button's page)",
    "oidc_authentication_callback": "the platform's redirect back",
}
ELSEWHERE = ("admin", "api")  # Django's admin (optional) and the API's JSON and generated docs


def page_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in ELSEWHERE:
                names |= page_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_is_a_checked_page_or_named_as_not_a_page():
    missing = page_names() - set(PAGES) - set(DRIVEN) - set(NOT_PAGES)
    assert not missing, f"Add these to PAGES (with the roles that see them) or NOT_PAGES: {sorted(missing)}"
    gone = (set(PAGES) | set(DRIVEN) | set(NOT_PAGES)) - page_names()
    assert not gone, f"No longer URLs, remove them here: {sorted(gone)}"


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now, one line per failing element."""
    page.wait_for_load_state("networkidle")
    if page.locator("[data-chart]").count():
        page.wait_for_selector("body[data-charts-ready]")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": WCAG_21_AA}}
    )
    # axe leaves a description that points at nothing to review by hand; here it is a violation.
    unsaid = page.evaluate(UNSAID_DESCRIPTIONS)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {node['target']} — {node['failureSummary']}"
        for v in result["violations"]
        for node in v["nodes"]
    ] + [f"{page.url} {each}" for each in unsaid]


UNSAID_DESCRIPTIONS = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
    el.getAttribute('aria-describedby').trim().split(/\\s+/)
      .filter(id => !(document.getElementById(id)?.textContent.trim()))
      .map(id => `aria-describedby of ${el.getAttribute('name') || el.id} points at #${id}, which is not on the page`))"""


@pytest.fixture
def data(scene):
    c = scene.cast
    period = parse_period("2026-11")
    published = draft_bulletin(c.supervisor, plan=c.plan, period=period)
    review_bulletin(c.supervisor, published)
    publish_bulletin(c.supervisor, published)
    draft = draft_bulletin(c.supervisor, plan=c.plan, period=parse_period("2026-10"))
    commitment = generate_commitment(c.supervisor, c.caizheng, 2027)
    record_activity(
        c.caizheng_staff,
        unit=c.caizheng,
        kind=ActivityKind.STUDY,
        held_on=dt.date(2026, 10, 15),
        title="学习实施方案专题会",
        outcome="统一了认识",
        participant_count=12,
    )
    notify(c.caizheng_staff, "请于12月4日前报送年度招商引资计划", task=scene.due_soon)
    notice = issue_notice(
        c.supervisor,
        c.measure,
        severity=Severity.RED,
        reason="请示至今未报省财政厅。",
        reply_by=dt.date(2026, 12, 2),
    )
    ensure_reminder_rules(c.plan)
    scan_reminders()
    return {
        "scene": scene,
        "published": published,
        "draft": draft,
        "commitment": commitment,
        "notice": notice,
    }


@pytest.mark.parametrize("role", EVERYONE)
def test_every_page_passes_axe_at_wcag_21_aa(role, data, open_page):
    page = open_page(getattr(data["scene"].cast, role))
    found = []
    for name, (roles, args) in PAGES.items():
        if role in roles:
            path = reverse(name, args=args(data))
            response = page.goto(open_page.url + path)
            assert response.ok and page.url == open_page.url + path, (
                f"{name} as {role}: {response.status} {page.url}"
            )
            found += violations(page)
    if role == OFFICE:
        page.goto(open_page.url + reverse("bulletin_detail", args=[data["published"].pk]))
        found += violations(page)
        page.goto(open_page.url + reverse("bulletin_list"))
        page.fill("input[name=period]", "11月")  # a form with an error in it
        page.locator("form:has(input[name=period]) button[type=submit]").click()
        page.wait_for_selector(".errorlist")
        found += violations(page)
        page.goto(open_page.url + reverse("import_upload"))
        page.fill("textarea[name=text]", "一、推进港口建设\n1.港口吞吐量达到3亿吨。（牵头单位：经发局）")
        page.click("button[type=submit]")
        page.wait_for_url("**/import/*/**")
        found += violations(page)
        page.goto(
            open_page.url + reverse("cockpit") + "?as_of=2026-11-02"
        )  # a past day: its tiles open that day's list
        page.locator("a.kpi[data-light=green]").click()
        page.wait_for_url("**/cockpit/as-of/**")
        found += violations(page)
        shoot(page, "cockpit-as-of")
    if role == STAFF:
        page.set_viewport_size(PHONE)
        page.goto(open_page.url + reverse("my_tasks"))
        found += violations(page)
    assert not found, "\n".join(found)


def test_signed_out_pages_pass_axe(browser, live_server):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    found = violations(page)
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector(".errorlist, .msg.error, .errornote")
    found += violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_the_public_results_page_passes_axe(data, browser, live_server):
    """Signed out, as the public sees it, with every part shown and a published bulletin in it."""
    cast = data["scene"].cast
    set_public_page(cast.supervisor, cast.plan, published=True, intro="欢迎社会各界监督。")
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    page.goto(live_server.url + reverse("public_page", args=[cast.plan.pk]))
    found = violations(page)
    page.set_viewport_size(PHONE)
    found += violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_the_skip_link_comes_first_and_the_language_changes_only_when_asked(scene, open_page):
    page = open_page(scene.cast.supervisor)
    page.goto(open_page.url + reverse("cockpit"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到正文" and skip.is_visible()
    shoot(page, "a11y-skip-link")
    page.keyboard.press("Enter")
    # Following the link is asynchronous under load: wait for it (up to Playwright's timeout), then check.
    page.wait_for_url("**#main")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")

    language = page.locator("select[name=language]")
    language.focus()
    page.keyboard.press("ArrowDown")  # choosing is not yet asking: nothing happens on input
    page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    language.select_option("en")
    page.locator("form.lang button").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("a.skip").inner_text() == "Skip to content"


def test_the_cockpit_lights_read_without_colour(scene, open_page):
    """Every coloured dot on the cockpit stands beside the words of its light."""
    words = [str(light.label) for light in (*Light, *IndicatorLight)]
    page = open_page(scene.cast.supervisor)
    page.goto(open_page.url + reverse("cockpit"))
    beside = page.locator(".dot").evaluate_all("dots => dots.map(d => d.parentElement.textContent)")
    assert len(beside) >= 8  # five task lights, the indicators' counts, one per indicator chart
    for text in beside:
        assert any(word in text for word in words), f"a dot stands alone: {text.strip()}"
    shoot(page, "a11y-cockpit")
