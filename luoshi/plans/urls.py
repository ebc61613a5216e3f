from django.urls import path

from luoshi.plans.views import gantt, mine, task, tree

urlpatterns = [
    path("tasks/", tree.task_list, name="task_list"),
    path("tasks/export.<str:fmt>", tree.task_export, name="task_export"),
    path("tasks/<int:task_id>/", task.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/children/", tree.task_children, name="task_children"),
    path("tasks/<int:task_id>/edit/", task.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/split/", task.task_split, name="task_split"),
    path("tasks/<int:task_id>/delete/", task.task_delete, name="task_delete"),
    path("tasks/<int:task_id>/step/<str:step>/", task.task_step, name="task_step"),
    path("tasks/<int:task_id>/report/", task.task_report, name="task_report"),
    path("tasks/<int:task_id>/comment/", task.task_comment, name="task_comment"),
    path("mine/", mine.my_tasks, name="my_tasks"),
    path("mine/<int:task_id>/report/", mine.my_task_report, name="my_task_report"),
    path("mine/<int:task_id>/step/<str:step>/", mine.my_task_step, name="my_task_step"),
    path("gantt/", gantt.gantt, name="gantt"),
]
