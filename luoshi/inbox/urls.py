"""The inbox's addresses; the project's urls.py includes them."""

from django.urls import path

from luoshi.inbox import views as inbox

urlpatterns = [
    path("notifications/", inbox.notification_list, name="notification_list"),
    path("notifications/badge/", inbox.notification_badge, name="notification_badge"),
    path("notifications/<int:notification_id>/read/", inbox.notification_read, name="notification_read"),
    path("notifications/read-all/", inbox.notification_read_all, name="notification_read_all"),
]
