"""Who may read a voucher's code: a code is a bearer credit at the CA, so only
users whose scope holds the voucher's owner see it; others see its last four
characters, as the step logs show it."""

from apps.accounts import scoping
from apps.vouchers.models import Voucher

SHOWN = 4


def masked(code: str) -> str:
    """ "SUPERMASSPUSH2026" -> "****2026"."""
    return f"****{code[-SHOWN:]}" if code else ""


def shown_code(voucher: Voucher | None, user) -> str | None:
    """The code as `user` may read it; None without a voucher."""
    if voucher is None:
        return None
    prefix = scoping.account_path(user)
    if prefix is not None and voucher.owner.path.startswith(prefix):
        return voucher.code
    return masked(voucher.code)
