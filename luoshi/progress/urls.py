from django.urls import path

from luoshi.progress import views

urlpatterns = [
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
]
