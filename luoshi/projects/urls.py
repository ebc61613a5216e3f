from django.urls import path

from luoshi.projects import views

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/stages/<int:stage_id>/", views.stage_date, name="project_stage_date"),
]
