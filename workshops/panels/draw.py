"""The panel draw: a stratified, greedy quota draw, deterministic for a seed.

Standalone on purpose (no Django): an auditor given a panel's pseudonymised pool
file reproduces its draw with

    python -m workshops.panels.draw pool.json SEED

and checks `pool_hash(pool)` and `seed_hash(SEED)` against the panel page.

Algorithm `greedy-quota`, version 1:

1. Every applicant has an order key, SHA-256 of "<seed>:<applicant id>" in hex;
   applicants are taken in ascending key order (the seeded randomness).
2. Each criterion (age band, district, …, in alphabetical order of its key) has
   target shares per group; the quota of a group for a panel of n is share × n.
   An applicant's unknown value (not given, "prefer not to say") counts towards
   no group of that criterion; a group without a target has quota 0.
3. n times: among applicants not yet chosen, take the one whose groups have the
   largest summed remaining quota, Σ over criteria (share × n − drawn so far),
   with shares rounded to millionths and computed in whole millionths (exact
   integers); ties go to the lowest order key. Applicants with the same groups
   (a stratum) are interchangeable, so only each stratum's lowest key competes.
4. The reserve list continues the same greedy draw with the quotas of a panel of
   n + reserve size: the first reserve is the best next addition.
5. A member who leaves is replaced by the first reserve (in reserve order) with
   exactly the leaver's groups; without one, by the reserve whose groups have the
   largest remaining quota for the panel as it is without the leaver (ties: the
   earlier reserve).

Fit: for each criterion, each group's share among the members whose value is
known, against its target share; the panel's fit is the largest absolute
difference over all criteria and groups, in percentage points.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALGORITHM = "greedy-quota"
VERSION = 1

Targets = Mapping[str, Mapping[str, float]]
Strata = Mapping[str, str | None]


@dataclass(frozen=True)
class Applicant:
    """One applicant as the draw sees them: a pseudonym and their groups."""

    id: str
    strata: Strata = field(default_factory=dict)


@dataclass(frozen=True)
class DrawResult:
    selected: list[str]
    reserve: list[str]


def seed_hash(seed: str) -> str:
    """What the panel page publishes before the draw."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def order_key(seed: str, applicant_id: str) -> str:
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).hexdigest()


def pool_document(applicants: Iterable[Applicant]) -> list[dict]:
    """The pseudonymised pool in its canonical order (by id)."""
    return [
        {"id": a.id, "strata": dict(sorted(a.strata.items()))}
        for a in sorted(applicants, key=lambda a: a.id)
    ]


def pool_hash(applicants: Iterable[Applicant]) -> str:
    """SHA-256 of the pool's canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(
        pool_document(applicants),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Shares are used in millionths, so every score is an exact integer: the draw
# is the same in any language and however the sums are ordered.
SCALE = 1_000_000


def _millionths(targets: Targets, criteria: Sequence[str]) -> list[dict[str, int]]:
    return [
        {group: round(share * SCALE) for group, share in targets[c].items()}
        for c in criteria
    ]


class _Need:
    """Remaining quota per criterion and group, in millionths of a person."""

    def __init__(self, targets: Targets, criteria: Sequence[str], n: int) -> None:
        self.shares = _millionths(targets, criteria)
        self.n = n
        self.drawn: list[dict[str, int]] = [{} for _ in criteria]

    def add(self, stratum: tuple[str | None, ...]) -> None:
        for drawn, group in zip(self.drawn, stratum, strict=True):
            if group is not None:
                drawn[group] = drawn.get(group, 0) + 1

    def score(self, stratum: tuple[str | None, ...]) -> int:
        total = 0
        for shares, drawn, group in zip(self.shares, self.drawn, stratum, strict=True):
            if group is not None:
                total += shares.get(group, 0) * self.n - drawn.get(group, 0) * SCALE
        return total


def _stratum(criteria: Sequence[str], strata: Strata) -> tuple[str | None, ...]:
    return tuple(strata.get(criterion) or None for criterion in criteria)


def draw(
    *,
    applicants: Iterable[Applicant],
    targets: Targets,
    size: int,
    seed: str,
    reserve_size: int | None = None,
) -> DrawResult:
    """Select `size` applicants (fewer when the pool is smaller) and rank a
    reserve of `reserve_size` (default: `size`) from the rest."""
    criteria = sorted(targets)
    reserve_size = size if reserve_size is None else reserve_size
    keyed = sorted(
        (order_key(seed, a.id), a.id, _stratum(criteria, a.strata)) for a in applicants
    )
    # Each stratum's applicants in key order; the head is the one that competes.
    index: dict[tuple[str | None, ...], int] = {}
    strata: list[tuple[str | None, ...]] = []
    members: list[list[tuple[str, str]]] = []
    for key, applicant_id, stratum in keyed:
        if stratum not in index:
            index[stratum] = len(strata)
            strata.append(stratum)
            members.append([])
        members[index[stratum]].append((key, applicant_id))
    # Which strata hold each group: a pick lowers exactly their scores.
    holding: list[dict[str, list[int]]] = [{} for _ in criteria]
    for i, stratum in enumerate(strata):
        for by_group, group in zip(holding, stratum, strict=True):
            if group is not None:
                by_group.setdefault(group, []).append(i)
    need = _Need(targets, criteria, size)
    # A stratum whose applicants are all chosen scores minus infinity.
    scores: list[float] = [need.score(stratum) for stratum in strata]
    heads = [0] * len(strata)
    left = len(strata)
    chosen: list[str] = []
    for step in range(size + reserve_size):
        if step == size and reserve_size:
            # The reserve: the same draw continued, quotas of the larger panel.
            need.n = size + reserve_size
            scores = [
                need.score(stratum) if heads[i] < len(members[i]) else -math.inf
                for i, stratum in enumerate(strata)
            ]
        if not left:
            break
        top = max(scores)
        best = min(
            (i for i, score in enumerate(scores) if score == top),
            key=lambda i: members[i][heads[i]][0],
        )
        chosen.append(members[best][heads[best]][1])
        need.add(strata[best])
        for by_group, group in zip(holding, strata[best], strict=True):
            if group is not None:
                for i in by_group[group]:
                    scores[i] -= SCALE
        heads[best] += 1
        if heads[best] == len(members[best]):
            scores[best] = -math.inf
            left -= 1
    return DrawResult(selected=chosen[:size], reserve=chosen[size:])


def replacement(
    *,
    leaver: Strata,
    members: Iterable[Strata],
    reserve: Sequence[tuple[str, Strata]],
    targets: Targets,
    size: int,
) -> str | None:
    """The reserve (id) who replaces `leaver`; `members` are those who stay,
    `reserve` the reserves in reserve order. None when the reserve is empty."""
    criteria = sorted(targets)
    wanted = _stratum(criteria, leaver)
    for applicant_id, strata in reserve:
        if _stratum(criteria, strata) == wanted:
            return applicant_id
    need = _Need(targets, criteria, size)
    for strata in members:
        need.add(_stratum(criteria, strata))
    best = None
    for rank, (applicant_id, strata) in enumerate(reserve):
        candidate = (-need.score(_stratum(criteria, strata)), rank, applicant_id)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]


def shares(members: Iterable[Strata], targets: Targets) -> dict[str, dict[str, float]]:
    """Each criterion's groups' shares among the members whose value is known."""
    members = list(members)
    result: dict[str, dict[str, float]] = {}
    for criterion in sorted(targets):
        counts: dict[str, int] = {}
        for strata in members:
            group = strata.get(criterion)
            if group:
                counts[group] = counts.get(group, 0) + 1
        known = sum(counts.values())
        result[criterion] = {
            group: (counts.get(group, 0) / known if known else 0.0)
            for group in sorted(set(targets[criterion]) | set(counts))
        }
    return result


def fit(members: Iterable[Strata], targets: Targets) -> float | None:
    """The largest deviation from a target share, in percentage points (None:
    no members or no targets)."""
    members = list(members)
    if not members or not targets:
        return None
    drawn = shares(members, targets)
    worst = 0.0
    for criterion, groups in drawn.items():
        if not any(strata.get(criterion) for strata in members):
            continue  # nobody told this detail: nothing to compare
        for group, share in groups.items():
            target = targets[criterion].get(group, 0.0)
            worst = max(worst, abs(share - target) * 100)
    return round(worst, 1)


def main(argv: Sequence[str]) -> int:
    """Reproduce a draw from a pool file and the published seed."""
    if len(argv) != 3:
        sys.stderr.write("usage: python -m workshops.panels.draw POOL.json SEED\n")
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    applicants = [Applicant(a["id"], a["strata"]) for a in document["pool"]]
    result = draw(
        applicants=applicants,
        targets=document["targets"],
        size=document["size"],
        seed=argv[2],
        reserve_size=document.get("reserve_size"),
    )
    output = {
        "algorithm": f"{ALGORITHM}/{VERSION}",
        "seed_hash": seed_hash(argv[2]),
        "pool_hash": pool_hash(applicants),
        "selected": result.selected,
        "reserve": result.reserve,
    }
    sys.stdout.write(json.dumps(output, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
