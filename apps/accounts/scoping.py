"""The one place that decides which objects a user may see.

Every page, API view, export and task acting for a user narrows its queryset here.
Objects outside the scope are simply absent, so lookups answer 404.
"""

from django.db.models import QuerySet

from apps.accounts.models import Account

# How each scoped model reaches its owning account.
OWNER_PATHS = {
    "accounts.account": "",
    "fleet.site": "owner__",
    "fleet.pleskserver": None,  # provider staff only
    "vouchers.voucher": "owner__",
    "certificates.order": "site__owner__",
    "certificates.certificate": "site__owner__",
    "certificates.healthcheck": "site__owner__",
    "bulk.push": None,
    "audit.auditevent": "account__",
}


def account_path(user) -> str | None:
    """The path prefix of what the user may see; None for nothing."""
    if not user.is_authenticated:
        return None
    if user.is_superuser and user.account_id is None:
        return "/"
    if user.account_id is None:
        return None
    return user.account.path


def scope(queryset: QuerySet, user) -> QuerySet:
    """Narrow `queryset` to what `user` may see."""
    label = queryset.model._meta.label_lower
    if label not in OWNER_PATHS:
        raise LookupError(f"{label} has no scoping rule")
    prefix = account_path(user)
    if prefix is None:
        return queryset.none()
    relation = OWNER_PATHS[label]
    if relation is None:
        provider = user.is_superuser or user.role == Account.Kind.PROVIDER
        return queryset if provider else queryset.none()
    if prefix == "/":
        return queryset
    return queryset.filter(**{f"{relation}path__startswith": prefix})
