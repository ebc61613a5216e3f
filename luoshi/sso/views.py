"""The login page: the local password (and LDAP through it), and the SSO button when OIDC is configured."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LoginForm(AuthenticationForm):
    """Django's login form, saying why a directory account that is nobody in Luoshi was refused."""

    def get_invalid_login_error(self) -> ValidationError:
        refused = getattr(self.request, "sso_refused", "")
        if refused:
            return ValidationError(refused, code="sso_refused")
        return super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_label"] = settings.OIDC_BUTTON_LABEL or _("统一身份认证登录")
        return context
