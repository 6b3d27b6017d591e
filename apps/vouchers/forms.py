"""Forms of the voucher inventory: import a CSV, assign, cancel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Account
from apps.accounts.scoping import scope

MAX_CSV_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One voucher per line. Nothing is imported unless every line is valid; "
            "the report names each line's problem."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc


class AssignForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        label=_("Assign to"),
        help_text=_("A reseller or customer below you; they can then redeem it."),
    )

    def __init__(self, *args, user, voucher, **kwargs):
        super().__init__(*args, **kwargs)
        # Vouchers pass only down the tree, from their owner to accounts below it.
        below = Account.objects.filter(path__startswith=voucher.owner.path).exclude(
            pk=voucher.owner_id
        )
        self.fields["account"].queryset = scope(below, user).order_by("path")


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Cancel this voucher; its remaining uses can no longer be redeemed."),
        required=True,
    )
