"""Benchmark: themes for 10,000 texts on one core (`core.text.themes.group_texts`).

    taskset -c 0 .venv/bin/python bench/themes.py [--texts 10000]

Texts are made by joining two texts of the labelled set (tests/core/text/
themes-dev.jsonl) of the same language and theme, so each is distinct and keeps a
true theme. Prints the same-run baseline (the lemmatising pass alone, dictionaries
already loaded), the grouping's wall time with its method, the ARI against the true
themes, and the load average. No database.
"""

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.text import themes  # noqa: E402
from core.text.analysis import index_terms  # noqa: E402
from tests.core.text.test_themes import adjusted_rand_index, purity  # noqa: E402

DEV = ROOT / "tests" / "core" / "text" / "themes-dev.jsonl"


def texts(count: int) -> tuple[list[tuple[str, str, str]], list[str]]:
    rows = [json.loads(line) for line in DEV.read_text().splitlines()]
    pools = defaultdict(list)
    for row in rows:
        pools[(row["language"], row["theme"])].append(row["text"])
    rng = random.Random(10_000)  # noqa: S311 - repeatable data, not a secret
    items, truth = [], []
    for number in range(count):
        row = rng.choice(rows)
        other = rng.choice(pools[(row["language"], row["theme"])])
        items.append((f"t{number}", row["language"], f"{row['text']} {other}"))
        truth.append(row["theme"])
    return items, truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=10_000)
    count = parser.parse_args().texts
    items, truth = texts(count)
    index_terms("lämpimät kirjastot", "fi")  # load the dictionaries before timing
    index_terms("varma bibliotek", "sv")
    index_terms("warm libraries", "en")
    start = time.perf_counter()
    for _id, language, text in items:
        index_terms(text, language)
    baseline = time.perf_counter() - start
    themes._EMBEDDINGS.clear()
    start, cpu = time.perf_counter(), time.process_time()
    grouping = themes.group_texts(items)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assigned = grouping.assignments
    predicted = [assigned[item[0]] for item in items]
    print(f"texts: {count}, themes: {len(grouping.themes)}, method: {grouping.method}")
    print(f"baseline (lemmatising pass alone): {baseline:.1f} s")
    print(
        f"group_texts: {elapsed:.1f} s wall, {cpu:.1f} s CPU "
        f"({elapsed / baseline:.1f}x baseline; {themes.SAMPLE_SIZE} texts embedded)"
    )
    print(
        f"ARI {adjusted_rand_index(predicted, truth):.2f}, "
        f"purity {purity(predicted, truth):.2f} (true themes: 8)"
    )
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"cores allowed: {len(os.sched_getaffinity(0))}")


if __name__ == "__main__":
    main()
