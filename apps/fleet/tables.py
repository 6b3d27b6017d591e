"""Tables of servers and sites; sorting and pagination happen in the database."""

import re

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from apps.fleet.filters import CertState, with_certificate_status
from apps.fleet.models import PleskServer, Site

TABLE_TEMPLATE = "tables/table.html"

STATE_BADGES = {
    CertState.SECURED: "ok",
    CertState.EXPIRING: "warn",
    CertState.FAILING: "bad",
    CertState.UNSECURED: "none",
}
SYNC_BADGES = {"ok": "ok", "running": "warn", "failed": "bad", "never": "none"}


def badge(kind: str, text) -> str:
    return format_html('<span class="badge {}">{}</span>', kind, text)


def issuer_name(issuer: str) -> str:
    """The issuer's common name out of its distinguished name, for narrow columns."""
    match = re.search(r"(?:^|,)\s*CN=([^,]+)", issuer or "")
    return match.group(1) if match else (issuer or "")


class ServerTable(tables.Table):
    name = tables.Column(linkify=("fleet:server", [tables.A("pk")]))
    host = tables.Column(verbose_name=_("Panel"), order_by=("host", "port"))
    site_count = tables.Column(verbose_name=_("Sites"), attrs={"td": {"class": "num"}})
    sync_state = tables.Column(verbose_name=_("Sync"))
    last_sync_at = tables.DateTimeColumn(verbose_name=_("Last sync"), short=True)
    plesk_version = tables.Column(verbose_name=_("Plesk"))

    class Meta:
        model = PleskServer
        template_name = TABLE_TEMPLATE
        fields = ["name", "host", "site_count", "sync_state", "last_sync_at"]
        sequence = ["name", "host", "site_count", "sync_state", "last_sync_at"]
        empty_text = _("No servers yet. Add the first one.")

    def render_host(self, record):
        return f"{record.host}:{record.port}"

    def render_sync_state(self, record, value):
        return badge(SYNC_BADGES.get(record.sync_state, "none"), value)


class SiteTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Site"), order_by=("name",), attrs={"td": {"class": "site"}}
    )
    server = tables.Column(accessor="server__name", verbose_name=_("Server"))
    owner = tables.Column(accessor="owner__name", verbose_name=_("Owner"))
    ip_addresses = tables.Column(verbose_name=_("IP addresses"), orderable=False)
    cert_state = tables.Column(verbose_name=_("Certificate"))
    issuer = tables.Column(
        accessor="current_certificate__issuer", verbose_name=_("Issuer")
    )
    expires = tables.DateColumn(
        accessor="current_certificate__not_after", verbose_name=_("Expires")
    )
    health_ok = tables.Column(verbose_name=_("Health"), empty_values=())

    class Meta:
        model = Site
        template_name = TABLE_TEMPLATE
        fields = []
        empty_text = _("No sites match.")

    def render_name(self, record):
        url = reverse("fleet:site", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, str(record))

    def render_ip_addresses(self, value):
        return ", ".join(value)

    def render_cert_state(self, record, value):
        label = dict(CertState.choices).get(value, value)
        text = badge(STATE_BADGES.get(value, "none"), label)
        code = getattr(record, "last_error_code", None)
        if value == CertState.FAILING and code:
            return format_html("{} <span class='mono'>{}</span>", text, code)
        return text

    def render_issuer(self, value):
        return issuer_name(value)

    def render_health_ok(self, value):
        if value is None:
            return badge("none", _("Not checked"))
        return badge("ok", _("Serving")) if value else badge("bad", _("Problem"))


def sites_table(request, queryset, exclude: tuple[str, ...] = ()) -> SiteTable:
    """A sortable, paginated site table over `queryset` (already scoped), with every
    column the rows show fetched in the same query."""
    rows = with_certificate_status(
        queryset.select_related("server", "owner", "current_certificate")
    ).order_by("name")
    table = SiteTable(rows, request=request, exclude=exclude)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return table
