"""Grading: pure functions over plain data, run only on the server.

A question's key (`Question.answer`) is a list of option ids: one id for the
single-answer types, every id in order for chronology. An answer from the
browser is checked for shape first (`clean_answer`), so a tampered or half-sent
form becomes a readable `InvalidAnswer` message on the same question instead of
a wrong grade or a 500.
"""

from __future__ import annotations

from collections.abc import Sequence

ORDERING_TYPES = frozenset({"chronology"})


class InvalidAnswer(ValueError):
    """An answer that cannot be graded; `str(error)` is a message for the student."""


def is_ordering(question_type: str) -> bool:
    return question_type in ORDERING_TYPES


def clean_answer(*, question_type: str, option_ids: Sequence[str], given: object) -> list[str]:
    """`given` as a list of option ids if it is a well-formed answer to this question.

    Raises InvalidAnswer for anything else: not a list of strings, unknown ids,
    duplicates, the wrong number of ids.
    """
    if isinstance(given, str | bytes) or not isinstance(given, list | tuple):
        raise InvalidAnswer("That answer could not be read. Please choose again.")
    if not all(isinstance(item, str) for item in given):
        raise InvalidAnswer("That answer could not be read. Please choose again.")
    known = set(option_ids)
    if is_ordering(question_type):
        if len(given) != len(option_ids) or set(given) != known:
            raise InvalidAnswer(
                "Put every event in the list in order, each once, then submit your order."
            )
        if len(set(given)) != len(given):
            raise InvalidAnswer("Each event can appear only once in your order.")
        return list(given)
    if not given:
        raise InvalidAnswer("Choose an answer before you submit.")
    if len(given) > 1:
        raise InvalidAnswer("Choose only one answer.")
    if given[0] not in known:
        raise InvalidAnswer(
            "That choice is not one of this question's options. Please choose again."
        )
    return list(given)


def is_correct(*, key: Sequence[str], answer: Sequence[str]) -> bool:
    """Whether a cleaned answer matches the key: the same id, or the same ids in the same order."""
    return list(answer) == list(key)


def grade(
    *, question_type: str, option_ids: Sequence[str], key: Sequence[str], given: object
) -> tuple[list[str], bool]:
    """The cleaned answer and whether it is right; InvalidAnswer if it is malformed."""
    answer = clean_answer(question_type=question_type, option_ids=option_ids, given=given)
    return answer, is_correct(key=key, answer=answer)


def move(*, order: Sequence[str], option_id: str, direction: str) -> list[str]:
    """`order` with one id moved a place up or down (the ordering buttons); unchanged at the ends."""
    order = list(order)
    if option_id not in order or direction not in {"up", "down"}:
        raise InvalidAnswer("That move could not be made. Please try again.")
    i = order.index(option_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order
