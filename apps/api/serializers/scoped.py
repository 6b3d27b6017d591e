"""Relations a request may name only within the requesting user's scope: an id of
another tenant's object is refused like one that does not exist."""

from rest_framework import serializers

from apps.accounts.models import Account
from apps.accounts.scoping import scope


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return scope(self.queryset.all(), request.user)


class ScopedAccountField(ScopedRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Account.objects.all())
        super().__init__(**kwargs)
