from django.urls import path

from luoshi.notices import views

urlpatterns = [
    path("tasks/<int:task_id>/notice/", views.notice_new, name="notice_new"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:notice_id>/answer/", views.notice_answer, name="notice_answer"),
    path("notices/<int:notice_id>/download/<str:fmt>/", views.notice_download, name="notice_download"),
    path("notices/<int:notice_id>/evidence/", views.notice_evidence, name="notice_evidence"),
]
