"""Survey responses to construct scores, respondents per customer and Cronbach's alpha."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.survey import (
    Construct,
    SurveyDesign,
    cronbach_alpha,
    read_survey,
    score_survey,
)

DESIGN = SurveyDesign(
    constructs=(
        Construct("trust", ("t1", "t2", "t3_r"), reverse=("t3_r",)),
        Construct("perceived_benefit", ("b1", "b2")),
    ),
    scale=(1, 5),
)

RESPONSES = """customer,respondent,t1,t2,t3_r,b1,b2
A,buyer,4,5,2,3,4
A,engineer,5,4,1,,4
B,buyer,2,2,4,,
E,x,3,3,3,3,3
"""


def test_cronbach_alpha_published_worked_example() -> None:
    """Three items, four respondents: item 1 = (4, 3, 5, 2), item 2 = (5, 4, 5, 3), item 3 =
    (4, 3, 5, 2), the worked example of https://www.calkulon.com/en/learn/smart/cronbach-alpha
    (item variances 5/3, 2.75/3, 5/3, sum 4.25; totals 13, 10, 15, 7 with mean 11.25, squared
    deviations 3.0625 + 1.5625 + 14.0625 + 18.0625 = 36.75, variance 12.25).
    alpha = 3/2 (1 - 4.25 / 12.25) = 3/2 * 8/12.25 = 48/49.
    """
    x = np.array([[4, 5, 4], [3, 4, 3], [5, 5, 5], [2, 3, 2]])
    assert cronbach_alpha(x) == pytest.approx(48 / 49, abs=1e-15)


def test_cronbach_alpha_by_hand() -> None:
    """(1, 2), (2, 2), (3, 5): s1^2 = 1, s2^2 = 3, totals (3, 4, 8) with s_T^2 = 14/2 = 7;
    alpha = 2 (1 - 4/7) = 6/7."""
    assert cronbach_alpha(np.array([[1, 2], [2, 2], [3, 5]])) == pytest.approx(6 / 7, abs=1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_cronbach_alpha_equals_its_covariance_form(seed: int) -> None:
    """alpha = k c / (v + (k - 1) c), c the mean inter-item covariance, v the mean variance
    (the standardised-covariance form of Cronbach 1951, computed from np.cov independently)."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(50, 1))
    x = latent + rng.normal(scale=0.8, size=(50, 5))
    cov = np.cov(x, rowvar=False)
    k = cov.shape[0]
    v = np.trace(cov) / k
    c = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert cronbach_alpha(x) == pytest.approx(k * c / (v + (k - 1) * c), abs=1e-12)


def test_scores_by_hand(write: Callable[[str, str], Path]) -> None:
    """Scale 1..5, t3_r reverse-coded as 6 - x: A 2 -> 4, 1 -> 5; B 4 -> 2; E 3 -> 3.

    A: item means t1 = (4 + 5)/2 = 4.5, t2 = 4.5, t3 = (4 + 5)/2 = 4.5 -> trust 4.5;
       b1 = 3 (one answer), b2 = 4 -> benefit 3.5. Two respondents.
    B: trust (2 + 2 + 2)/3 = 2; no benefit answer -> NaN, reported as unanswered. One respondent.
    C: not in the survey -> NaN, 0 respondents, reported as missing. E: not a case customer.
    Alpha of trust over the four complete respondents (4, 5, 4), (5, 4, 5), (2, 2, 2), (3, 3, 3):
    each item variance 5/3 (squared deviations from 3.5 sum to 5), totals 13, 14, 6, 9 (mean
    10.5, squared deviations 41, variance 41/3); alpha = 3/2 (1 - 5 / (41/3)) = 39/41.
    Benefit: complete respondents A buyer (3, 4) and E (3, 3): variances 0 and 1/2, totals 7, 6
    with variance 1/2: alpha = 2 (1 - 1/2 / 1/2) = 0, flagged below 0.7.
    """
    responses = read_survey(write("survey.csv", RESPONSES), DESIGN)
    r = score_survey(responses, DESIGN, customers=["A", "B", "C"])
    assert r.ids == ("A", "B", "C")
    assert r.constructs == ("trust", "perceived_benefit")
    np.testing.assert_allclose(r.scores, [[4.5, 3.5], [2.0, np.nan], [np.nan, np.nan]], atol=0)
    np.testing.assert_array_equal(r.respondents, [2, 1, 0])
    assert r.missing == ("C",)
    assert r.unknown == ("E",)
    assert r.unanswered == (("B", "perceived_benefit"),)
    trust, benefit = r.reliability
    assert (trust.construct, trust.items, trust.responses) == ("trust", 3, 4)
    assert trust.alpha == pytest.approx(39 / 41, abs=1e-15)
    assert not trust.low
    assert benefit.alpha == pytest.approx(0.0, abs=1e-15)
    assert benefit.low and benefit.responses == 2
    np.testing.assert_array_equal(r.columns()["trust"], r.scores[:, 0])


def test_reverse_coding_matters_for_alpha(write: Callable[[str, str], Path]) -> None:
    """Without declaring t3_r reverse-coded, item 3 is (2, 1, 4, 3): variance 5/3, totals
    (11, 10, 8, 9) with variance 5/3, alpha = 3/2 (1 - 5 / (5/3)) = -3, flagged."""
    plain = SurveyDesign((Construct("trust", ("t1", "t2", "t3_r")),), scale=(1, 5))
    r = score_survey(read_survey(write("survey.csv", RESPONSES), plain), plain)
    assert r.reliability[0].alpha == pytest.approx(-3.0, abs=1e-12)
    assert r.reliability[0].low
    assert r.ids == ("A", "B", "E")


def test_reverse_coding_on_a_seven_point_scale(write: Callable[[str, str], Path]) -> None:
    design = SurveyDesign((Construct("trust", ("a", "b"), reverse=("b",)),), scale=(1, 7))
    text = "customer,respondent,a,b\nA,1,7,1\nA,2,6,2\n"
    responses = read_survey(write("s.csv", text), design)
    np.testing.assert_array_equal(responses.values, [[7, 7], [6, 6]])
    assert score_survey(responses, design).scores[0, 0] == 6.5


def test_undefined_alpha_is_explained(write: Callable[[str, str], Path]) -> None:
    design = SurveyDesign((Construct("one", ("a",)), Construct("two", ("b", "c"))))
    text = "customer,respondent,a,b,c\nA,1,3,2,2\nA,2,4,2,\n"
    r = score_survey(read_survey(write("s.csv", text), design), design)
    one, two = r.reliability
    assert one.alpha is None and "one item" in one.note
    assert two.alpha is None and "1 respondent(s) answered every item" in two.note
    assert not one.low and not two.low


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("C,1,6,1,1,1,1", r'row 3, column "t1": answer 6 is off the scale 1..5'),
        ("C,1,4,x,1,1,1", r"row 3, column \"t2\": 'x' is not a number"),
        (",1,4,4,1,1,1", r'row 3, column "customer": empty cell'),
        ("C,,4,4,1,1,1", r'row 3, column "respondent": empty cell'),
        (
            "A,buyer,4,4,1,1,1",
            r'row 3, column "respondent": respondent \'buyer\' of customer \'A\' answers twice '
            r"\(rows 2 and 3\)",
        ),
    ],
)
def test_bad_rows_name_file_row_and_column(
    write: Callable[[str, str], Path], row: str, match: str
) -> None:
    text = "customer,respondent,t1,t2,t3_r,b1,b2\nA,buyer,4,5,2,3,4\n" + row + "\n"
    with pytest.raises(DataError, match=r"survey\.csv: " + match):
        read_survey(write("survey.csv", text), DESIGN)


def test_missing_item_column(write: Callable[[str, str], Path]) -> None:
    with pytest.raises(DataError, match=r"row 1 \(header\): no column 'b2'"):
        read_survey(write("survey.csv", "customer,respondent,t1,t2,t3_r,b1\n"), DESIGN)


@pytest.mark.parametrize(
    ("constructs", "scale", "match"),
    [
        ((Construct("t", ("a", "b"), reverse=("c",)),), (1, 5), r"reverse-coded item\(s\) \['c'\]"),
        ((Construct("t", ("a",)), Construct("u", ("a",))), (1, 5), "'a' is also an item of 't'"),
        ((Construct("t", ("a",)), Construct("t", ("b",))), (1, 5), "declared twice"),
        ((Construct("t", ()),), (1, 5), "no items"),
        ((Construct("t", ("a",)),), (5, 1), "low < high"),
        ((), (1, 5), "at least one construct"),
    ],
)
def test_design_is_checked(constructs: tuple, scale: tuple, match: str) -> None:
    with pytest.raises(CkmError, match=match):
        SurveyDesign(constructs, scale=scale)
