"""A bounded fuzzing run: our fixture pages mutated with what broke the chain on real and hostile pages
(tests/support/fuzzing.py) go through decoding, discovery, extraction, cleaning and rendering without an
exception that is not a named failure, and within a bound per page. bench/fuzz.py runs the long version."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.fuzzing import SEEDS, Mutation, apply, mutations, through_the_chain

PER_PAGE_S = 30.0  # on a 2-core CI machine; a 100,000-link or 10,000-deep page is the slowest


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), changes=mutations())
def test_mutated_pages_never_crash_the_chain(seed: object, changes: list[Mutation]) -> None:
    body = apply(changes, seed.read_bytes())  # type: ignore[attr-defined]
    assert through_the_chain(body) < PER_PAGE_S


def test_every_seed_goes_through_unchanged() -> None:
    assert len(SEEDS) >= 10
    for seed in SEEDS:
        assert through_the_chain(seed.read_bytes()) < PER_PAGE_S
