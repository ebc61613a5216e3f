from django.urls import path

from luoshi.cockpit import views

urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
]
