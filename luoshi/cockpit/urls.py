from django.urls import path

from luoshi.cockpit import views

urlpatterns = [
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/changes/", views.cockpit_changes, name="cockpit_changes"),
    path("cockpit/as-of/", views.cockpit_as_of, name="cockpit_as_of"),
]
