"""Who hears of a notice, worked out when it is sent from the settings in force then.

Up the hierarchy from the site's account: the account's own contact address, the
order's contact address for its own outcome, and every user of the account or of an
account above it whose setting for this kind of event reaches that far.
"""

from django.db.models import Q

from apps.accounts.models import Account, NotificationSetting, User
from apps.certificates.lifecycle.models import Notice

ORDER_EVENTS = {Notice.Event.ISSUED, Notice.Event.FAILED}


def ancestry(account: Account) -> list[int]:
    """Ids of the account and every account above it, nearest first."""
    ids = [int(part) for part in account.path.strip("/").split("/") if part]
    return list(reversed(ids)) or [account.pk]


def resolve(notice: Notice) -> list[str]:
    account = notice.site.owner
    addresses = [account.email]
    order = notice.order
    if order is not None and notice.event in ORDER_EVENTS:
        addresses.append(order.contact_email)
    addresses += _users(notice.event, account)
    return _unique(addresses)


def _users(event: str, account: Account) -> list[str]:
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(account_id__in=ancestry(account)) | Q(account__isnull=True))
        .select_related("account", "notification_setting")
        .order_by("pk")
    )
    addresses = []
    for user in users:
        if user.account_id is None and not user.is_superuser:
            continue
        setting = _setting(user)
        reach = setting.reach(event) if setting else _default(user, event)
        if reach == NotificationSetting.Reach.NONE:
            continue
        if reach == NotificationSetting.Reach.OWN and user.account_id != account.pk:
            continue
        addresses.append((setting.email if setting else "") or user.email)
    return addresses


def _setting(user: User) -> NotificationSetting | None:
    try:
        return user.notification_setting
    except NotificationSetting.DoesNotExist:
        return None


def _default(user: User, event: str) -> str:
    return NotificationSetting.defaults_for(user.role)[event]


def _unique(addresses: list[str]) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        folded = (address or "").strip().lower()
        if folded and folded not in seen:
            seen.add(folded)
            result.append(address.strip())
    return result
