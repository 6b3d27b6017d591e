"""Prepaid vouchers and the uses reserved or spent against them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Voucher(models.Model):
    class Kind(models.TextChoices):
        TRIAL = "trial", _("Trial")
        SITE = "site", _("Site")
        SUPER = "super", _("Super")
        MONTHLY = "monthly", _("Monthly")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXHAUSTED = "exhausted", _("Exhausted")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class Platform(models.TextChoices):
        PLESK = "plesk", "Plesk"
        CPANEL = "cpanel", "cPanel"
        IIS = "iis", "IIS"
        LINUX = "linux", "Linux"
        ANY = "any", _("Any platform")

    # Canonical form (vouchers.codes): upper case, no separators, look-alikes folded.
    code = models.CharField(max_length=64, unique=True)
    # The code exactly as its supplier printed it: what the CA is sent, since a CA
    # need not fold look-alikes the way we do. Empty for codes we generated.
    issued_code = models.CharField(max_length=128, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    certificate_days = models.PositiveIntegerField(
        help_text=_("Lifetime of certificates")
    )
    expires_at = models.DateTimeField(
        help_text=_("Last moment the voucher can be redeemed")
    )
    # Allowed networks: "10.0.0.0/8", "2001:db8::/32" or "192.0.2.10-192.0.2.20".
    networks = models.JSONField(default=list, blank=True)
    platform = models.CharField(
        max_length=16, choices=Platform.choices, default="plesk"
    )
    bound_name = models.CharField(max_length=253, blank=True)
    allow_san = models.BooleanField(default=False)
    allow_wildcard = models.BooleanField(default=False)
    uses_allowed = models.PositiveIntegerField(default=1)
    uses_reserved = models.PositiveIntegerField(default=0)
    uses_spent = models.PositiveIntegerField(default=0)
    reissues_per_day = models.PositiveIntegerField(default=5)
    owner = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="vouchers"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(uses_reserved__gte=0)
                & Q(uses_spent__gte=0)
                & Q(uses_allowed__gte=F("uses_spent") + F("uses_reserved")),
                name="voucher_uses_within_allowance",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def uses_left(self) -> int:
        return self.uses_allowed - self.uses_spent - self.uses_reserved

    @property
    def ca_code(self) -> str:
        """The code to send to the CA."""
        return self.issued_code or self.code

    def clean(self) -> None:
        from apps.vouchers.rules import problems

        found = problems(self)
        if found:
            raise ValidationError(found)


class VoucherUse(models.Model):
    """One use of a voucher by one order: reserved when the order starts, spent when
    the CA issues, released when the order fails."""

    class State(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        SPENT = "spent", _("Spent")
        RELEASED = "released", _("Released")

    class Kind(models.TextChoices):
        # A new certificate takes one of the voucher's uses; a reissue of a live
        # certificate from the same voucher takes none but counts towards the
        # daily reissue limit.
        NEW = "new", _("New certificate")
        REISSUE = "reissue", _("Reissue")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="uses")
    order = models.OneToOneField(
        "certificates.Order", on_delete=models.PROTECT, related_name="voucher_use"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEW)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.RESERVED
    )
    reserved_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    # Set while the CA holds the order for review (-5001): the use stays reserved,
    # neither spent nor released, until the review ends.
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["voucher", "kind", "reserved_at"])]

    def __str__(self) -> str:
        return f"{self.voucher_id} for order {self.order_id}: {self.state}"
