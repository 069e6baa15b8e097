"""Results downloads: CSV (safe to open in a spreadsheet), JSON and Markdown."""

import csv
import io
import json
from typing import Any

from workshops.models import Workshop
from workshops.selectors import BoardResult

CSV_COLUMNS = [
    "board",
    "column",
    "cluster",
    "card",
    "text",
    "color",
    "votes",
    "channel",
    "created_at",
]
# A spreadsheet would run these as formulas; a leading ' keeps them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def results_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_safe(row[key]) for key in CSV_COLUMNS})
    return buffer.getvalue()


def results_json(workshop: Workshop, rows: list[dict[str, Any]]) -> str:
    body = {
        "workshop": {
            "id": workshop.pk,
            "title": workshop.title,
            "city": workshop.city.slug,
            "method": workshop.method,
            "starts_at": workshop.starts_at.isoformat(),
            "closed_at": workshop.closed_at.isoformat() if workshop.closed_at else None,
            "summary": workshop.summary,
            "license": "CC BY 4.0",
        },
        "cards": rows,
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def _md(text: str) -> str:
    """Card text on one Markdown line, with markup characters escaped."""
    text = " ".join(text.split())
    # `&` too, so that a typed entity such as "&lt;" shows as typed (CommonMark
    # lets any ASCII punctuation be escaped).
    for char in "\\`*_{}[]<>()#+-.!|&":
        text = text.replace(char, "\\" + char)
    return text


def results_markdown(workshop: Workshop, results: list[BoardResult]) -> str:
    lines = [f"# {_md(workshop.title)}", ""]
    if workshop.summary:
        lines += [_md(p) for p in workshop.summary.split("\n\n")] + [""]
    for board_result in results:
        lines += [f"## {_md(board_result.board.title)}", ""]
        for col in board_result.columns:
            lines += [f"### {_md(col.column.title)}", ""]
            for cluster in col.clusters:
                lines.append(f"- **{_md(cluster.name)}** ({cluster.votes})")
                lines += [f"  - {_md(c.text)} ({c.votes})" for c in cluster.cards]
            lines += [f"- {_md(c.text)} ({c.votes})" for c in col.cards]
            lines.append("")
    return "\n".join(lines)
