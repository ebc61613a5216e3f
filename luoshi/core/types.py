"""Typed request for views that require a signed-in person."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from luoshi.orgs.models import Person


class AuthedRequest(HttpRequest):
    user: Person
    htmx: HtmxDetails  # set on every request by django-htmx's middleware
