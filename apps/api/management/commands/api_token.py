"""Print a user's API token, creating it when they have none."""

from rest_framework.authtoken.models import Token

from apps.api.cli import CertfleetCommand, acting_user
from apps.audit.services import record


class Command(CertfleetCommand):
    help = (
        "Print the API token of USERNAME (made if missing). Use it as "
        "'Authorization: Token <key>'. Exit 0 ok, 2 unknown user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace the token: the old one stops working at once",
        )

    def handle(self, *args, username: str, reset: bool, **options) -> None:
        user = acting_user(username)
        if reset:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            record("api.token_created", user, actor=user, account=user.account)
        self.stdout.write(token.key)
