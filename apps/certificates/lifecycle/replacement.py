"""The one-click replacement offered after a revocation: which vouchers of the user
could secure the site again right now, and starting the order with one of them."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from apps.accounts.scoping import scope
from apps.certificates.lifecycle.coverage import names_of
from apps.certificates.models import Certificate, Order
from apps.fleet.models import Site
from apps.vouchers.models import Voucher

CANDIDATES = 20


@dataclass(frozen=True)
class Replacement:
    """What the page needs: the site, the names the old certificate had, vouchers
    that pass every local check (best first) and where to buy one otherwise."""

    certificate: Certificate
    site: Site
    names: list[str]
    vouchers: list[Voucher] = field(default_factory=list)
    purchase_url: str = ""

    @property
    def voucher(self) -> Voucher | None:
        return self.vouchers[0] if self.vouchers else None


def replacement_for(*, user, certificate: Certificate) -> Replacement:
    from apps.certificates import services

    certificate = scope(Certificate.objects.filter(pk=certificate.pk), user).get()
    site = certificate.site
    candidates = (
        scope(Voucher.objects.filter(status=Voucher.Status.ACTIVE), user)
        .annotate(
            same=Case(
                When(pk=certificate.voucher_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same", "expires_at", "pk")[:CANDIDATES]
    )
    usable = [v for v in candidates if not services.local_checks(site, v, user=user)]
    return Replacement(
        certificate=certificate,
        site=site,
        names=names_of(certificate),
        vouchers=usable,
        purchase_url=site.owner.effective_purchase_url(),
    )


def start_replacement(*, user, certificate: Certificate, voucher: Voucher) -> Order:
    """Order a new certificate for the site of `certificate` with `voucher`."""
    from apps.certificates import services

    certificate = scope(Certificate.objects.filter(pk=certificate.pk), user).get()
    voucher = scope(Voucher.objects.filter(pk=voucher.pk), user).get()
    return services.start_order(
        site=certificate.site,
        voucher=voucher,
        requested_by=user,
        contact_email=user.email,
        kind=Order.Kind.NEW,
    )
