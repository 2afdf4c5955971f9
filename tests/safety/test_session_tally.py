"""``SessionTally`` (the session rules kept site by site) and ``review_adding`` equal
``review_assessments`` over the same sites, after any sequence of puts, drops and reorders."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from dn_bodymap.safety.assess import Assessment, assess
from dn_bodymap.safety.session import SessionTally, review_adding, review_assessments

# thoracic left and right (the both-sides rule), a high-level site, an ordinary one, outside
SITES = [
    ("posterior", 60.0, 180.0),
    ("posterior", -60.0, 180.0),
    ("posterior", 25.0, 300.0),
    ("anterior", 60.0, 620.0),
    ("anterior", 900.0, 900.0),
]


@cache
def _site(i: int) -> Assessment:
    view, x, y = SITES[i]
    return assess(view, (x, y))


steps = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 6), st.integers(0, len(SITES) - 1)),
        st.tuples(st.just("drop"), st.integers(0, 6), st.just(0)),
        st.tuples(st.just("reorder"), st.integers(0, 6), st.just(0)),
    ),
    max_size=30,
)


@settings(max_examples=80)
@given(steps, st.integers(0, len(SITES) - 1))
def test_the_tally_equals_a_full_review(sequence, extra) -> None:
    tally = SessionTally()
    held: dict[str, Assessment] = {}
    for op, key, site in sequence:
        name = f"m{key}"
        if op == "put":
            tally.put(name, _site(site))
            held[name] = _site(site)
        elif op == "drop":
            tally.drop(name)
            held.pop(name, None)
        else:  # a mark back in its own row: the named key first
            order = [name, *(k for k in held if k != name)]
            tally.reorder(order)
            held = {k: held[k] for k in order if k in held}
        assert tally.review() == review_assessments(held.values())
        assert len(tally) == len(held) and tally.keys() == list(held)
    review = tally.review()
    assert review_adding(review, _site(extra)) == review_assessments([*held.values(), _site(extra)])


def test_the_sites_cover_both_thorax_sides_and_a_high_level_site() -> None:
    both = review_assessments([_site(0), _site(1)])
    assert [w.id for w in both.warnings] == ["bilateral_thorax"]
    assert review_assessments([_site(2)]).high_level_sites == 1
