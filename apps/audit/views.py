"""The audit log: who changed what, and when, within the user's scope."""

from apps.accounts.views import ScopedListView
from apps.audit.filters import AuditFilter
from apps.audit.models import AuditEvent
from apps.audit.tables import AuditTable


class AuditListView(ScopedListView):
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "audit/event_list.html"

    def base_queryset(self):
        return AuditEvent.objects.select_related("actor", "account").order_by(
            "-at", "-pk"
        )
