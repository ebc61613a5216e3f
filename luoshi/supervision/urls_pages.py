"""The commitment and activity pages' addresses; the project's urls.py includes them."""

from django.urls import path

from luoshi.supervision import views_activities as activities
from luoshi.supervision import views_commitments as commitments

urlpatterns = [
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/generate/", commitments.commitment_generate, name="commitment_generate"),
    path("commitments/<int:commitment_id>/", commitments.commitment_detail, name="commitment_detail"),
    path(
        "commitments/<int:commitment_id>/acknowledge/",
        commitments.commitment_acknowledge,
        name="commitment_acknowledge",
    ),
    path("commitments/<int:commitment_id>/print/", commitments.commitment_print, name="commitment_print"),
    path(
        "commitments/<int:commitment_id>/download.xlsx",
        commitments.commitment_download,
        name="commitment_download",
    ),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path(
        "activities/attachments/<int:attachment_id>/",
        activities.activity_attachment,
        name="activity_attachment",
    ),
]
