"""Forms a person fills in about certificates: redeem a voucher, revoke by serial."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import scope
from apps.core import serials
from apps.fleet.models import Site


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Site) -> str:
        return str(obj)


class RedeemForm(forms.Form):
    site = SiteChoiceField(queryset=Site.objects.none(), label=_("Website"))
    voucher_code = forms.CharField(
        label=_("Voucher code"),
        max_length=80,
        help_text=_("Upper or lower case; spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_email = forms.EmailField(
        label=_("Contact email"),
        help_text=_("Told when the certificate is installed, or what went wrong."),
    )
    accepted_terms = forms.BooleanField(
        label=_("I have read and accept the subscriber terms."),
        required=True,
        error_messages={"required": _("Accept the subscriber terms to continue.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An alias is secured through its site's certificate, not one of its own.
        sites = (
            Site.objects.filter(state=Site.State.ACTIVE)
            .exclude(kind=Site.Kind.ALIAS)
            .order_by("name")
        )
        self.fields["site"].queryset = scope(sites, user)
        if not self.is_bound and user.email:
            self.initial.setdefault("contact_email", user.email)


class RevokeForm(forms.Form):
    serial = forms.CharField(
        label=_("Serial number"),
        max_length=200,
        help_text=_(
            "As shown on the certificate: hex with or without colons or spaces, "
            "0x prefix, or dec: before a decimal number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_serial(self) -> list[str]:
        """The lookup keys the typed serial can mean (hex reading first)."""
        try:
            values = serials.candidates(self.cleaned_data["serial"])
        except serials.InvalidSerial as exc:
            raise forms.ValidationError(str(exc)) from exc
        return [serials.key(value) for value in values]


class ConfirmRevokeForm(forms.Form):
    certificate = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand that revoking cannot be undone: browsers will stop trusting "
            "this certificate."
        ),
        required=True,
    )
