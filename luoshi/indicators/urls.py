from django.urls import path

from luoshi.indicators import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
]
