"""A customer (or reseller) redeems a voucher on one of their own sites."""

from django.utils.translation import gettext as _

from apps.accounts import scoping
from apps.audit import services as audit
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.certificates.services.orders import start_order
from apps.fleet.models import Site


class TermsNotAccepted(CertfleetError):
    def __init__(self) -> None:
        super().__init__(errors.MISSING_PARAMETER, _("the terms must be accepted"))


def redeem(
    *, user, site, voucher_code: str, contact_email: str, accepted_terms: bool
) -> Order:
    """Check that the user may act on the site and voucher, then start the order.

    The site is looked up through the user's scope: another tenant's site raises
    Site.DoesNotExist. Refusals raise CertfleetError (-9001 unknown voucher, 7002
    not yours, ...) or end the order at once (-9019, -5001: see Order.state).
    """
    from apps.vouchers import services as vouchers

    if not accepted_terms:
        raise TermsNotAccepted()
    # Another tenant's site is simply not there (Site.DoesNotExist: a 404).
    visible = scoping.scope(Site.objects.all(), user)
    site = visible.select_related("server", "owner").get(pk=getattr(site, "pk", site))
    voucher = vouchers.find_voucher(voucher_code, user=user)
    order = start_order(
        site=site, voucher=voucher, requested_by=user, contact_email=contact_email
    )
    audit.record(
        "voucher.redeemed",
        order,
        actor=user,
        account=site.owner,
        # The event is the site owner's; its code only if the voucher is theirs.
        voucher=_code_for(voucher, site.owner),
        site=site.name,
        state=order.state,
    )
    return order


def _code_for(voucher, account) -> str:
    """The code as everyone who sees `account`'s events may read it."""
    from apps.vouchers.disclosure import masked

    if voucher.owner.path.startswith(account.path):
        return voucher.code
    return masked(voucher.code)
