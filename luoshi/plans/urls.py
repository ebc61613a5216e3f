from django.urls import path

from luoshi.plans.views import task as views

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/split/", views.task_split, name="task_split"),
    path("tasks/<int:task_id>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:task_id>/step/<str:step>/", views.task_step, name="task_step"),
    path("tasks/<int:task_id>/report/", views.task_report, name="task_report"),
    path("tasks/<int:task_id>/comment/", views.task_comment, name="task_comment"),
]
