"""Tables of accounts: a reseller's customers."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Account


class CustomerTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Customer"), linkify=("accounts:customer", [tables.A("pk")])
    )
    parent = tables.Column(accessor="parent__name", verbose_name=_("Reseller"))
    email = tables.EmailColumn(verbose_name=_("Email"))
    site_count = tables.Column(verbose_name=_("Sites"), attrs={"td": {"class": "num"}})
    voucher_count = tables.Column(
        verbose_name=_("Vouchers"), attrs={"td": {"class": "num"}}
    )
    auto_renew = tables.BooleanColumn(verbose_name=_("Auto-renew"))

    class Meta:
        model = Account
        template_name = "tables/table.html"
        fields = []
        empty_text = _("No customers yet.")
