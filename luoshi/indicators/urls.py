from django.urls import path

from luoshi.indicators import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:indicator_id>/actuals/", views.indicator_actual, name="indicator_actual"),
    path("indicators/actuals/<int:actual_id>/evidence/", views.actual_evidence, name="actual_evidence"),
    path("indicators/<int:indicator_id>/actuals/import/", views.indicator_import, name="indicator_import"),
]
