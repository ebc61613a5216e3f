from django.urls import path

from luoshi.documents import excel_views, views

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/excel/", excel_views.excel_upload, name="excel_upload"),
    path("import/<int:draft_id>/", views.import_review, name="import_review"),
    path("import/<int:draft_id>/undo/", views.import_undo, name="import_undo"),
    path("import/<int:draft_id>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:draft_id>/year/", views.import_year, name="import_year"),
]
