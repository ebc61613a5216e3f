"""OpenID Connect sign-in against a real provider (node's oidc-provider on 127.0.0.1, tests/servers/oidc):
the authorization-code flow driven over HTTP, Luoshi's side through Django's test client."""

import re
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from luoshi.orgs.models import Person
from tests.cast import PASSWORD
from tests.servers import oidc_provider


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


CALLBACK = "http://testserver/accounts/sso/callback/"
#: The platform's accounts: its own login names and claims, which Luoshi maps to its people.
ACCOUNTS = {
    "zhangsan": {
        "preferred_username": "jingfa_staff",
        "name": "陈科员",
        "employee_number": "E1001",
        "email": "chen@jingfa.example.gov.cn",
    },
    "lisi": {"preferred_username": "caizheng_manager", "name": "张局长", "employee_number": "E2002"},
    "wangwu": {"preferred_username": "no_such_person", "name": "王五", "employee_number": "E9999"},
}
OIDC_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, "luoshi.sso.oidc.PersonOIDCBackend"]


@pytest.fixture(scope="module")
def provider():
    with oidc_provider([CALLBACK], ACCOUNTS) as running:
        yield running


@pytest.fixture
def oidc_on(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = OIDC_BACKENDS
    return settings


def sign_in_at_provider(client: Client, login: str, start: str | None = None):
    """Click the SSO button, sign in on the provider's own page as `login`, and follow it back to Luoshi."""
    started = client.get(start or reverse("oidc_authentication_init"))
    assert started.status_code == 302
    return client.get(back_from_provider(started["Location"], login).removeprefix("http://testserver"))


def back_from_provider(url: str, login: str) -> str:
    """Sign in on the provider's own page as `login`; the address it sends the browser back to."""
    browser = requests.Session()
    for _hop in range(10):
        if url.startswith("http://testserver/"):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = requests.compat.urljoin(url, response.headers["Location"])
            continue
        assert response.status_code == 200, response.text
        action = re.search(r'<form[^>]*action="([^"]+)"', response.text)[1]
        submitted = browser.post(
            requests.compat.urljoin(url, action),
            data={"prompt": "login", "login": login, "password": "at-the-platform"},
            allow_redirects=False,
            timeout=10,
        )
        url = requests.compat.urljoin(url, submitted.headers["Location"])
    raise AssertionError("the provider never sent the browser back to Luoshi")


def signed_in_as(client: Client) -> Person | None:
    user_id = client.session.get("_auth_user_id")
    return Person.objects.get(pk=user_id) if user_id else None


def test_the_login_page_shows_the_sso_button_only_when_oidc_is_configured(cast, provider, settings):
    assert settings.OIDC_ENABLED is False
    page = Client().get(reverse("login")).content.decode()
    assert "统一身份认证登录" not in page
    assert Client().get(reverse("oidc_authentication_init")).status_code == 404
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    page = Client().get(reverse("login")).content.decode()
    assert "统一身份认证登录" in page and reverse("oidc_authentication_init") in page
    settings.OIDC_BUTTON_LABEL = "省统一身份认证平台"
    assert "省统一身份认证平台" in Client().get(reverse("login")).content.decode()


def test_a_platform_sign_in_lands_as_the_mapped_person_with_their_unit_and_role(cast, oidc_on):
    client = Client()
    landed = sign_in_at_provider(client, "zhangsan")
    assert landed.status_code == 302 and landed["Location"] == reverse(django_settings.LOGIN_REDIRECT_URL)
    person = signed_in_as(client)
    assert person == cast.jingfa_staff and person.unit == cast.jingfa and person.role == "staff"
    assert client.get(reverse("my_tasks")).status_code == 200


def test_the_claim_and_the_person_field_are_configurable(cast, oidc_on):
    cast.caizheng_manager.phone = "E2002"  # this office keeps the 工号 in the phone field, say
    cast.caizheng_manager.save()
    oidc_on.OIDC_CLAIM = "employee_number"
    oidc_on.OIDC_PERSON_FIELD = "phone"
    client = Client()
    sign_in_at_provider(client, "lisi")
    assert signed_in_as(client) == cast.caizheng_manager


def test_the_page_asked_for_before_signing_in_is_where_the_person_lands(cast, oidc_on):
    client = Client()
    landed = sign_in_at_provider(
        client, "zhangsan", start=reverse("oidc_authentication_init") + "?next=/tasks/"
    )
    assert landed["Location"] == "/tasks/"


def test_an_identity_that_is_nobody_here_is_refused_with_a_message_and_no_account(cast, oidc_on):
    people = Person.objects.count()
    client = Client()
    refused = sign_in_at_provider(client, "wangwu")
    assert refused.status_code == 302 and refused["Location"] == reverse("login")
    assert signed_in_as(client) is None and Person.objects.count() == people
    page = client.get(reverse("login")).content.decode()
    assert "统一身份认证已确认您是“no_such_person”，但落实系统里没有与之对应的人员" in page


def test_the_refusal_is_in_the_persons_language(cast, oidc_on):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in_at_provider(client, "stranger")
    page = client.get(reverse("login")).content.decode()
    assert "Unified identity authentication confirmed you as “stranger”" in page


def test_a_deactivated_person_is_refused(cast, oidc_on):
    cast.jingfa_staff.is_active = False
    cast.jingfa_staff.save()
    client = Client()
    sign_in_at_provider(client, "zhangsan")
    assert signed_in_as(client) is None
    assert "账号已停用" in client.get(reverse("login")).content.decode()


def test_refused_identities_do_not_lock_out_the_others_at_the_same_address(cast, oidc_on):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT + 1):
        sign_in_at_provider(Client(), "wangwu")
    client = Client()
    sign_in_at_provider(client, "zhangsan")
    assert signed_in_as(client) == cast.jingfa_staff


def test_a_platform_session_is_still_signed_out_when_idle(cast, oidc_on):
    client = Client()
    sign_in_at_provider(client, "zhangsan")
    assert client.get(reverse("task_list")).status_code == 200
    session = client.session
    session["seen_at"] = int(time.time()) - django_settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("task_list"))
    assert response.status_code == 302 and urlsplit(response["Location"]).path == reverse("login")


def test_the_local_password_still_works_beside_oidc(cast, oidc_on):
    client = Client()
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302 and signed_in_as(client) == cast.leader


def test_a_code_handed_to_the_login_form_signs_nobody_in(cast, oidc_on, provider):
    """Only the callback, with the state and nonce it kept in the session, may redeem a platform code."""
    crafted = (
        requests.Request(
            "GET",
            f"{provider.issuer}/auth",
            params={
                "client_id": provider.client_id,
                "response_type": "code",
                "scope": "openid profile",
                "redirect_uri": CALLBACK,
                "state": "chosen-by-someone",
            },
        )
        .prepare()
        .url
    )
    back = urlsplit(back_from_provider(crafted, "zhangsan"))
    assert "code=" in back.query
    client = Client()
    response = client.post(f"{reverse('login')}?{back.query}", {"username": "jingfa_staff", "password": "x"})
    assert response.status_code == 200 and signed_in_as(client) is None
