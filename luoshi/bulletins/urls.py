from django.urls import path

from luoshi.bulletins import views

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:bulletin_id>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:bulletin_id>/<str:step>/", views.bulletin_step, name="bulletin_step"),
    path(
        "bulletins/<int:bulletin_id>/download/<str:fmt>/", views.bulletin_download, name="bulletin_download"
    ),
]
