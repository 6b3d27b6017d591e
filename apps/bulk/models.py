"""Bulk pushes: one voucher onto many sites, one order per site."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Push(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, related_name="pushes"
    )
    authority = models.ForeignKey(
        "ca.CertificateAuthority", null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # How the targets were chosen: the filter's fields, or "csv" with the names.
    target = models.JSONField(default=dict)
    contact_email = models.EmailField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push {self.pk}"


class ServerSlot(models.Model):
    """One of a Plesk server's concurrency slots (server.max_concurrency of them).

    A worker holds a slot while it runs a certificate job against the server; the
    lease expires, so a crashed worker's slot frees itself.
    """

    server = models.ForeignKey(
        "fleet.PleskServer", on_delete=models.CASCADE, related_name="slots"
    )
    number = models.PositiveIntegerField()
    holder = models.CharField(max_length=255, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["server", "number"], name="server_slot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"slot {self.number} of {self.server_id}"
