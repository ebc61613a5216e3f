from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from luoshi.api import api
from luoshi.core import views as core_views
from luoshi.sso import oidc
from luoshi.sso.views import LoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/sso/start/", oidc.start, name="oidc_authentication_init"),
    path("accounts/sso/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/tokens/", core_views.token_list, name="token_list"),
    path("accounts/tokens/<int:token_id>/revoke/", core_views.token_revoke, name="token_revoke"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("luoshi.plans.urls")),
    path("", include("luoshi.progress.urls")),
    path("", include("luoshi.bulletins.urls")),
    path("", include("luoshi.documents.urls")),
    path("", include("luoshi.cockpit.urls")),
    path("", include("luoshi.supervision.urls")),
    path("", include("luoshi.reminders.urls")),
    path("", include("luoshi.inbox.urls")),
    path("", include("luoshi.commitments.urls")),
    path("", include("luoshi.activities.urls")),
    path("", include("luoshi.notices.urls")),
    path("", include("luoshi.orgs.urls")),
    path("", include("luoshi.indicators.urls")),
    path("", include("luoshi.projects.urls")),
    path("", include("luoshi.public.urls")),
]
