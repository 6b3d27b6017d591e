"""Resellers and customers of a server into the accounts tree, under the provider.

Matched by GUID, then by login; written in bulk, a constant number of queries.
"""

from dataclasses import dataclass

from apps.accounts.models import Account
from apps.fleet.services.remote import ADMIN_ID, RemoteAccount, Snapshot

_FIELDS = ["name", "email", "plesk_id", "plesk_guid", "plesk_login", "parent"]


@dataclass
class AccountCounts:
    created: int = 0
    updated: int = 0


def provider_account() -> Account:
    """The root of the tree: the hosting provider running Certfleet."""
    provider = (
        Account.objects.filter(kind=Account.Kind.PROVIDER, parent__isnull=True)
        .order_by("pk")
        .first()
    )
    return provider or Account.objects.create(
        kind=Account.Kind.PROVIDER, name="Provider"
    )


class AccountTree:
    """The server's accounts by Plesk id, for owners of subscriptions and sites."""

    def __init__(self, server, provider: Account) -> None:
        self.server = server
        self.provider = provider
        self.rows = list(Account.objects.filter(server=server))
        self.by_guid = {a.plesk_guid: a for a in self.rows if a.plesk_guid}
        self.by_login = {(a.kind, a.plesk_login): a for a in self.rows}
        self.by_plesk_id: dict[int, Account] = {ADMIN_ID: provider}
        self.counts = AccountCounts()

    def owner(self, plesk_id: int) -> Account:
        return self.by_plesk_id.get(plesk_id, self.provider)

    def apply(self, snapshot: Snapshot) -> AccountCounts:
        # TODO: accounts gone from Plesk are kept unchanged; mark them once Account
        # has a state for it.
        self._apply_kind(Account.Kind.RESELLER, snapshot.resellers)
        self._apply_kind(Account.Kind.CUSTOMER, snapshot.customers)
        return self.counts

    def _match(self, kind: str, remote: RemoteAccount) -> Account | None:
        found = self.by_guid.get(remote.guid) if remote.guid else None
        return found or self.by_login.get((kind, remote.login))

    def _apply_kind(self, kind: str, remotes: list[RemoteAccount]) -> None:
        new, changed = [], []
        for remote in remotes:
            parent = (
                self.provider
                if kind == Account.Kind.RESELLER
                else self.owner(remote.owner_id)
            )
            values = {
                "name": remote.name or remote.login,
                "email": remote.email,
                "plesk_id": remote.plesk_id,
                "plesk_guid": remote.guid,
                "plesk_login": remote.login,
                "parent": parent,
            }
            row = self._match(kind, remote)
            if row is None:
                row = Account(kind=kind, server=self.server, **values)
                new.append(row)
            elif _differs(row, values):
                for field, value in values.items():
                    setattr(row, field, value)
                row.path = f"{parent.path}{row.pk}/"
                changed.append(row)
            self.by_plesk_id[remote.plesk_id] = row
        if new:
            Account.objects.bulk_create(new, batch_size=500)
            for row in new:  # the path needs the primary key
                row.path = f"{row.parent.path}{row.pk}/"
            changed += new
        if changed:
            Account.objects.bulk_update(changed, [*_FIELDS, "path"], batch_size=500)
        self.counts.created += len(new)
        self.counts.updated += len(changed) - len(new)


def _differs(row: Account, values: dict) -> bool:
    for field, value in values.items():
        if field == "parent":
            if row.parent_id != value.pk:
                return True
        elif getattr(row, field) != value:
            return True
    return False
