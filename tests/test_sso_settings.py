"""The LUOSHI_OIDC_* and LUOSHI_LDAP_* variables: each sign-in is off until set, and a half-set one fails at start-up."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(settings.BASE_DIR) / "settings.py"
OIDC = {
    "LUOSHI_OIDC_CLIENT_ID": "luoshi",
    "LUOSHI_OIDC_CLIENT_SECRET": "s3cret",
    "LUOSHI_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.example.gov.cn/oauth2/authorize",
    "LUOSHI_OIDC_TOKEN_ENDPOINT": "https://sso.example.gov.cn/oauth2/token",
    "LUOSHI_OIDC_USERINFO_ENDPOINT": "https://sso.example.gov.cn/oauth2/userinfo",
    "LUOSHI_OIDC_JWKS_ENDPOINT": "https://sso.example.gov.cn/oauth2/jwks",
}


def settings_with(monkeypatch, tmp_path, **env: str) -> dict:
    monkeypatch.setenv("LUOSHI_DATA_DIR", str(tmp_path))
    for name in [*OIDC, "LUOSHI_LDAP_SERVER_URI"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_without_variables_only_the_local_password_signs_in(monkeypatch, tmp_path):
    values = settings_with(monkeypatch, tmp_path)
    assert values["OIDC_ENABLED"] is False and values["LDAP_ENABLED"] is False
    assert values["AUTHENTICATION_BACKENDS"] == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_the_oidc_variables_switch_on_the_platform_sign_in(monkeypatch, tmp_path):
    values = settings_with(
        monkeypatch,
        tmp_path,
        **OIDC,
        LUOSHI_OIDC_CLAIM="employee_number",
        LUOSHI_OIDC_CA_BUNDLE="/etc/ssl/province-ca.pem",
    )
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert values["AUTHENTICATION_BACKENDS"][-1] == "luoshi.sso.oidc.PersonOIDCBackend"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == OIDC["LUOSHI_OIDC_TOKEN_ENDPOINT"]
    assert values["OIDC_CLAIM"] == "employee_number" and values["OIDC_PERSON_FIELD"] == "username"
    assert values["OIDC_VERIFY_SSL"] == "/etc/ssl/province-ca.pem"
    assert values["OIDC_CREATE_USER"] is False


def test_a_half_configured_oidc_fails_at_start_up_naming_what_is_missing(monkeypatch, tmp_path):
    partial = {name: value for name, value in OIDC.items() if name != "LUOSHI_OIDC_JWKS_ENDPOINT"}
    with pytest.raises(ImproperlyConfigured, match="LUOSHI_OIDC_JWKS_ENDPOINT is required"):
        settings_with(monkeypatch, tmp_path, **partial)


def test_the_person_field_must_be_one_luoshi_can_match(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="LUOSHI_LDAP_PERSON_FIELD='is_superuser'"):
        settings_with(monkeypatch, tmp_path, LUOSHI_LDAP_PERSON_FIELD="is_superuser")


def test_the_ldap_variables_switch_on_the_directory_sign_in(monkeypatch, tmp_path):
    values = settings_with(
        monkeypatch,
        tmp_path,
        LUOSHI_LDAP_SERVER_URI="ldap://dc1.park.local",
        LUOSHI_LDAP_USER_SEARCH_BASE="ou=staff,dc=park,dc=local",
        LUOSHI_LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
        LUOSHI_LDAP_ATTRIBUTE="sAMAccountName",
    )
    assert values["AUTHENTICATION_BACKENDS"][-1] == "luoshi.sso.ldap.PersonLDAPBackend"
    search = values["AUTH_LDAP_USER_SEARCH"]
    assert search.base_dn == "ou=staff,dc=park,dc=local" and search.filterstr == "(sAMAccountName=%(user)s)"
    assert values["AUTH_LDAP_NO_NEW_USERS"] is True and values["LDAP_ATTRIBUTE"] == "sAMAccountName"


def test_a_directory_can_be_bound_directly_by_a_dn_template_without_a_search(monkeypatch, tmp_path):
    values = settings_with(
        monkeypatch,
        tmp_path,
        LUOSHI_LDAP_SERVER_URI="ldaps://ldap.park.local",
        LUOSHI_LDAP_USER_DN_TEMPLATE="uid=%(user)s,ou=people,dc=park,dc=local",
    )
    assert values["AUTH_LDAP_USER_DN_TEMPLATE"] == "uid=%(user)s,ou=people,dc=park,dc=local"
    assert "AUTH_LDAP_USER_SEARCH" not in values
