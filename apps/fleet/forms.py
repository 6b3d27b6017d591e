"""Forms for adding a Plesk server: its address and credentials, then the
confirmation of the fingerprint its panel presented."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.fleet.models import PleskServer


class ServerForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Secret key or password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. A secret key is created in Plesk under Tools."),
    )

    class Meta:
        model = PleskServer
        fields = [
            "name",
            "host",
            "port",
            "auth",
            "login",
            "secret",
            "https_port",
            "max_concurrency",
        ]
        labels = {
            "name": _("Name"),
            "host": _("Panel host"),
            "port": _("Panel port"),
            "auth": _("Sign in with"),
            "login": _("Login (for password sign-in)"),
            "https_port": _("HTTPS port of the sites"),
            "max_concurrency": _("Most certificate jobs at once"),
        }

    def clean_host(self) -> str:
        return self.cleaned_data["host"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("auth") == PleskServer.Auth.PASSWORD and not cleaned.get(
            "login"
        ):
            self.add_error("login", _("Password sign-in needs a login."))
        return cleaned


class ConfirmFingerprintForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("This is the fingerprint of my server's panel certificate; trust it."),
        required=True,
    )
