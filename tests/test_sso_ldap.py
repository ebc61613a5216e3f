"""LDAP / Active Directory sign-in against a real directory (Debian's slapd, started on 127.0.0.1 by the
test): the login form's password is checked by the directory, and the account matched to a Person."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from luoshi.orgs.models import Person
from tests.cast import PASSWORD
from tests.servers import slapd


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


DIRECTORY_PASSWORD = "directory-pass-2026"
PEOPLE = [
    {
        "uid": "jingfa_staff",
        "cn": "陈科员",
        "sn": "陈",
        "mail": "chen@jingfa.example.gov.cn",
        "employeeNumber": "E1001",
        "userPassword": DIRECTORY_PASSWORD,
    },
    {
        "uid": "zhao.jf",
        "cn": "赵局长",
        "sn": "赵",
        "mail": "zhao@jingfa.example.gov.cn",
        "employeeNumber": "E1002",
        "userPassword": DIRECTORY_PASSWORD,
    },
    {
        "uid": "wangwu",
        "cn": "王五",
        "sn": "王",
        "mail": "wangwu@example.gov.cn",
        "employeeNumber": "E9999",
        "userPassword": DIRECTORY_PASSWORD,
    },
]
LDAP_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, "luoshi.sso.ldap.PersonLDAPBackend"]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    with slapd(tmp_path_factory.mktemp("ldap"), PEOPLE) as running:
        yield running


@pytest.fixture
def ldap_on(directory, settings):
    for name, value in directory.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = LDAP_BACKENDS
    return settings


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_as(client: Client) -> Person | None:
    user_id = client.session.get("_auth_user_id")
    return Person.objects.get(pk=user_id) if user_id else None


def test_the_directory_password_signs_in_the_mapped_person(cast, ldap_on):
    client = Client()
    response = log_in(client, "jingfa_staff", DIRECTORY_PASSWORD)
    assert response.status_code == 302
    person = signed_in_as(client)
    assert person == cast.jingfa_staff and person.unit == cast.jingfa and person.role == "staff"
    assert client.get(reverse("my_tasks")).status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)  # the directory changed nothing of the Person


def test_a_wrong_directory_password_is_refused(cast, ldap_on):
    client = Client()
    response = log_in(client, "jingfa_staff", "not-the-password")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "请输入一个正确的" in response.content.decode()


def test_a_name_the_directory_does_not_know_is_refused(cast, ldap_on):
    client = Client()
    response = log_in(client, "nobody.at.all", DIRECTORY_PASSWORD)
    assert response.status_code == 200 and signed_in_as(client) is None


def test_a_directory_account_that_is_nobody_here_is_refused_with_a_message_and_no_account(cast, ldap_on):
    people = Person.objects.count()
    client = Client()
    response = log_in(client, "wangwu", DIRECTORY_PASSWORD)
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "单位目录已确认您是“wangwu”，但落实系统里没有与之对应的人员" in response.content.decode()
    assert Person.objects.count() == people
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = log_in(client, "wangwu", DIRECTORY_PASSWORD).content.decode()
    assert "The directory confirmed you as “wangwu”, but there is no matching person in Luoshi" in english


def test_the_attribute_and_the_person_field_are_configurable(cast, ldap_on):
    cast.jingfa_manager.email = "zhao@jingfa.example.gov.cn"
    cast.jingfa_manager.save()
    ldap_on.LDAP_ATTRIBUTE = "mail"
    ldap_on.LDAP_PERSON_FIELD = "email"
    client = Client()
    assert log_in(client, "zhao.jf", DIRECTORY_PASSWORD).status_code == 302
    assert signed_in_as(client) == cast.jingfa_manager


def test_repeated_wrong_directory_passwords_lock_the_username(cast, ldap_on):
    client = Client()
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(client, "jingfa_staff", "guess-guess-guess")
    locked = log_in(client, "jingfa_staff", DIRECTORY_PASSWORD)
    assert locked.status_code == 429 and signed_in_as(client) is None


def test_the_local_password_still_works_beside_the_directory(cast, ldap_on):
    client = Client()
    assert log_in(client, "leader", PASSWORD).status_code == 302
    assert signed_in_as(client) == cast.leader
