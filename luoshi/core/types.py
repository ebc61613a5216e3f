"""Typed request for views that require a signed-in person."""

from django.http import HttpRequest

from luoshi.orgs.models import Person


class AuthedRequest(HttpRequest):
    user: Person
