"""The login page's single sign-on button, in Chromium: through a real OpenID Connect provider (node's
oidc-provider on 127.0.0.1) and back, as the mapped Person or refused with the reason."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.browser.conftest import shoot
from tests.browser.test_accessibility import violations
from tests.servers import oidc_provider

ACCOUNTS = {"zhangsan": {"preferred_username": "jingfa_staff", "name": "陈科员"}}


@pytest.fixture
def platform(live_server, settings, transactional_db, frozen_today):
    from tests.cast import make_cast

    make_cast()
    with oidc_provider([live_server.url + reverse("oidc_authentication_callback")], ACCOUNTS) as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [
            *django_settings.AUTHENTICATION_BACKENDS,
            "luoshi.sso.oidc.PersonOIDCBackend",
        ]
        yield provider


def sign_in_at_platform(page, live_server, login: str) -> None:
    page.click("a.sso-button")
    page.wait_for_selector("input[name=login]")  # the provider's own sign-in page
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "at-the-platform")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state("domcontentloaded")


def test_the_sso_button_signs_in_through_the_platform(browser, live_server, platform):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    assert page.locator("a.sso-button").inner_text() == "统一身份认证登录"
    shoot(page, "login-sso")
    found = violations(page)
    sign_in_at_platform(page, live_server, "zhangsan")
    assert page.url == live_server.url + reverse("my_tasks")
    assert "经发局陈科员" in page.locator("body").inner_text()
    context.close()
    assert not found, "\n".join(found)


def test_an_unknown_identity_comes_back_to_the_login_page_with_the_reason(browser, live_server, platform):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    sign_in_at_platform(page, live_server, "wangwu")
    assert page.url == live_server.url + reverse("login")
    message = page.locator(".msg.error").inner_text()
    assert "统一身份认证已确认您是“wangwu”，但落实系统里没有与之对应的人员" in message
    shoot(page, "login-sso-refused")
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)
