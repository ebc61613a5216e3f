"""OpenID Connect sign-in (mozilla-django-oidc): the platform proves who it is, Luoshi finds the Person."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from luoshi.orgs.models import Person
from luoshi.sso.people import Refused, person_for


def source_name() -> str:
    return _("统一身份认证")


class PersonOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the existing Person named by the configured claim; refuses everyone else, creates no one."""

    def authenticate(self, request: HttpRequest | None, **credentials) -> Person | None:
        # Only the callback view, which passes the nonce it kept in the session (and has checked the state):
        # never the login form, whose URL anyone could give a ?code=…&state=… of their own.
        if "nonce" not in credentials:
            return None
        return super().authenticate(request, **credentials)

    def verify_claims(self, claims: dict) -> bool:
        return True  # the one check that matters is person_for's, below

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Person | None:
        # Some platforms put their own claims (工号) only in the ID token, others only in userinfo.
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        try:
            return person_for(
                source_name(),
                settings.OIDC_PERSON_FIELD,
                claims.get(settings.OIDC_CLAIM),
                settings.OIDC_CLAIM,
            )
        except Refused as refusal:
            self.request.sso_refused = refusal.message  # shown on the login page by the callback
            return None


class CallbackView(OIDCAuthenticationCallbackView):
    """The platform's redirect back: sign in, or back to the login page saying why not."""

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            message = _("统一身份认证没有完成登录（%(error)s）。请重试，或用用户名和密码登录。") % {
                "error": self.request.GET["error"]
            }
        else:
            message = getattr(self.request, "sso_refused", "") or _("统一身份认证登录没有成功，请重试。")
        messages.error(self.request, message)
        return redirect(settings.LOGIN_URL)


def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the platform's sign-in page; "not there" while OIDC is not configured."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    return CallbackView.as_view()(request)


def checks_no_password(request: HttpRequest, credentials: dict | None = None) -> bool:
    """Whether login throttling leaves this attempt alone: the OIDC callback, where the platform checked the password.

    Throttling counts password guesses per username and address (django-axes). The callback carries no
    password and, before the code is redeemed, no username: counted, one unknown identity would lock
    every colleague behind the office's shared address out of the platform sign-in.
    """
    return request.path == reverse("oidc_authentication_callback")
