"""The activity pages' addresses; the project's urls.py includes them."""

from django.urls import path

from luoshi.activities import views as activities

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path(
        "activities/attachments/<int:attachment_id>/",
        activities.activity_attachment,
        name="activity_attachment",
    ),
]
