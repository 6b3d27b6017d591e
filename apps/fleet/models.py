"""Plesk servers of the fleet and the sites they host."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField


class PleskServer(models.Model):
    class Auth(models.TextChoices):
        SECRET_KEY = "key", _("Secret key")
        PASSWORD = "password", _("Login and password")

    class SyncState(models.TextChoices):
        NEVER = "never", _("Never synced")
        RUNNING = "running", _("Syncing")
        OK = "ok", _("In sync")
        FAILED = "failed", _("Sync failed")

    name = models.CharField(max_length=255, unique=True)
    host = models.CharField(max_length=255, help_text=_("Host name or IP of the panel"))
    port = models.PositiveIntegerField(default=8443)
    auth = models.CharField(
        max_length=16, choices=Auth.choices, default=Auth.SECRET_KEY
    )
    login = models.CharField(max_length=255, blank=True, default="admin")
    secret = EncryptedTextField(help_text=_("Secret key or password"))
    # TLS trust: a pinned SHA-256 fingerprint of the panel certificate, or a CA bundle.
    fingerprint_sha256 = models.CharField(max_length=95, blank=True)
    ca_bundle = models.TextField(blank=True)
    timeout = models.FloatField(default=30.0)
    # Port on which the sites of this server answer HTTPS (443 unless customised).
    https_port = models.PositiveIntegerField(default=443)
    # Most certificate jobs running against this server at once, across all workers.
    max_concurrency = models.PositiveIntegerField(default=4)
    enabled = models.BooleanField(default=True)

    # What the server reported at the last contact.
    guid = models.CharField(max_length=64, blank=True)
    plesk_version = models.CharField(max_length=32, blank=True)
    protocol_version = models.CharField(max_length=16, blank=True)
    sync_state = models.CharField(
        max_length=16, choices=SyncState.choices, default=SyncState.NEVER
    )
    sync_message = models.TextField(blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    # The running sync: when it started (a stale one may be taken over) and how
    # many subscriptions of how many it has read.
    sync_started_at = models.DateTimeField(null=True, blank=True)
    sync_done = models.PositiveIntegerField(default=0)
    sync_total = models.PositiveIntegerField(default=0)
    # The server's IP addresses as last synced: [{"address", "type"}], type being
    # shared or exclusive (dedicated), IPv4 and IPv6.
    ip_addresses = models.JSONField(default=list, blank=True)
    sync_interval_minutes = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    class Kind(models.TextChoices):
        SUBSCRIPTION = "webspace", _("Subscription")
        SITE = "site", _("Site")
        SUBDOMAIN = "subdomain", _("Subdomain")
        ALIAS = "alias", _("Alias")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ORPHANED = "orphaned", _("Gone from Plesk")

    server = models.ForeignKey(
        PleskServer, on_delete=models.PROTECT, related_name="sites"
    )
    owner = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(max_length=253, help_text=_("A-label (ASCII) form"))
    display_name = models.CharField(max_length=253, help_text=_("Unicode form"))
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SITE)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    plesk_id = models.IntegerField(null=True, blank=True)
    guid = models.CharField(max_length=64, blank=True)
    webspace_id = models.IntegerField(null=True, blank=True)
    webspace_guid = models.CharField(max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aliases",
        help_text=_("The site an alias or subdomain belongs to"),
    )
    # Every address the site is served on, IPv4 and IPv6.
    ip_addresses = models.JSONField(default=list)
    hosting_type = models.CharField(max_length=16, blank=True, default="vrt_hst")
    ssl_enabled = models.BooleanField(default=False)
    # Name of the certificate Plesk has bound to the site's hosting.
    bound_certificate_name = models.CharField(max_length=255, blank=True)
    current_certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["server", "name"], name="site_unique_name"),
        ]
        indexes = [models.Index(fields=["server", "guid"])]

    def __str__(self) -> str:
        return self.display_name or self.name
