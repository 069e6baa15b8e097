"""Benchmark: the customer panel draw for 5,000 applicants and 6 criteria.

    .venv/bin/python bench/panel_draw.py [--applicants 5000] [--size 30] [--runs 5]

Times `workshops.panels.draw.draw` (the greedy quota draw of the panel and its
reserve, both `size`) and `pool_hash` on a generated pool that does not look
like the city (young, female, Finnish-speaking people apply more often), with
6 criteria: age band (6 groups), gender (4), first language (7), district
(10) and two of the city's own (3 and 4 options). The same-run baseline is the
same draw on 500 applicants. Prints the median and the worst of `--runs`
repetitions, the ratio to the baseline, the panel's fit figure and the load
average (the machine may be shared). Target: ≤ 2 s for 5,000 applicants. No
database: the draw is pure Python; the service around it adds one query for
the pool and one write per applicant drawn or put on the reserve.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import pct  # noqa: E402
from workshops.panels import draw  # noqa: E402

CRITERIA = {
    "age_band": {
        "18_29": 0.18,
        "30_44": 0.24,
        "45_64": 0.3,
        "65_74": 0.15,
        "75_up": 0.13,
        "under_18": 0.0,
    },
    "gender": {"female": 0.5, "male": 0.48, "other": 0.01, "undisclosed": 0.01},
    "first_language": {
        "fi": 0.76,
        "sv": 0.06,
        "ru": 0.04,
        "et": 0.03,
        "ar": 0.02,
        "so": 0.02,
        "other": 0.07,
    },
    "district": {str(n): w for n, w in enumerate([14, 12, 11, 10, 10, 10, 9, 9, 8, 7])},
    "custom-1": {"weekly": 0.3, "monthly": 0.3, "rarely": 0.4},
    "custom-2": {"car": 0.35, "bus": 0.4, "bike": 0.15, "walk": 0.1},
}
# How applicants differ from the city: weights multiplying the target shares.
SKEW = {
    "age_band": {"18_29": 3, "30_44": 2, "65_74": 0.5, "75_up": 0.2},
    "gender": {"female": 2},
    "first_language": {"fi": 1.5},
}


def targets() -> dict[str, dict[str, float]]:
    result = {}
    for criterion, groups in CRITERIA.items():
        total = sum(groups.values())
        result[criterion] = {g: round(w / total, 6) for g, w in groups.items() if w}
    return result


def pool(n: int, rng: random.Random) -> list[draw.Applicant]:
    weights = {
        c: (list(g), [w * SKEW.get(c, {}).get(k, 1) for k, w in g.items()])
        for c, g in CRITERIA.items()
    }
    applicants = []
    for _i in range(n):
        strata = {}
        for criterion, (groups, w) in weights.items():
            # One in ten leaves a detail out: it counts for no group.
            strata[criterion] = (
                None if rng.random() < 0.1 else rng.choices(groups, weights=w)[0]
            )
        applicants.append(draw.Applicant(f"{rng.getrandbits(128):032x}", strata))
    return applicants


def measure(applicants, size: int, runs: int) -> tuple[list[float], float]:
    goal = targets()
    seconds = []
    fit = None
    for run in range(runs):
        started = time.perf_counter()
        result = draw.draw(
            applicants=applicants, targets=goal, size=size, seed=f"seed-{run}"
        )
        draw.pool_hash(applicants)
        seconds.append(time.perf_counter() - started)
        by_id = {a.id: a.strata for a in applicants}
        fit = draw.fit([by_id[i] for i in result.selected], goal)
    return seconds, fit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--size", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(18)
    small = pool(args.baseline, rng)
    large = pool(args.applicants, rng)
    pool_fit = draw.fit([a.strata for a in large], targets())
    base, base_fit = measure(small, args.size, args.runs)
    full, full_fit = measure(large, args.size, args.runs)
    load = os.getloadavg()
    print(
        f"panel draw ({draw.ALGORITHM}/{draw.VERSION}): size {args.size} + reserve "
        f"{args.size}, {len(CRITERIA)} criteria, {args.runs} runs each"
    )
    print(f"{'applicants':>10} {'median s':>9} {'worst s':>8} {'fit pp':>7}")
    for n, seconds, fit in (
        (args.baseline, base, base_fit),
        (args.applicants, full, full_fit),
    ):
        print(
            f"{n:>10} {statistics.median(seconds):>9.3f} {max(seconds):>8.3f}"
            f" {fit:>7.1f}"
        )
    print(
        f"ratio to the {args.baseline}-applicant baseline (median): "
        f"{statistics.median(full) / statistics.median(base):.1f}×; "
        f"p95 {pct(full, 95):.3f} s; target ≤ 2 s: "
        f"{'met' if max(full) <= 2 else 'NOT met'}"
    )
    print(f"the pool's own fit (everyone who applied): {pool_fit:.1f} pp")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in load))


if __name__ == "__main__":
    main()
