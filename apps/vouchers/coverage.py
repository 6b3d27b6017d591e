"""Which names a voucher may put on a certificate.

The www rule (the CA's): a voucher bought for www.name covers www.name and name; one
bought for name covers only name. A voucher not bound to a name covers any main
name with its www form. Further names (SANs) need a site voucher that allows them,
and wildcard names one that allows wildcards.
"""

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.vouchers.models import Voucher
from apps.vouchers.rules import ascii_name


def www_partner(name: str) -> str:
    """www.name for name, name for www.name."""
    return name[4:] if name.startswith("www.") else f"www.{name}"


def bound_covers(bound_name: str) -> set[str]:
    bound = bound_name.lower().rstrip(".")
    return {bound, bound[4:]} if bound.startswith("www.") else {bound}


def check_names(voucher: Voucher, names: list[str]) -> list[str]:
    """Raise unless the voucher covers every name; the names in A-label form.

    names[0] is the certificate's main name, the rest its further names.
    """
    if not names:
        raise CertfleetError(errors.MISSING_PARAMETER, "no name to certify")
    wanted = [ascii_name(name) for name in names]
    main = wanted[0]
    if voucher.bound_name:
        free = bound_covers(ascii_name(voucher.bound_name))
        if main not in free:
            raise _bound_mismatch(voucher, main)
    else:
        free = {main, www_partner(main)}
    for name in wanted:
        if name.startswith("*.") and not voucher.allow_wildcard:
            raise CertfleetError(
                errors.PARAMETER_COMBINATION,
                f"{name}: this voucher does not allow wildcard names",
            )
        if name not in free and not voucher.allow_san:
            if voucher.bound_name:
                raise _bound_mismatch(voucher, name)
            raise CertfleetError(
                errors.PARAMETER_COMBINATION,
                f"{name}: this voucher covers {main} and its www form only",
            )
    return wanted


def allowed_names(voucher: Voucher, names: list[str]) -> list[str]:
    """The names of `names` the voucher covers, main name first, others dropped.

    For optional names (an alias, the www form): one the voucher does not cover is
    left off the certificate instead of sinking the order. The main name is not
    optional: when it is not covered, this raises like check_names.
    """
    kept = check_names(voucher, names[:1])
    for name in names[1:]:
        try:
            extra = check_names(voucher, [names[0], name])[1]
        except CertfleetError:
            continue
        if extra not in kept:
            kept.append(extra)
    return kept


def _bound_mismatch(voucher: Voucher, name: str) -> CertfleetError:
    # Asking for www.name on a voucher bought for name is the www rule (-9016);
    # any other name is simply not the voucher's (-9003).
    bound = ascii_name(voucher.bound_name)
    if name == f"www.{bound}":
        return CertfleetError(
            errors.CSR_NAME_MISMATCH,
            f"{name}: a voucher for {bound} covers only {bound}",
        )
    return CertfleetError(
        errors.NAME_NOT_VOUCHER_NAME,
        f"{name}: the voucher is for {bound}",
    )
