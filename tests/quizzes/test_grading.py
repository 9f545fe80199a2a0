"""Grading is pure and server-side: right answers grade right, everything else wrong or refused."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizzes.grading import InvalidAnswer, clean_answer, grade, is_correct, move

ids = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3), min_size=2, max_size=6, unique=True
)
SINGLE_TYPES = [
    "cloze_quantity",
    "cloze_date",
    "cloze_name",
    "who_what_when",
    "true_false",
    "quote_attribution",
    "source_attribution",
    "compare_renderings",
]


@given(option_ids=ids, data=st.data(), qtype=st.sampled_from(SINGLE_TYPES))
def test_the_key_grades_correct_and_every_other_choice_wrong(option_ids, data, qtype):
    key = data.draw(st.sampled_from(option_ids))
    other = data.draw(st.sampled_from(option_ids))
    assert grade(question_type=qtype, option_ids=option_ids, key=[key], given=[key]) == (
        [key],
        True,
    )
    _answer, correct = grade(question_type=qtype, option_ids=option_ids, key=[key], given=[other])
    assert correct is (other == key)


@given(option_ids=ids, data=st.data())
def test_chronology_grades_only_the_exact_order_correct(option_ids, data):
    key = data.draw(st.permutations(option_ids))
    answer = data.draw(st.permutations(option_ids))
    _cleaned, correct = grade(
        question_type="chronology", option_ids=option_ids, key=key, given=answer
    )
    assert correct is (list(answer) == list(key))


@given(option_ids=ids, data=st.data())
def test_malformed_chronology_answers_are_refused(option_ids, data):
    answer = data.draw(
        st.one_of(
            st.lists(st.sampled_from(option_ids), max_size=len(option_ids) - 1),  # too short
            st.lists(st.sampled_from(option_ids), min_size=len(option_ids) + 1, max_size=9),
            st.just([*option_ids[:-1], option_ids[0]]),  # a duplicate, one missing
            st.just([*option_ids[:-1], "zz-unknown"]),
            st.text(),  # a string, not a list
            st.just(None),
            st.lists(st.integers(), min_size=1),
        )
    )
    assume(sorted(answer) != sorted(option_ids) if isinstance(answer, list) else True)
    with pytest.raises(InvalidAnswer):
        clean_answer(question_type="chronology", option_ids=option_ids, given=answer)


@given(
    option_ids=ids,
    answer=st.one_of(
        st.just([]),
        st.just(["zz-unknown"]),
        st.text(min_size=1),
        st.integers(),
        st.just({"a": 1}),
        st.lists(st.text(alphabet="abcdefghij", min_size=1), min_size=2),
    ),
)
def test_malformed_single_answers_are_refused(option_ids, answer):
    with pytest.raises(InvalidAnswer) as error:
        clean_answer(question_type="cloze_name", option_ids=option_ids, given=answer)
    assert str(error.value)  # a message the student can read


def test_refusals_say_what_to_do():
    with pytest.raises(InvalidAnswer, match="Choose an answer"):
        clean_answer(question_type="cloze_name", option_ids=["a", "b"], given=[])
    with pytest.raises(InvalidAnswer, match="only one"):
        clean_answer(
            question_type="true_false", option_ids=["true", "false"], given=["true", "false"]
        )
    with pytest.raises(InvalidAnswer, match="in order"):
        clean_answer(question_type="chronology", option_ids=["a", "b"], given=["a"])


def test_a_string_is_not_a_list_of_ids_even_when_it_looks_like_one():
    # "ab" iterates as ["a", "b"]: a naive list() would grade it as an order.
    with pytest.raises(InvalidAnswer):
        clean_answer(question_type="chronology", option_ids=["a", "b"], given="ab")


def test_is_correct_compares_order():
    assert is_correct(key=["b", "a"], answer=["b", "a"])
    assert not is_correct(key=["b", "a"], answer=["a", "b"])


@given(order=ids, data=st.data())
def test_a_move_keeps_every_id_and_swaps_neighbours(order, data):
    option_id = data.draw(st.sampled_from(order))
    direction = data.draw(st.sampled_from(["up", "down"]))
    moved = move(order=order, option_id=option_id, direction=direction)
    assert sorted(moved) == sorted(order)
    i = order.index(option_id)
    at_end = (direction == "up" and i == 0) or (direction == "down" and i == len(order) - 1)
    assert moved.index(option_id) == i if at_end else abs(moved.index(option_id) - i) == 1


def test_a_move_of_an_unknown_id_is_refused():
    with pytest.raises(InvalidAnswer):
        move(order=["a", "b"], option_id="z", direction="up")
    with pytest.raises(InvalidAnswer):
        move(order=["a", "b"], option_id="a", direction="sideways")
