"""`manage.py issue_api_key NAME`: issue an API key; its last line is the key."""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from core import apikeys
from core.errors import SERVICE_ERRORS, error_text


def _date(value: str) -> datetime.date:
    # argparse reports this as a usage error (CommandError under call_command).
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; give it as YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = (
        "Issue an API key and print it as the last line (shown only this once; "
        "only its hash is stored). Every key may read; --scope adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="A name for the key (at most 50 characters).")
        parser.add_argument(
            "--owner",
            help="Who uses the key and how to reach them (default: the name).",
        )
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            dest="scopes",
            metavar="SCOPE",
            help="A scope to grant, repeatable: " + ", ".join(apikeys.SCOPES) + ".",
        )
        parser.add_argument(
            "--expires",
            type=_date,
            metavar="YYYY-MM-DD",
            help="The key stops working at the start of this day (server time).",
        )

    # The operator's messages are in English, like the command's own.
    @no_translations
    def handle(self, *args, name: str, owner, scopes, expires, **options):
        unknown = sorted(set(scopes) - set(apikeys.SCOPES))
        if unknown:
            raise CommandError(
                f"Unknown scope {', '.join(unknown)}. "
                f"Scopes: {', '.join(apikeys.SCOPES)}."
            )
        expires_at = None
        if expires is not None:
            expires_at = timezone.make_aware(
                datetime.datetime.combine(expires, datetime.time.min)
            )
        try:
            api_key, key = apikeys.api_key_issue(
                user=apikeys.OPERATOR,
                name=name,
                owner=owner or name,
                scopes=[apikeys.READ, *scopes],
                expires_at=expires_at,
            )
        except SERVICE_ERRORS as error:
            raise CommandError(error_text(error)) from None
        self.stderr.write(
            f"Issued {api_key.name!r} (prefix {api_key.prefix}, scopes "
            f"{', '.join(api_key.scope_list)}). The key is shown only this once:"
        )
        self.stdout.write(key)
