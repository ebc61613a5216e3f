"""LDAP / Active Directory sign-in (django-auth-ldap): the directory checks the password, Luoshi finds the Person."""

from django.conf import settings
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, _LDAPUser

from luoshi.orgs.models import Person
from luoshi.sso.people import Refused, person_for


class PersonLDAPBackend(LDAPBackend):
    """After a successful bind, the existing Person named by the configured attribute; never a new account."""

    def get_or_build_user(self, username: str, ldap_user: _LDAPUser) -> tuple[Person, bool]:
        attribute = settings.LDAP_ATTRIBUTE
        values = ldap_user.attrs.get(attribute) or [None]
        try:
            person = person_for(_("单位目录"), settings.LDAP_PERSON_FIELD, values[0], attribute)
        except Refused as refusal:
            if ldap_user._request is not None:
                ldap_user._request.sso_refused = refusal.message  # shown by the login form
            raise ldap_user.AuthenticationFailed(refusal.message) from refusal
        return person, False
