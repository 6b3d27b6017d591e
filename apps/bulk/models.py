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
