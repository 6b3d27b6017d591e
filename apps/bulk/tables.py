"""Bulk pushes as a table, with their counts from one query."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from apps.bulk.models import Push


class PushTable(tables.Table):
    id = tables.Column(
        verbose_name=_("Push"), linkify=("bulk:detail", [tables.A("pk")])
    )
    voucher = tables.Column(accessor="voucher__code", verbose_name=_("Voucher"))
    state = tables.Column(verbose_name=_("State"))
    total = tables.Column(verbose_name=_("Sites"), attrs={"td": {"class": "num"}})
    done = tables.Column(verbose_name=_("Done"), attrs={"td": {"class": "num"}})
    failed = tables.Column(verbose_name=_("Failed"), attrs={"td": {"class": "num"}})
    created_by = tables.Column(accessor="created_by__username", verbose_name=_("By"))
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)

    class Meta:
        model = Push
        template_name = "tables/table.html"
        fields = []
        empty_text = _("No bulk pushes yet.")

    def render_id(self, value):
        return f"#{value}"
