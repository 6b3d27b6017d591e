"""Turn a push request (voucher code, names or a filter) into a voucher and sites.

Shared by the API and the `push` command, so both choose sites the same way.
"""

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from apps.accounts.scoping import scope
from apps.api.serializers.bulk import PushRequestSerializer
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core.names import InvalidName, to_ascii
from apps.fleet.models import Site

# How many unknown names an error lists before it says "and N more".
_SHOWN = 20


def resolve_push_request(request: Request) -> tuple[Any, list[Site], dict, str]:
    form = PushRequestSerializer(data=request.data, context={"request": request})
    form.is_valid(raise_exception=True)
    data = form.validated_data
    return resolve(
        request.user,
        data["voucher_code"],
        names=data.get("names"),
        filters=data.get("filter"),
        contact_email=data["contact_email"],
    )


def resolve(
    user: Any,
    voucher_code: str,
    *,
    names: list[str] | None = None,
    filters: dict | None = None,
    contact_email: str = "",
) -> tuple[Any, list[Site], dict, str]:
    """(voucher, sites, target, contact_email); a ValidationError names what is
    wrong (unknown names, filter keys or accounts); an empty selection raises
    CertfleetError NO_SITE_MATCHED."""
    from apps.bulk.services import select_sites
    from apps.vouchers.services import find_voucher

    voucher = find_voucher(voucher_code, user=user)
    if names is not None:
        sites = sites_named(user, names)
        target = {"names": [site.name for site in sites]}
    else:
        target = dict(filters or {})
        try:
            sites = list(select_sites(user, target))
        except CertfleetError as exc:
            if exc.code not in (errors.ACCOUNT_UNKNOWN, errors.API_INVALID):
                raise
            raise ValidationError({"filter": [_told(exc)]}) from exc
    if not sites:
        raise CertfleetError(errors.NO_SITE_MATCHED, _described(names, filters))
    return voucher, sites, target, contact_email


def _told(exc: CertfleetError) -> str:
    """An unknown account keeps its catalogue code in the words; a bad key is told
    as what was wrong."""
    return exc.detail if exc.code == errors.API_INVALID else str(exc)


def _described(names: list[str] | None, filters: dict | None) -> str:
    if names is not None:
        return f"names: {', '.join(names[:_SHOWN])}"
    return f"filter: {filters or 'every active site'}"


def sites_named(user: Any, names: list[str]) -> list[Site]:
    """The user's sites with these names (Unicode or A-label, any case)."""
    wanted: dict[str, str] = {}
    bad: list[str] = []
    for raw in names:
        try:
            wanted[to_ascii(raw)] = raw
        except InvalidName:
            bad.append(raw)
    found = list(
        scope(Site.objects.all(), user)
        .filter(name__in=list(wanted), state=Site.State.ACTIVE)
        .select_related("server")
        .order_by("name", "pk")
    )
    missing = sorted(set(wanted) - {site.name for site in found})
    bad += [wanted[name] for name in missing]
    if bad:
        shown = ", ".join(bad[:_SHOWN])
        more = f" and {len(bad) - _SHOWN} more" if len(bad) > _SHOWN else ""
        raise ValidationError({"names": [f"No site of yours is named: {shown}{more}."]})
    return found
