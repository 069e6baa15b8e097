"""The draw algorithm on generated pools (no database)."""

import random

from workshops.panels import draw

TARGETS = {
    "age_band": {"18_29": 0.2, "30_44": 0.3, "45_64": 0.3, "65_74": 0.2},
    "gender": {"female": 0.5, "male": 0.5},
    "first_language": {"fi": 0.8, "sv": 0.05, "other": 0.15},
}


def skewed_pool(n: int, rng: random.Random) -> list[draw.Applicant]:
    """A pool that does not look like the city: young, female, Finnish-speaking
    people apply far more often (as in real recruitment)."""

    def pick(weights):
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    return [
        draw.Applicant(
            f"a{i:05d}",
            {
                "age_band": pick({"18_29": 6, "30_44": 3, "45_64": 2, "65_74": 1}),
                "gender": pick({"female": 4, "male": 1}),
                "first_language": pick({"fi": 18, "sv": 1, "other": 1}),
            },
        )
        for i in range(n)
    ]


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    pool = skewed_pool(400, random.Random(1))
    first = draw.draw(applicants=pool, targets=TARGETS, size=20, seed="abc")
    again = draw.draw(
        applicants=list(reversed(pool)), targets=TARGETS, size=20, seed="abc"
    )
    other = draw.draw(applicants=pool, targets=TARGETS, size=20, seed="abd")
    assert first == again  # the pool's order does not matter, only the seed
    assert first.selected != other.selected
    assert len(first.selected) == 20 and len(first.reserve) == 20
    assert not set(first.selected) & set(first.reserve)


def test_the_draw_mirrors_the_targets_far_better_than_the_pool_does():
    rng = random.Random(7)
    for seed in ("s1", "s2", "s3"):
        pool = skewed_pool(600, rng)
        by_id = {a.id: a.strata for a in pool}
        result = draw.draw(applicants=pool, targets=TARGETS, size=20, seed=seed)
        fit = draw.fit([by_id[i] for i in result.selected], TARGETS)
        pool_fit = draw.fit([a.strata for a in pool], TARGETS)
        # Quotas of 20 are whole people: 5 points is at most one person off.
        assert fit <= 5.0, fit
        assert pool_fit > 20


def test_a_small_pool_gives_everyone_and_the_reserve_is_empty():
    pool = skewed_pool(5, random.Random(2))
    result = draw.draw(applicants=pool, targets=TARGETS, size=10, seed="x")
    assert sorted(result.selected) == sorted(a.id for a in pool)
    assert result.reserve == []


def test_unknown_details_count_for_no_group():
    pool = [
        draw.Applicant("known", {"gender": "male"}),
        draw.Applicant("unknown", {"gender": None}),
    ]
    result = draw.draw(
        applicants=pool, targets={"gender": {"male": 1.0}}, size=1, seed="s"
    )
    assert result.selected == ["known"]
    assert draw.fit([{"gender": None}], {"gender": {"male": 1.0}}) == 0.0


def test_a_replacement_keeps_the_leavers_groups():
    pool = skewed_pool(300, random.Random(3))
    by_id = {a.id: a.strata for a in pool}
    result = draw.draw(applicants=pool, targets=TARGETS, size=15, seed="r")
    for leaver in result.selected[:5]:
        stays = [by_id[i] for i in result.selected if i != leaver]
        chosen = draw.replacement(
            leaver=by_id[leaver],
            members=stays,
            reserve=[(i, by_id[i]) for i in result.reserve],
            targets=TARGETS,
            size=15,
        )
        same = [i for i in result.reserve if by_id[i] == by_id[leaver]]
        if same:
            assert chosen == same[0]
        else:
            assert chosen in result.reserve


def test_without_an_exact_match_the_replacement_fills_the_largest_need():
    targets = {
        "age_band": {"18_29": 0.5, "65_74": 0.5},
        "gender": {"female": 0.5, "male": 0.5},
    }
    chosen = draw.replacement(
        leaver={"gender": "female", "age_band": "65_74"},
        members=[{"gender": "male", "age_band": "18_29"}],
        reserve=[
            ("m", {"gender": "male", "age_band": "18_29"}),
            ("f", {"gender": "female", "age_band": None}),
        ],
        targets=targets,
        size=2,
    )
    assert chosen == "f"  # a second young man would make the panel worse


def test_the_pool_hash_is_independent_of_order_and_changes_with_any_detail():
    pool = skewed_pool(50, random.Random(4))
    assert draw.pool_hash(pool) == draw.pool_hash(list(reversed(pool)))
    changed = [draw.Applicant(pool[0].id, {**pool[0].strata, "gender": "other"})]
    assert draw.pool_hash(changed + pool[1:]) != draw.pool_hash(pool)
    assert draw.seed_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_the_auditor_command_reproduces_the_draw(tmp_path, capsys):
    import json

    pool = skewed_pool(80, random.Random(5))
    (tmp_path / "pool.json").write_text(
        json.dumps(
            {
                "size": 8,
                "reserve_size": 8,
                "targets": TARGETS,
                "pool": draw.pool_document(pool),
            }
        )
    )
    assert draw.main(["draw", str(tmp_path / "pool.json"), "seed"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = draw.draw(applicants=pool, targets=TARGETS, size=8, seed="seed")
    assert out["selected"] == expected.selected
    assert out["reserve"] == expected.reserve
    assert out["pool_hash"] == draw.pool_hash(pool)
