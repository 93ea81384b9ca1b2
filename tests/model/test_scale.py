"""Tests of the one reading of an answer (:func:`mcda_ckm.model.scale.read_answer`), against
Saaty (1980), Table 1.1, and the Chinese words the questionnaire workbook lists."""

from __future__ import annotations

import pytest

from mcda_ckm.model import scale
from mcda_ckm.model.scale import AnswerError, read_answer


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("同等重要", 1),
        ("稍微重要", 3),
        ("明显重要", 5),
        ("强烈重要", 7),
        ("极端重要", 9),
        ("同等至稍微重要", 2),
        ("B 明显重要", 1 / 5),
        ("3", 3),
        ("1/5", 1 / 5),
        ("B strong", 1 / 5),
        ("B 5", 1 / 5),
        ("very-strong", 7),
    ],
)
def test_read_answer_english_chinese_numbers(text, value):
    assert read_answer(text) == pytest.approx(value)


def test_every_workbook_word_is_read():
    for word, value in [*scale.WORDS.items(), *scale.WORDS_ZH.items()]:
        assert read_answer(word) == value


@pytest.mark.parametrize("text", ["-3", "-5", "- 3", "-1/3"])
def test_negative_is_refused_with_how_to_write_b_over_a(text):
    with pytest.raises(AnswerError, match=r"is negative.*To say B is more important write \"B"):
        read_answer(text)


def test_negative_message_names_bipolar_option():
    with pytest.raises(AnswerError, match="--scale bipolar"):
        read_answer("-3")


@pytest.mark.parametrize(
    ("text", "value"),
    [("-3", 1 / 3), ("+3", 3), ("3", 3), ("0", 1), ("-1", 1), ("+1", 1), ("-9", 1 / 9)],
)
def test_bipolar_mapping(text, value):
    """Documented mapping: -x is B over A with intensity x, +x A over B, 0 or +-1 equal."""
    assert read_answer(text, bipolar=True) == pytest.approx(value)


@pytest.mark.parametrize("text", ["-10", "0.5", "-0.5"])
def test_bipolar_off_scale(text):
    with pytest.raises(AnswerError, match="outside the bipolar scale"):
        read_answer(text, bipolar=True)


def test_word_value_keeps_the_sign():
    assert scale.word_value("-3") is None
    assert scale.word_value("Very-Strong to Extreme") == 8


def test_revision_of_a_judgement_favouring_the_second_criterion():
    """a_ij = 1/3 (Networking over Base, moderate) with suggested a_ij = 2 (Base over
    Networking): both are said from the side they favour."""
    assert scale.revision(1 / 3, 2, "Base", "Networking", "CR", 0.0741) == (
        "Networking over Base, moderate (3) -> Base over Networking, equal to moderate (2); "
        "CR after this change 0.074"
    )


def test_phrase_equal_and_off_scale():
    assert scale.phrase(1, "A", "B") == "A and B equal (1)"
    assert scale.phrase(1 / 2.5, "A", "B") == "B over A, 2.5"
