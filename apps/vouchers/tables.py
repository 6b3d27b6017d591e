"""The voucher inventory as a table: uses, balance, status."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.vouchers.models import Voucher

STATUS_BADGES = {
    "active": "ok",
    "exhausted": "none",
    "expired": "warn",
    "cancelled": "bad",
}


class VoucherTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Code"),
        linkify=("vouchers:detail", [tables.A("pk")]),
        attrs={"td": {"class": "mono"}},
    )
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Status"))
    owner = tables.Column(accessor="owner__name", verbose_name=_("Owner"))
    uses_allowed = tables.Column(verbose_name=_("Uses"), attrs={"td": {"class": "num"}})
    uses_spent = tables.Column(verbose_name=_("Spent"), attrs={"td": {"class": "num"}})
    uses_reserved = tables.Column(
        verbose_name=_("Reserved"), attrs={"td": {"class": "num"}}
    )
    balance = tables.Column(verbose_name=_("Balance"), attrs={"td": {"class": "num"}})
    expires_at = tables.DateColumn(verbose_name=_("Redeem by"))

    class Meta:
        model = Voucher
        template_name = "tables/table.html"
        fields = []
        empty_text = _("No vouchers.")

    def render_status(self, record, value):
        kind = STATUS_BADGES.get(record.status, "none")
        return format_html('<span class="badge {}">{}</span>', kind, value)
