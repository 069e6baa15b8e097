"""`manage.py group_texts`: the same grouping on a file; clear errors on bad files."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.text.themes import group_texts

DEV = Path(__file__).parent / "text" / "themes-dev.jsonl"
# Three texts per language and theme is enough to compare (and embeds in ~2 s).
ROWS = [json.loads(line) for line in DEV.read_text().splitlines()][:30]


def write(path: Path, lines: list) -> Path:
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    )
    return path


def run(tmp_path: Path, lines: list, *args: str, log=None) -> Path:
    source = write(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    call_command(
        "group_texts", str(source), str(out), *args, stdout=log or io.StringIO()
    )
    return out


def test_writes_the_same_grouping_as_the_platform(tmp_path):
    rows = [{k: r[k] for k in ("id", "language", "text")} for r in ROWS]
    log = io.StringIO()
    out = run(tmp_path, rows, "--themes", "4", log=log)
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in written] == [row["id"] for row in ROWS]
    expected = group_texts(
        [(r["id"], r["language"], r["text"]) for r in ROWS], themes=4
    ).assignments
    assert {row["id"]: row["theme"] for row in written} == expected
    assert set(expected.values()) == {1, 2, 3, 4}
    assert "30 texts, 4 themes (method:" in log.getvalue()


def test_numeric_ids_come_back_as_numbers(tmp_path):
    rows = [{"id": i, "language": "en", "text": f"Text {i}"} for i in range(3)]
    written = [json.loads(x) for x in run(tmp_path, rows).read_text().splitlines()]
    assert [row["id"] for row in written] == [0, 1, 2]


GOOD = {"id": "a", "language": "fi", "text": "Lisää penkkejä"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([GOOD, "{not json"], "Line 2: not valid JSON."),
        ([GOOD, "[1, 2]"], "Line 2: not a JSON object."),
        ([{"language": "fi", "text": "x"}], 'Line 1: no "id".'),
        ([{"id": "b", "text": "x"}], 'Line 1: no "language".'),
        (
            [GOOD, {"id": "b", "language": "de", "text": "x"}],
            "Line 2: unknown language",
        ),
        ([GOOD, {"id": "b", "language": "fi", "text": " "}], 'Line 2: "text" must be'),
        ([GOOD, GOOD], "Line 2: id 'a' appears twice."),
        ([{"id": [1], "language": "fi", "text": "x"}], 'Line 1: "id" must be'),
        ([{"id": "b", "language": "fi", "text": "x" * 10_001}], "Line 1: longer than"),
        ([], "holds no texts"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(tmp_path, lines, message):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace("[", r"\[")
    ):
        run(tmp_path, lines)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("group_texts", str(tmp_path / "missing"), str(tmp_path / "o"))
    with pytest.raises(CommandError, match="--themes must be"):
        run(tmp_path, [GOOD], "--themes", "0")
    (tmp_path / "latin1").write_bytes(
        b'{"id": "a", "language": "fi", "text": "\xe4"}\n'
    )
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("group_texts", str(tmp_path / "latin1"), str(tmp_path / "o"))
