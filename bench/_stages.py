"""The stage table of bench/board_fanout.py: where the changes of a run spent their
time, read from the lines its daphnes wrote (core/realtime/stages.py)."""

import json
from pathlib import Path


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stage_table(path: Path, by_op: dict[str, float]) -> list[str]:
    """Per-stage p50/p99 (ms) of the latency phase's changes, from the daphnes'
    REALTIME_STAGE_LOG lines, and the stages of the slowest changes."""
    if not path.exists():
        return ["  (no stage log written)"]
    changes, fanouts = {}, {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record["op"] not in by_op:
            continue  # the throughput phase's, or another size's
        if record["kind"] == "change":
            changes[record["op"]] = record["stages"]
        else:
            fanouts.setdefault(record["op"], []).append(record["stages"])
    columns: dict[str, list[float]] = {}
    for stages in changes.values():
        for name, ms in stages.items():
            columns.setdefault(name, []).append(ms)
    for name in ("transit", "fanout"):
        columns[name] = [s[name] for many in fanouts.values() for s in many]
    cells = [
        f"{name} {pct(ms, 0.5):.1f}/{pct(ms, 0.99):.1f}"
        for name, ms in columns.items()
        if ms
    ]
    lines = [f"  stages p50/p99 ms ({len(changes)} changes): " + ", ".join(cells[:7])]
    if cells[7:]:
        lines.append("    " + ", ".join(cells[7:]))
    for op in sorted(by_op, key=by_op.get, reverse=True)[:3]:
        worst = {**changes.get(op, {})}
        for many in fanouts.get(op, []):
            worst[f"transit/fanout {many['transit']:.0f}/{many['fanout']:.0f}"] = 0
        shown = ", ".join(
            f"{name} {ms:.0f}" if ms else name for name, ms in worst.items()
        )
        lines.append(f"  slowest {by_op[op]:.0f} ms: {shown}")
    return lines
