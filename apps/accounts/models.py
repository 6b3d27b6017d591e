"""The accounts tree: provider, resellers, customers, as in Plesk, and their users."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        RESELLER = "reseller", _("Reseller")
        CUSTOMER = "customer", _("Customer")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/1/5/23/": a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    email = models.EmailField(blank=True)
    # Where "No voucher?" points; empty means inherit from the parent.
    purchase_url = models.URLField(blank=True)
    # Customer-level opt-in to automatic renewal of all their sites.
    auto_renew = models.BooleanField(default=False)

    # Where the account came from in Plesk (empty for accounts made in the portal).
    server = models.ForeignKey(
        "fleet.PleskServer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    plesk_id = models.IntegerField(null=True, blank=True)
    plesk_guid = models.CharField(max_length=64, blank=True, db_index=True)
    plesk_login = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["server", "plesk_guid"],
                condition=~models.Q(plesk_guid=""),
                name="account_unique_plesk_guid_per_server",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            Account.objects.filter(pk=self.pk).update(path=path)

    def effective_purchase_url(self) -> str:
        """Own link, else the nearest ancestor's."""
        node: Account | None = self
        while node is not None:
            if node.purchase_url:
                return node.purchase_url
            node = node.parent
        return ""


class User(AbstractUser):
    """A person; what they see follows from the account they belong to."""

    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    @property
    def role(self) -> str:
        if self.account_id is None:
            return Account.Kind.PROVIDER if self.is_superuser else ""
        return self.account.kind

    @property
    def is_provider_staff(self) -> bool:
        return self.role == Account.Kind.PROVIDER


class NotificationSetting(models.Model):
    """Which lifecycle emails one user gets. Per kind of event: none, only about the
    sites of the user's own account, or also about every account below it. Users
    without a row get the defaults of their role (`defaults_for`)."""

    class Reach(models.TextChoices):
        NONE = "none", _("Never")
        OWN = "own", _("My own sites")
        BELOW = "below", _("My sites and those of accounts below me")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_setting"
    )
    issued = models.CharField(max_length=8, choices=Reach.choices, default="own")
    failed = models.CharField(max_length=8, choices=Reach.choices, default="own")
    expiring = models.CharField(max_length=8, choices=Reach.choices, default="own")
    revoked = models.CharField(max_length=8, choices=Reach.choices, default="own")
    # Another address instead of the user's own (empty: the user's email).
    email = models.EmailField(blank=True)

    EVENTS = ("issued", "failed", "expiring", "revoked")

    def __str__(self) -> str:
        return f"notifications of {self.user}"

    @classmethod
    def defaults_for(cls, role: str) -> dict[str, str]:
        """Customers hear about their own sites; resellers and provider staff also
        hear of failures, expiries and revocations below them, not of every issue."""
        if role == Account.Kind.CUSTOMER or not role:
            return dict.fromkeys(cls.EVENTS, cls.Reach.OWN)
        below = dict.fromkeys(cls.EVENTS, cls.Reach.BELOW)
        return {**below, "issued": cls.Reach.OWN}

    def reach(self, event: str) -> str:
        return getattr(self, event)
