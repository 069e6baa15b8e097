"""`manage.py group_texts IN.jsonl OUT.jsonl [--themes N]`: the platform's theme
grouping (`core.text.themes`) on a file of `{"id", "language", "text"}` lines,
written as `{"id", "theme"}` lines."""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from core.text.analysis import LANGUAGES
from core.text.themes import MAX_THEMES, group_texts

MAX_TEXTS = 100_000
MAX_TEXT_LENGTH = 10_000


def read_items(path: Path) -> list[tuple[object, str, str]]:
    """The file's (id, language, text) items; CommandError naming the first bad line."""
    items = []
    seen = set()
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                items.append(_item(line, number, seen))
                if len(items) > MAX_TEXTS:
                    raise CommandError(f"More than {MAX_TEXTS} texts.")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text.") from None
    if not items:
        raise CommandError(f"{path} holds no texts.")
    return items


def _item(line: str, number: int, seen: set) -> tuple[object, str, str]:
    try:
        row = json.loads(line)
    except ValueError:
        raise CommandError(f"Line {number}: not valid JSON.") from None
    if not isinstance(row, dict):
        raise CommandError(f"Line {number}: not a JSON object.")
    for key in ("id", "language", "text"):
        if key not in row:
            raise CommandError(f'Line {number}: no "{key}".')
    identifier, language, text = row["id"], row["language"], row["text"]
    if not isinstance(identifier, str | int) or isinstance(identifier, bool):
        raise CommandError(f'Line {number}: "id" must be a string or a number.')
    if str(identifier) in seen:
        raise CommandError(f"Line {number}: id {identifier!r} appears twice.")
    seen.add(str(identifier))
    if language not in LANGUAGES:
        raise CommandError(
            f"Line {number}: unknown language {language!r} "
            f"(one of {', '.join(LANGUAGES)})."
        )
    if not isinstance(text, str) or not text.strip():
        raise CommandError(f'Line {number}: "text" must be a non-empty string.')
    if len(text) > MAX_TEXT_LENGTH:
        raise CommandError(f"Line {number}: longer than {MAX_TEXT_LENGTH} characters.")
    return identifier, language, text


class Command(BaseCommand):
    help = (
        "Group texts into themes offline, as the platform does: reads "
        '{"id", "language", "text"} JSON lines (language fi, sv or en), writes '
        '{"id", "theme"} lines (themes numbered from 1, largest first).'
    )

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument(
            "--themes",
            type=int,
            help=f"Number of themes (1-{MAX_THEMES * 4}); else the method chooses.",
        )

    @no_translations  # one language in the console: the report is English
    def handle(self, *args, input, output, themes, **options):
        if themes is not None and not 1 <= themes <= MAX_THEMES * 4:
            raise CommandError(f"--themes must be between 1 and {MAX_THEMES * 4}.")
        items = read_items(input)
        grouping = group_texts(
            [(str(i), language, text) for i, language, text in items], themes=themes
        )
        theme_of = grouping.assignments
        # A temporary file beside the output, renamed over it only when complete.
        directory = output.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"No directory {directory}.")
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for identifier, _language, _text in items:
                    row = {"id": identifier, "theme": theme_of[str(identifier)]}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"{len(items)} texts, {len(grouping.themes)} themes "
            f"(method: {grouping.method})."
        )
        for theme in grouping.themes:
            self.stdout.write(
                f"{theme.number}: {theme.size} — {', '.join(theme.words)}"
            )
