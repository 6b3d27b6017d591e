"""Login with a throttle, and the account settings people can change."""

import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Account, NotificationSetting

logger = logging.getLogger(__name__)

# Failed logins allowed per user name and per address within the window.
USER_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW_SECONDS = 15 * 60


def _keys(request, username: str) -> tuple[str, str]:
    address = request.META.get("REMOTE_ADDR", "") if request else ""
    return (f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures for the
    same user name or from the same address, until the window passes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed logins. Wait %(minutes)s minutes, then try again."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        user_key, address_key = _keys(self.request, username)
        if (
            cache.get(user_key, 0) >= USER_LIMIT
            or cache.get(address_key, 0) >= ADDRESS_LIMIT
        ):
            logger.warning("login throttled for user %s", username)
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key in (user_key, address_key):
                cache.add(key, 0, WINDOW_SECONDS)
                cache.incr(key)
            raise
        cache.delete(user_key)
        return cleaned


class PurchaseLinkForm(forms.ModelForm):
    purchase_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("Purchase link behind \u201cNo voucher?\u201d"),
        help_text=_(
            "Where your customers buy a voucher. Leave empty to use the link "
            "of the account above yours."
        ),
    )

    class Meta:
        model = Account
        fields = ["purchase_url"]


class AutoRenewForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["auto_renew"]
        labels = {
            "auto_renew": _("Renew the certificates of all my sites automatically")
        }


class NotificationForm(forms.ModelForm):
    """Which emails the user gets; customers choose only about their own sites."""

    email = forms.EmailField(
        required=False,
        label=_("Send to"),
        help_text=_("Leave empty to use the address of your login."),
    )

    class Meta:
        model = NotificationSetting
        fields = ["issued", "failed", "expiring", "revoked", "email"]
        labels = {
            "issued": _("Certificate issued"),
            "failed": _("Order failed"),
            "expiring": _("Certificate expiring without renewal"),
            "revoked": _("Certificate revoked"),
        }

    def __init__(self, *args, role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if role == Account.Kind.CUSTOMER:
            below = NotificationSetting.Reach.BELOW
            for name in NotificationSetting.EVENTS:
                field = self.fields[name]
                field.choices = [c for c in field.choices if c[0] != below]


def notification_setting(user) -> NotificationSetting:
    """The user's row, or an unsaved one with the defaults of their role."""
    try:
        return user.notification_setting
    except NotificationSetting.DoesNotExist:
        defaults = NotificationSetting.defaults_for(user.role)
        return NotificationSetting(user=user, **defaults)
