"""The commitment pages' addresses; the project's urls.py includes them."""

from django.urls import path

from luoshi.commitments import views as commitments

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
]
