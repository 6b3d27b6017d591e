"""Orders (one certificate's job, step by step) and the certificates they produce."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField


class Order(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held for review at the CA")

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        RENEWAL = "renewal", _("Renewal")
        REISSUE = "reissue", _("Reissue")

    site = models.ForeignKey(
        "fleet.Site", on_delete=models.PROTECT, related_name="orders"
    )
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    authority = models.ForeignKey(
        "ca.CertificateAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    push = models.ForeignKey(
        "bulk.Push",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEW)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    # Name of the last step that completed; a resumed task continues after it.
    step = models.CharField(max_length=32, blank=True)
    names = models.JSONField(
        default=list, help_text=_("Names the certificate must cover")
    )
    contact_email = models.EmailField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    error_code = models.IntegerField(null=True, blank=True, db_index=True)
    error_message = models.TextField(blank=True)
    error_advice = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    # What the pipeline carries between steps (all recorded before moving on).
    key_pem = EncryptedTextField(blank=True)
    csr_pem = models.TextField(blank=True)
    snapshot = models.JSONField(null=True, blank=True, help_text=_("Binding before"))
    ca_order_id = models.CharField(max_length=128, blank=True)
    temp_certificate_name = models.CharField(max_length=255, blank=True)
    # The temporary certificate and its chain (PEM), kept so that a retry can
    # serve it again when it asks the CA for the real certificate once more.
    temp_cert_pem = models.TextField(blank=True)
    # Recorded before the real certificate is asked of the CA. While set and
    # nothing was issued, the outcome is unknown: a retry asks again with the same
    # CA order and CSR, never orders anew.
    real_order_asked_at = models.DateTimeField(null=True, blank=True)
    issued_cert_pem = models.TextField(blank=True)
    issued_chain_pem = models.TextField(blank=True)
    installed_name = models.CharField(max_length=255, blank=True)
    certificate = models.OneToOneField(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Worker lease: the worker that claimed the order and until when.
    claimed_by = models.CharField(max_length=255, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["push", "state"])]
        constraints = [
            # One order at a time per site, whoever starts it. An order the CA
            # holds for review blocks a new one through its held voucher use
            # (apps.vouchers.redemption.refuse_if_held), not here: it may wait
            # for weeks and is not running.
            models.UniqueConstraint(
                fields=["site"],
                condition=models.Q(state__in=["pending", "running"]),
                name="one_active_order_per_site",
            )
        ]

    def __str__(self) -> str:
        return f"order {self.pk} for {self.site_id}"


class OrderStep(models.Model):
    """One line of an order's log: a step, its outcome and timing, and the raw
    answers (secrets masked) support needs."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")
        OK = "ok", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")
        ROLLBACK = "rollback", _("Rolled back")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=32)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    detail = models.TextField(blank=True)
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", _("Revoked")

    site = models.ForeignKey(
        "fleet.Site", on_delete=models.PROTECT, related_name="certificates"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default="active")
    # Serial: lookup key is the integer in hex without leading zeros; display keeps
    # the certificate's own digits.
    serial_key = models.CharField(max_length=64, db_index=True)
    serial_hex = models.CharField(max_length=64)
    subject_cn = models.CharField(max_length=253)
    sans = models.JSONField(default=list)
    issuer = models.CharField(max_length=512)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField(db_index=True)
    fingerprint_sha256 = models.CharField(max_length=64, db_index=True)
    cert_pem = models.TextField()
    chain_pem = models.TextField(blank=True)
    key_pem = EncryptedTextField()
    plesk_name = models.CharField(max_length=255, blank=True)
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subject_cn} ({self.serial_hex})"


class HealthCheck(models.Model):
    """What a TLS handshake to the site showed at one moment."""

    site = models.ForeignKey(
        "fleet.Site", on_delete=models.CASCADE, related_name="health"
    )
    checked_at = models.DateTimeField(db_index=True)
    address = models.CharField(max_length=64, blank=True)
    ok = models.BooleanField(default=False)
    served_fingerprint = models.CharField(max_length=64, blank=True)
    matches_installed = models.BooleanField(default=False)
    chain_complete = models.BooleanField(default=False)
    hostname_matches = models.BooleanField(default=False)
    days_left = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.site_id} at {self.checked_at:%Y-%m-%d %H:%M}"
