from django.urls import path

from luoshi.public import views

urlpatterns = [
    path("public/", views.public_list, name="public_list"),
    path("public/<int:plan_id>/", views.public_page, name="public_page"),
    path("public/<int:plan_id>/settings/", views.public_settings, name="public_settings"),
]
