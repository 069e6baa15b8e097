"""Results downloads: CSV (safe to open in a spreadsheet), JSON, Markdown and an
SVG picture of the boards."""

import csv
import io
import json
import re
import textwrap
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import ngettext

from workshops.models import Workshop
from workshops.selectors import BoardResult, ClusterResult

CSV_COLUMNS = [
    "board",
    "column",
    "rank",
    "cluster",
    "cluster_votes",
    "rank_in_cluster",
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
            # Ranked lists; a shared rank (a tie) is written as its number again.
            for item in col.ranked:
                if isinstance(item, ClusterResult):
                    lines.append(f"{item.rank}. **{_md(item.name)}** ({item.votes})")
                    lines += [
                        f"   {c.rank}. {_md(c.text)} ({c.votes})" for c in item.cards
                    ]
                else:
                    lines.append(f"{item.rank}. {_md(item.text)} ({item.votes})")
            lines.append("")
    return "\n".join(lines)


# --- SVG: the boards as a picture -----------------------------------------------

SVG_COLUMN_WIDTH = 240
SVG_GAP = 16
SVG_PADDING = 10
SVG_LINE = 18
SVG_FONT_SIZE = 14
# Characters per line of a card at SVG_FONT_SIZE in SVG_COLUMN_WIDTH, an
# average for proportional fonts: wrapped here since SVG does not wrap text.
SVG_WRAP = 28
SVG_COLORS = {
    "yellow": "#fff3a0",
    "blue": "#cfe8ff",
    "green": "#d4f5d0",
    "pink": "#ffd6e7",
    "orange": "#ffe0b8",
    "purple": "#e6dcff",
}
# XML 1.0 allows neither C0 controls but tab and newline nor U+FFFE/U+FFFF;
# the text normaliser already keeps most out, this keeps the file well-formed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _svg_text(text: str) -> str:
    return xml_escape(_XML_INVALID.sub("", text), {'"': "&quot;"})


def _wrap(text: str, width: int = SVG_WRAP) -> list[str]:
    """Lines of at most `width` characters; long words are broken."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(
            paragraph, width=width, break_long_words=True, break_on_hyphens=True
        ) or [""]
    return lines


def _svg_attr(name: str) -> str:
    """font_size -> font-size, xml_lang -> xml:lang."""
    return name.replace("xml_", "xml:").replace("_", "-")


def _svg_lines(x: int, y: int, lines: list[str], **attrs: str) -> str:
    """`lines` as one <text>, a <tspan> a line; `attrs` its attributes."""
    extra = "".join(f' {_svg_attr(k)}="{_svg_text(v)}"' for k, v in attrs.items())
    spans = "".join(
        f'<tspan x="{x}" dy="{SVG_LINE if i else 0}">{_svg_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}"{extra}>{spans}</text>'


def results_svg(workshop: Workshop, results: list[BoardResult]) -> str:
    """The boards as one SVG picture: columns side by side, cards in their
    places on the board, with their cluster and votes.

    Only what the other exports show (hidden cards are never in `results`);
    every text is escaped and wrapped to its column.
    """
    parts: list[str] = []
    y = SVG_GAP
    width = SVG_GAP
    title = " ".join(workshop.title.split())
    parts.append(
        _svg_lines(
            SVG_GAP, y + SVG_LINE, _wrap(title, 80), font_size="20", font_weight="bold"
        )
    )
    y += SVG_LINE * (len(_wrap(title, 80)) + 1) + SVG_GAP
    for board_result in results:
        parts.append(
            _svg_lines(
                SVG_GAP,
                y + SVG_LINE,
                _wrap(" ".join(board_result.board.title.split()), 80),
                font_size="17",
                font_weight="bold",
            )
        )
        y += SVG_LINE * (len(_wrap(board_result.board.title, 80)) + 1)
        bottom = y
        for index, col in enumerate(board_result.columns):
            x = SVG_GAP + index * (SVG_COLUMN_WIDTH + SVG_GAP)
            width = max(width, x + SVG_COLUMN_WIDTH + SVG_GAP)
            heading = _wrap(" ".join(col.column.title.split()), SVG_WRAP - 4)
            parts.append(_svg_lines(x, y + SVG_LINE, heading, font_weight="bold"))
            card_y = y + SVG_LINE * (len(heading) + 1)
            cards = [c for cl in col.clusters for c in cl.cards] + col.cards
            for card in sorted(cards, key=lambda c: (c.position, c.pk)):
                lines = _wrap(card.text)
                meta = ngettext("%(n)s vote", "%(n)s votes", card.votes) % {
                    "n": card.votes
                }
                if card.group:
                    meta = f"{' '.join(card.group.split())[:40]} · {meta}"
                height = SVG_PADDING * 2 + SVG_LINE * (len(lines) + 1)
                fill = SVG_COLORS.get(card.color, SVG_COLORS["yellow"])
                parts.append(
                    f'<g><rect x="{x}" y="{card_y}" width="{SVG_COLUMN_WIDTH}" '
                    f'height="{height}" rx="4" fill="{fill}" stroke="#999"/>'
                    + _svg_lines(
                        x + SVG_PADDING,
                        card_y + SVG_PADDING + SVG_FONT_SIZE,
                        lines,
                        xml_lang=card.language or workshop.language,
                    )
                    + _svg_lines(
                        x + SVG_PADDING,
                        card_y + SVG_PADDING + SVG_FONT_SIZE + SVG_LINE * len(lines),
                        [meta],
                        font_size="12",
                        fill="#333",
                    )
                    + "</g>"
                )
                card_y += height + SVG_PADDING
            bottom = max(bottom, card_y)
        y = bottom + SVG_GAP
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
        f'viewBox="0 0 {width} {y}" role="img" aria-labelledby="title" '
        f'font-family="sans-serif" font-size="{SVG_FONT_SIZE}">'
        f'<title id="title">{_svg_text(title)}</title>'
        f'<rect width="100%" height="100%" fill="#fff"/>{"".join(parts)}</svg>\n'
    )
