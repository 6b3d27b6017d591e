"""The server's subscriptions, sites, subdomains and aliases into Site rows.

Matched by GUID, then by name (aliases and subdomains, which have no GUID, by name,
then by kind and id under the same subscription); a renamed site stays the same row,
one that vanished becomes orphaned. Only rows that changed are written, in bulk.
"""

from dataclasses import dataclass

from apps.core import clock
from apps.fleet.models import Site
from apps.fleet.services.accounts import AccountTree
from apps.fleet.services.remote import RemoteSite, Snapshot

FIELDS = [
    "name",
    "display_name",
    "kind",
    "state",
    "plesk_id",
    "guid",
    "webspace_id",
    "webspace_guid",
    "ip_addresses",
    "hosting_type",
    "ssl_enabled",
    "bound_certificate_name",
    "owner",
    "parent",
    "synced_at",
]


@dataclass
class SiteCounts:
    created: int = 0
    updated: int = 0
    orphaned: int = 0
    unchanged: int = 0


class SiteTable:
    def __init__(self, server, accounts: AccountTree) -> None:
        self.server = server
        self.accounts = accounts
        self.rows = list(Site.objects.filter(server=server))
        self.by_guid = {r.guid: r for r in self.rows if r.guid}
        self.by_name = {r.name: r for r in self.rows}
        self.by_kind_id = {(r.kind, r.webspace_guid, r.plesk_id): r for r in self.rows}
        self.claimed: set[int] = set()
        self.by_plesk_domain: dict[int, Site] = {}
        self.counts = SiteCounts()
        self.now = clock.now()

    def apply(self, snapshot: Snapshot) -> SiteCounts:
        self._write(snapshot.domains)
        self._write(snapshot.attached)
        self._orphan_the_rest()
        return self.counts

    def _match(self, remote: RemoteSite) -> Site | None:
        candidates = [
            self.by_guid.get(remote.guid) if remote.guid else None,
            self.by_name.get(remote.name),
        ]
        if not remote.guid:
            key = (remote.kind, remote.webspace_guid, remote.plesk_id)
            candidates.append(self.by_kind_id.get(key))
        for row in candidates:
            if row is not None and row.pk not in self.claimed:
                if (
                    remote.guid
                    and row.guid
                    and row.guid != remote.guid
                    and (row.guid in self._live_guids)
                ):
                    continue  # that row is another live site's
                return row
        return None

    def _values(self, remote: RemoteSite) -> dict:
        parent = (
            self.by_plesk_domain.get(remote.parent_id) if (remote.parent_id) else None
        )
        owner_id = (
            parent.owner_id
            if parent is not None
            else self.accounts.owner(remote.owner_id).pk
        )
        return {
            "name": remote.name,
            "display_name": remote.display_name,
            "kind": remote.kind,
            "state": Site.State.ACTIVE,
            "plesk_id": remote.plesk_id,
            "guid": remote.guid,
            "webspace_id": remote.webspace_id,
            "webspace_guid": remote.webspace_guid,
            "ip_addresses": list(remote.ips),
            "hosting_type": remote.htype,
            "ssl_enabled": remote.ssl,
            "bound_certificate_name": remote.certificate_name,
            "owner_id": owner_id,
            "parent_id": parent.pk if parent is not None else None,
        }

    def _write(self, remotes: list[RemoteSite]) -> None:
        self._live_guids = {r.guid for r in remotes if r.guid}
        new, changed = [], []
        for remote in remotes:
            values = self._values(remote)
            row = self._match(remote)
            if row is None:
                row = Site(server=self.server, synced_at=self.now, **values)
                new.append(row)
            else:
                self.claimed.add(row.pk)
                if _differs(row, values):
                    for field, value in values.items():
                        setattr(row, field, value)
                    row.synced_at = self.now
                    changed.append(row)
                else:
                    self.counts.unchanged += 1
            if remote.kind in ("webspace", "site"):
                self.by_plesk_domain[remote.plesk_id] = row
        self._free_names(new + changed)
        Site.objects.bulk_create(new, batch_size=500)
        self.claimed.update(row.pk for row in new)
        Site.objects.bulk_update(changed, FIELDS, batch_size=500)
        self.counts.created += len(new)
        self.counts.updated += len(changed)

    def _free_names(self, writing: list[Site]) -> None:
        """A name taken by a site that vanished is given up by the vanished row."""
        writing_pks = {row.pk for row in writing}
        freed = []
        for row in writing:
            holder = self.by_name.get(row.name)
            if holder is None or holder is row or holder.pk in self.claimed:
                continue
            if holder.pk in writing_pks:
                continue  # TODO: two sites swapping names in one sync collide
            holder.name = f"orphaned-{holder.pk}-{holder.name}"[:253]
            holder.state = Site.State.ORPHANED
            holder.synced_at = self.now
            freed.append(holder)
            self.claimed.add(holder.pk)
            self.counts.orphaned += 1
        Site.objects.bulk_update(freed, ["name", "state", "synced_at"])

    def _orphan_the_rest(self) -> None:
        gone = [
            row
            for row in self.rows
            if row.pk not in self.claimed and row.state != Site.State.ORPHANED
        ]
        for row in gone:
            row.state = Site.State.ORPHANED
            row.synced_at = self.now
        Site.objects.bulk_update(gone, ["state", "synced_at"], batch_size=500)
        self.counts.orphaned += len(gone)


def _differs(row: Site, values: dict) -> bool:
    return any(getattr(row, field) != value for field, value in values.items())
