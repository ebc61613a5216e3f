from django.urls import path

from luoshi.supervision import views

urlpatterns = [
    path("supervision/", views.supervision_board, name="supervision_board"),
    path("supervision/<int:task_id>/sign-off/", views.board_sign_off, name="board_sign_off"),
    path("supervision/<int:task_id>/return/", views.board_return, name="board_return"),
]
