"""Make the site search's index agree with what is public now."""

from django.core.management.base import BaseCommand, CommandError

from core import searchables
from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the site search's index (every public thing of every registered "
        "kind); --incremental fixes only the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Index what is missing and drop what is no longer public.",
        )
        parser.add_argument(
            "--kind", action="append", help="Only this kind (repeatable)."
        )

    def handle(self, *args, incremental=False, kind=None, **options):
        unknown = set(kind or ()) - set(searchables.searchables())
        if unknown:
            raise CommandError(f"Unknown kind: {', '.join(sorted(unknown))}")
        result = index_rebuild(kinds=kind, incremental=incremental)
        for name, (written, deleted) in result.items():
            if options["verbosity"]:
                self.stdout.write(f"{name}: {written} written, {deleted} removed")
