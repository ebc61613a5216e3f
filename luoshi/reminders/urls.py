"""The reminder page's address; the project's urls.py includes it."""

from django.urls import path

from luoshi.reminders import views

urlpatterns = [
    path("reminders/", views.reminder_list, name="reminder_list"),
]
