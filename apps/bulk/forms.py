"""The bulk push form: a voucher, the target sites (by filter or a list of names),
and who is told about the results."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.bulk.targets import MAX_EXPIRING_DAYS
from apps.core.names import InvalidName, to_ascii
from apps.fleet.models import PleskServer
from apps.vouchers import networks
from apps.vouchers.models import Voucher

MAX_NAMES_BYTES = 2 * 1024 * 1024


class VoucherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Voucher) -> str:
        return f"{obj.code} · {obj.get_kind_display()} · {obj.uses_left} left"


class PushForm(forms.Form):
    FILTER, LIST = "filter", "csv"

    voucher = VoucherChoiceField(queryset=Voucher.objects.none(), label=_("Voucher"))
    mode = forms.ChoiceField(
        label=_("Choose sites"),
        choices=[(FILTER, _("By filter")), (LIST, _("From a list of names (CSV)"))],
        widget=forms.RadioSelect,
        initial=FILTER,
    )
    server = forms.ModelChoiceField(
        queryset=PleskServer.objects.none(), required=False, label=_("Server")
    )
    reseller = forms.ModelChoiceField(
        queryset=Account.objects.none(), required=False, label=_("Reseller")
    )
    customer = forms.ModelChoiceField(
        queryset=Account.objects.none(), required=False, label=_("Customer")
    )
    ip_range = forms.CharField(
        required=False,
        label=_("IP range"),
        help_text=_("CIDR (192.0.2.0/24, 2001:db8::/48) or first-last."),
    )
    not_secured = forms.BooleanField(
        required=False, label=_("Only sites not yet secured")
    )
    expiring_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_EXPIRING_DAYS,
        label=_("Or expiring within (days)"),
    )
    csv_file = forms.FileField(
        required=False,
        label=_("CSV file of site names"),
        help_text=_("The first column of each line is a site name."),
    )
    names = forms.CharField(
        required=False,
        label=_("Site names"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line; added to the file's names."),
    )
    contact_email = forms.EmailField(
        label=_("Contact email"), help_text=_("Told about issued and failed sites.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        vouchers = Voucher.objects.filter(status=Voucher.Status.ACTIVE).order_by("code")
        self.fields["voucher"].queryset = scope(vouchers, user)
        self.fields["server"].queryset = scope(
            PleskServer.objects.order_by("name"), user
        )
        accounts = scope(Account.objects.order_by("name"), user)
        self.fields["reseller"].queryset = accounts.filter(kind=Account.Kind.RESELLER)
        self.fields["customer"].queryset = accounts.filter(kind=Account.Kind.CUSTOMER)

    def clean_ip_range(self) -> str:
        text = self.cleaned_data["ip_range"].strip()
        if text:
            try:
                networks.parse(text)
            except networks.NetworkError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return text

    def clean(self):
        cleaned = super().clean()
        names = list(_lines(cleaned.get("names", "")))
        upload = cleaned.get("csv_file")
        if upload:
            if upload.size > MAX_NAMES_BYTES:
                self.add_error("csv_file", _("The file is larger than 2 MB."))
            else:
                text = upload.read().decode("utf-8-sig", errors="replace")
                names += [line.split(",")[0].strip() for line in _lines(text)]
        cleaned["names"] = "\n".join(dict.fromkeys(n for n in names if n))
        if cleaned.get("mode") == self.LIST and not cleaned["names"]:
            self.add_error("names", _("Give at least one site name."))
        return cleaned

    def target(self) -> dict:
        """The choice of sites as plain data: stored on the push, and what the
        bulk service selects the sites by."""
        data = self.cleaned_data
        if data["mode"] == self.LIST:
            return {"names": self.ascii_names()}
        target = {
            "server": data["server"].pk if data["server"] else None,
            "reseller": data["reseller"].pk if data["reseller"] else None,
            "customer": data["customer"].pk if data["customer"] else None,
            "ip_range": data["ip_range"].strip() or None,
            "not_secured": data["not_secured"] or None,
            "expiring_days": data["expiring_days"],
        }
        return {key: value for key, value in target.items() if value is not None}

    def ascii_names(self) -> list[str]:
        """The listed names in their stored (A-label) form; a name that is not a
        domain name is kept as typed, so the dry run reports it as not found."""
        found = []
        for name in self.cleaned_data["names"].splitlines():
            try:
                found.append(to_ascii(name))
            except InvalidName:
                found.append(name)
        return found


def _lines(text: str):
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line
