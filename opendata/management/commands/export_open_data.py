from pathlib import Path

from django.core.management.base import BaseCommand

from opendata.exports import write_all


class Command(BaseCommand):
    help = (
        "Write every open dataset (CSV, JSON Lines, Parquet), datapackage.json, "
        "README and LICENSE to DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        for path in write_all(directory):
            self.stdout.write(str(path))
