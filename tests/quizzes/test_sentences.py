from quizzes.generation.sentences import contains_phrase, split_sentences


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_initials_do_not_end_a_sentence():
    text = "In addition to this letter, writing early in January 1923, V. I. Lenin reverted to it. Then he stopped."
    assert sentences_of(text) == [
        "In addition to this letter, writing early in January 1923, V. I. Lenin reverted to it.",
        "Then he stopped.",
    ]


def test_dotted_acronyms_and_ie_do_not_end_a_sentence():
    text = "The Presidium of the U.S.S.R. Central Committee met, i.e., the leaders. S. M. Kirov was killed."
    assert sentences_of(text) == [
        "The Presidium of the U.S.S.R. Central Committee met, i.e., the leaders.",
        "S. M. Kirov was killed.",
    ]


def test_ellipsis_before_a_capital_ends_a_sentence():
    text = "He paid attention to his advice . . . Later he disregarded it... Then it ended."
    assert len(sentences_of(text)) == 3


def test_phrase_containment_is_whole_words():
    assert contains_phrase("The battle of Stalingrad", "Stalin") is False
    assert contains_phrase("Of 1,966 delegates, 1,108 persons", "1,108") is True
    assert contains_phrase("Of 1,966 delegates", "966") is False
