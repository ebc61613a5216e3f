from django.urls import path

from luoshi.documents import views

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:draft_id>/", views.import_review, name="import_review"),
]
