"""Orders as a table: site, kind, state, error code, times."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.certificates.models import Order

STATE_BADGES = {
    "done": "ok",
    "failed": "bad",
    "held": "warn",
    "running": "warn",
    "pending": "none",
}


class OrderTable(tables.Table):
    id = tables.Column(
        verbose_name=_("Order"), linkify=("certificates:order", [tables.A("pk")])
    )
    site = tables.Column(accessor="site__display_name", verbose_name=_("Site"))
    kind = tables.Column(verbose_name=_("Kind"))
    state = tables.Column(verbose_name=_("State"))
    error_code = tables.Column(verbose_name=_("Error"), attrs={"td": {"class": "mono"}})
    step = tables.Column(verbose_name=_("Last step"))
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    finished_at = tables.DateTimeColumn(verbose_name=_("Finished"), short=True)

    class Meta:
        model = Order
        template_name = "tables/table.html"
        fields = []
        empty_text = _("No orders match.")

    def render_id(self, value):
        return f"#{value}"

    def render_state(self, record, value):
        kind = STATE_BADGES.get(record.state, "none")
        return format_html('<span class="badge {}">{}</span>', kind, value)
