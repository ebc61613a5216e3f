"""Language: Chinese unless the person chose otherwise."""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Use the language the person picked (the language cookie), else zh-hans.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many office
    machines says English; Luoshi is a Chinese product with English on request.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        # The language belongs to this request: do not let it leak into the thread's next work.
        translation.deactivate()
        return response
