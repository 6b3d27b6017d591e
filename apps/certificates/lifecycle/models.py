"""Bookkeeping of the lifecycle: one renewal per certificate, revocations in
progress, and the notices sent (or waiting for the daily digest)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Renewal(models.Model):
    """The renewal of one certificate. One row per certificate, so nothing is
    renewed twice; retries reuse the row."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        STARTING = "starting", _("Starting")
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting to retry")
        DONE = "done", _("Renewed")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")
        SKIPPED = "skipped", _("No longer needed")

    OPEN_STATES = (State.PLANNED, State.STARTING, State.RUNNING, State.WAITING)

    certificate = models.OneToOneField(
        "certificates.Certificate", on_delete=models.CASCADE, related_name="renewal"
    )
    site = models.ForeignKey("fleet.Site", on_delete=models.CASCADE, related_name="+")
    server = models.ForeignKey(
        "fleet.PleskServer", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PLANNED, db_index=True
    )
    scheduled_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    order = models.ForeignKey(
        "certificates.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error_code = models.IntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"renewal of certificate {self.certificate_id}: {self.state}"


class Revocation(models.Model):
    """One attempt to revoke a certificate; each remote step is recorded before it
    runs, so a crashed attempt can still put the site's binding back."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Revoked")
        FAILED = "failed", _("Failed")

    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        related_name="revocations",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.RUNNING
    )
    step = models.CharField(max_length=32, blank=True)
    ca_order_id = models.CharField(max_length=128, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    temp_certificate_name = models.CharField(max_length=255, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"revocation of certificate {self.certificate_id}: {self.state}"


class Notice(models.Model):
    """Something people should hear about. Recipients are worked out when it is
    sent, from the settings in force then."""

    class Event(models.TextChoices):
        ISSUED = "issued", _("Certificate issued")
        FAILED = "failed", _("Order failed")
        EXPIRING = "expiring", _("Certificate expiring")
        REVOKED = "revoked", _("Certificate revoked")

    event = models.CharField(max_length=16, choices=Event.choices, db_index=True)
    site = models.ForeignKey("fleet.Site", on_delete=models.CASCADE, related_name="+")
    certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    order = models.ForeignKey(
        "certificates.Order",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)
    # Set for notices that must exist at most once, e.g. "expiring:<cert>:<days>".
    key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    # Collected into the recipient's daily digest instead of mailed at once.
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Why a notice was settled without mail (e.g. the certificate was replaced).
    dropped = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.event} for site {self.site_id}"


class Digest(models.Model):
    """One digest mail: at most one per recipient and day."""

    email = models.EmailField()
    day = models.DateField()
    sent_at = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "day"], name="one_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"digest to {self.email} on {self.day}"


class Delivery(models.Model):
    """A notice that reached one address, alone or inside a digest."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField()
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "email"], name="one_delivery_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"notice {self.notice_id} to {self.email}"
