"""Language, idle sign-out, the Content-Security-Policy, and the client address behind the proxy."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import trans_real

#: Where the API is served: a program there asks for its language with Accept-Language.
API_PREFIX = "/api/"


def _accepted_language(request) -> str | None:
    """The first language of the Accept-Language header that Luoshi speaks, if any."""
    for code, _quality in trans_real.parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Use the language the person picked (the language cookie), else zh-hans.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many office
    machines says English; Luoshi is a Chinese product with English on request. A program calling
    the API has no cookie: there Accept-Language is that request, and it is honoured.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen not in supported and request.path.startswith(API_PREFIX):
            chosen = _accepted_language(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        # The language belongs to this request: do not let it leak into the thread's next work.
        translation.deactivate()
        return response


def client_ip(request) -> str:
    """The browser's address: the proxy's X-Forwarded-For last hop when the request came through the proxy.

    Behind nginx every request comes from 127.0.0.1; login throttling must count per browser address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_PROXY_HEADER and forwarded and remote in settings.PROXY_IPS:
        return forwarded.split(",")[-1].strip()  # the hop our own proxy appended; earlier ones are hearsay
    return remote


class IdleTimeoutMiddleware:
    """Sign out a session left idle longer than SESSION_IDLE_SECONDS.

    The last-seen time is written at most once a minute, so reading pages does not write the session
    (and the database) on every request.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    #: htmx polls that the page makes on its own (HX-Trigger is the polling element's id): not activity.
    BACKGROUND_TRIGGERS = frozenset({"inbox-badge"})

    def __call__(self, request):
        if request.user.is_authenticated:
            background = request.headers.get("HX-Trigger") in self.BACKGROUND_TRIGGERS
            now = int(time.time())
            seen = request.session.get("seen_at")
            if seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif not background and (seen is None or now - seen >= 60):
                request.session["seen_at"] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy: pages load scripts, styles, fonts and images from Luoshi only."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
