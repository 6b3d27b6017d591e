"""The audit log as a table."""

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEvent


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i:s")
    actor = tables.Column(
        accessor="actor__username", verbose_name=_("Who"), default=_("system")
    )
    action = tables.Column(verbose_name=_("Action"), attrs={"td": {"class": "mono"}})
    object = tables.Column(
        accessor="object_id", verbose_name=_("Object"), orderable=False
    )
    account = tables.Column(accessor="account__name", verbose_name=_("Account"))
    data = tables.Column(verbose_name=_("Details"), orderable=False)

    class Meta:
        model = AuditEvent
        template_name = "tables/table.html"
        fields = []
        empty_text = _("Nothing recorded yet.")

    def render_object(self, record):
        return f"{record.object_type} {record.object_id}"

    def render_data(self, value):
        return format_html_join(", ", "{}={}", sorted(value.items()))
