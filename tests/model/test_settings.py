"""Tests of mcda_ckm.model.settings and load_case's checks of case.toml: one rule per test, each
error pinned to the file, the table and the key it names (issue 12 point 4, issue 13 point 4)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from mcda_ckm.errors import CaseError, CkmError
from mcda_ckm.model import settings as S
from mcda_ckm.model.case import load_case
from mcda_ckm.weights import ahp
from tests.conftest import CASE, FIGHTER

# The bundled case's case.toml, with its tree path made absolute so that the copy loads.
BASE = (CASE / "case.toml").read_text(encoding="utf-8")
TREE = (CASE.parent.parent / "criteria" / "ckm-huang2008.toml").as_posix()


@pytest.fixture
def case_dir(tmp_path):
    """A copy of the bundled case; ``edit(old, new)`` changes its case.toml."""
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    toml.write_text(BASE.replace('tree = "ckm-huang2008"', f'tree = "{TREE}"'), encoding="utf-8")
    return dst


def edit(folder, old, new):
    toml = folder / "case.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text, old
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def append(folder, text):
    toml = folder / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    return folder


# -- the bundled cases load, with their settings typed ----------------------------------------


def test_bundled_case_settings_are_typed():
    case = load_case(CASE)
    assert case.settings.ahp == S.AhpSettings()
    assert case.settings.ranking == S.RankingSettings(top_k=5, normalization="vector")
    clv = case.settings.clv
    assert clv is not None and clv.discount_rate == 0.08 and clv.horizon == 5
    assert clv.cashflows == (CASE / "cashflows.csv").resolve()
    assert case.settings.sensitivity.seed == S.DEFAULT_SEED
    assert case.warnings == ()
    assert case.name_zh.startswith("精密机床")


def test_fixed_weight_case_has_no_panel_and_its_top_k():
    case = load_case(FIGHTER)
    assert case.experts == () and case.settings.ranking.top_k == 1


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        S.RankingSettings().top_k = 3  # type: ignore[misc]


# -- unknown tables and keys, with a did-you-mean ---------------------------------------------


def test_unknown_table_is_named_with_did_you_mean(case_dir):
    append(case_dir, "[rankings]\ntop_k = 3\n")
    with pytest.raises(
        CaseError,
        match=r"case\.toml: \[rankings\]: unknown table \[rankings\] \(did you mean 'ranking'\?\)",
    ):
        load_case(case_dir)


def test_unknown_ranking_key_topk(case_dir):
    edit(case_dir, "top_k = 5", "topk = 3")
    with pytest.raises(
        CaseError,
        match=r"case\.toml: \[ranking\] topk: unknown key 'topk' \(did you mean 'top_k'\?\)",
    ):
        load_case(case_dir)


def test_normalisation_spelling_is_an_unknown_key(case_dir):
    edit(case_dir, 'normalization = "vector"', 'normalisation = "minmax"')
    with pytest.raises(
        CaseError,
        match=r"\[ranking\] normalisation: unknown key 'normalisation' "
        r"\(did you mean 'normalization'\?\)",
    ):
        load_case(case_dir)


def test_unknown_ahp_key(case_dir):
    edit(case_dir, 'method = "eigenvector"', 'metod = "eigenvector"')
    with pytest.raises(
        CaseError, match=r"\[ahp\] metod: unknown key 'metod' \(did you mean 'method'"
    ):
        load_case(case_dir)


def test_unknown_case_key(case_dir):
    edit(case_dir, 'customers = "customers.csv"', 'customer = "customers.csv"')
    with pytest.raises(
        CaseError, match=r"\[case\] customer: unknown key 'customer' \(did you mean 'customers'"
    ):
        load_case(case_dir)


def test_unknown_clv_key(case_dir):
    edit(case_dir, "horizon = 5", "horizon = 5\nhorizont = 5")
    with pytest.raises(CaseError, match=r"\[clv\] horizont: unknown key .*did you mean 'horizon'"):
        load_case(case_dir)


def test_key_outside_any_table(case_dir):
    toml = case_dir / "case.toml"
    toml.write_text("top_k = 3\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CaseError, match=r"case\.toml: top_k: a key outside any table"):
        load_case(case_dir)


# -- types and ranges --------------------------------------------------------------------------


def test_top_k_not_whole(case_dir):
    edit(case_dir, "top_k = 5", "top_k = 2.7")
    with pytest.raises(
        CaseError, match=r"case\.toml: \[ranking\] top_k: 2\.7 is not a whole number \(float\)"
    ):
        load_case(case_dir)


def test_top_k_text(case_dir):
    edit(case_dir, "top_k = 5", 'top_k = "five"')
    with pytest.raises(
        CaseError, match=r"case\.toml: \[ranking\] top_k: 'five' is not a whole number \(text\)"
    ):
        load_case(case_dir)


def test_top_k_zero(case_dir):
    edit(case_dir, "top_k = 5", "top_k = 0")
    with pytest.raises(CaseError, match=r"\[ranking\] top_k: 0 is out of range: must be >= 1"):
        load_case(case_dir)


def test_top_k_bool(case_dir):
    edit(case_dir, "top_k = 5", "top_k = true")
    with pytest.raises(CaseError, match=r"\[ranking\] top_k: True is not a whole number \(bool\)"):
        load_case(case_dir)


def test_normalization_not_a_choice(case_dir):
    edit(case_dir, 'normalization = "vector"', 'normalization = "minmx"')
    with pytest.raises(
        CaseError,
        match=r"\[ranking\] normalization: 'minmx' is not a choice \(did you mean 'minmax'\?\)\. "
        r"Use one of vector, minmax",
    ):
        load_case(case_dir)


def test_ri_table_not_a_choice(case_dir):
    edit(case_dir, 'ri_table = "saaty-1980"', 'ri_table = "saaty1980"')
    with pytest.raises(
        CaseError,
        match=r"\[ahp\] ri_table: 'saaty1980' is not a choice \(did you mean 'saaty-1980'",
    ):
        load_case(case_dir)


def test_ahp_value_not_text(case_dir):
    edit(case_dir, 'aggregation = "aij"', "aggregation = 1")
    with pytest.raises(CaseError, match=r"\[ahp\] aggregation: 1 \(not text\) is not a choice"):
        load_case(case_dir)


def test_case_name_not_text(case_dir):
    edit(case_dir, 'name = "Precision machinery B2B manufacturer"', "name = 5")
    with pytest.raises(CaseError, match=r"\[case\] name: 5 is not text"):
        load_case(case_dir)


def test_clv_discount_rate_text(case_dir):
    edit(case_dir, "discount_rate = 0.08", 'discount_rate = "8%"')
    with pytest.raises(
        CaseError, match=r"\[clv\] discount_rate: '8%' is not a finite number \(text\)"
    ):
        load_case(case_dir)


def test_clv_negative_discount_rate(case_dir):
    edit(case_dir, "discount_rate = 0.08", "discount_rate = -0.1")
    with pytest.raises(
        CaseError, match=r"\[clv\] discount_rate: -0\.1 is out of range: must be >= 0"
    ):
        load_case(case_dir)


def test_clv_horizon_not_whole(case_dir):
    edit(case_dir, "horizon = 5", "horizon = 5.5")
    with pytest.raises(CaseError, match=r"\[clv\] horizon: 5\.5 is not a whole number"):
        load_case(case_dir)


def test_clv_missing_key(case_dir):
    edit(case_dir, "horizon = 5", "")
    with pytest.raises(CaseError, match=r"case\.toml: \[clv\] horizon: horizon is missing"):
        load_case(case_dir)


def test_clv_without_cashflows_is_off_with_a_warning(case_dir):
    edit(case_dir, 'cashflows = "cashflows.csv"\n', "")
    case = load_case(case_dir)
    assert case.settings.clv is None
    (w,) = case.warnings
    assert str(w).endswith(
        "[clv] cashflows: no cashflows file: no CLV is computed and the "
        "other [clv] keys are not used"
    )


def test_clv_column_not_an_indicator(case_dir):
    edit(case_dir, 'column = "base_potential"', 'column = "base_potental"')
    with pytest.raises(
        CaseError,
        match=r"\[clv\] column: 'base_potental' is not an indicator of the tree "
        r"\(did you mean 'base_potential'\?\)",
    ):
        load_case(case_dir)


def test_sensitivity_table_is_read(case_dir):
    append(case_dir, '[sensitivity]\nsamples = 500\nseed = 7\nsource = "uniform"\nspread = 0.1\n')
    s = load_case(case_dir).settings.sensitivity
    assert s == S.SensitivitySettings(samples=500, seed=7, source="uniform", spread=0.1)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("samples = 0", r"\[sensitivity\] samples: 0 is out of range: must be between 1 and"),
        ("seed = -1", r"\[sensitivity\] seed: -1 is out of range: must be >= 0"),
        (
            'source = "panl"',
            r"\[sensitivity\] source: 'panl' is not a choice \(did you mean 'panel'",
        ),
        ("spread = -0.2", r"\[sensitivity\] spread: -0\.2 is out of range"),
        ("sample = 10", r"\[sensitivity\] sample: unknown key 'sample' \(did you mean 'samples'"),
    ],
)
def test_sensitivity_rules(case_dir, line, message):
    append(case_dir, f"[sensitivity]\n{line}\n")
    with pytest.raises(CaseError, match=message):
        load_case(case_dir)


def test_fixed_weight_unknown_leaf(tmp_path):
    dst = tmp_path / "f"
    shutil.copytree(FIGHTER, dst)
    toml = dst / "case.toml"
    tree = (FIGHTER.parent.parent / "criteria" / "hwang-yoon-1981-fighter.toml").as_posix()
    text = toml.read_text(encoding="utf-8").replace(
        "../../criteria/hwang-yoon-1981-fighter.toml", tree
    )
    toml.write_text(text.replace("max_speed = 0.2", "max_sped = 0.2"), encoding="utf-8")
    with pytest.raises(
        CaseError,
        match=r"\[weights\] max_sped: unknown indicator 'max_sped' \(did you mean 'max_speed'",
    ):
        load_case(dst)


def test_fixed_weight_as_text(tmp_path):
    dst = tmp_path / "f"
    shutil.copytree(FIGHTER, dst)
    toml = dst / "case.toml"
    tree = (FIGHTER.parent.parent / "criteria" / "hwang-yoon-1981-fighter.toml").as_posix()
    text = toml.read_text(encoding="utf-8").replace(
        "../../criteria/hwang-yoon-1981-fighter.toml", tree
    )
    toml.write_text(text.replace("max_speed = 0.2", 'max_speed = "0.2"'), encoding="utf-8")
    with pytest.raises(CaseError, match=r"\[weights\] max_speed: '0\.2' is not a finite number"):
        load_case(dst)


# -- order: every setting is checked before the tree is read and the AHP runs ------------------


def test_ranking_error_comes_before_the_tree_and_the_panel(case_dir):
    """A top_k typo is reported even when the tree path and the panel are broken too: the
    settings are checked first, so nothing is read or computed before the typo is found."""
    edit(case_dir, TREE, "missing-tree.toml")
    edit(case_dir, "top_k = 5", "top_k = 2.7")
    shutil.rmtree(case_dir / "panel")
    with pytest.raises(CaseError, match=r"\[ranking\] top_k"):
        load_case(case_dir)


def test_clv_error_comes_before_the_panel(case_dir):
    edit(case_dir, "horizon = 5", 'horizon = "5"')
    (case_dir / "panel" / "sales_director.toml").write_text("not toml [", encoding="utf-8")
    with pytest.raises(CaseError, match=r"\[clv\] horizon"):
        load_case(case_dir)


# -- warnings are data -------------------------------------------------------------------------


def test_discount_rate_above_one_is_a_warning(case_dir, capsys):
    edit(case_dir, "discount_rate = 0.08", "discount_rate = 8")
    case = load_case(case_dir)
    assert case.settings.clv is not None and case.settings.clv.discount_rate == 8.0
    (w,) = case.warnings
    assert w.where == "[clv] discount_rate" and w.path == case_dir / "case.toml"
    assert "discount_rate = 8: did you mean 8% (0.08)?" in str(w)
    assert capsys.readouterr() == ("", "")  # the library does not print


# -- encodings -------------------------------------------------------------------------------


def test_byte_order_mark_is_accepted(case_dir):
    toml = case_dir / "case.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + toml.read_bytes())
    assert load_case(case_dir).settings.ranking.top_k == 5


def test_not_utf8_is_named(case_dir):
    toml = case_dir / "case.toml"
    toml.write_bytes(toml.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(CaseError, match=r"case\.toml: not UTF-8 text"):
        load_case(case_dir)


# -- the choices, once -------------------------------------------------------------------------


def test_choice_tuples_match_the_methods():
    assert tuple(ahp.RI_TABLES) == S.RI_TABLE_NAMES
    assert tuple(ahp.THRESHOLD_RULES) == S.RULE_NAMES
    assert ahp.METHODS is S.METHODS and ahp.COMPLETIONS is S.COMPLETIONS
    assert ahp.DEFAULT_RI_TABLE == S.AhpSettings().ri_table == "saaty-1980"


def test_settings_refuse_a_value_that_is_not_a_choice():
    with pytest.raises(
        CkmError, match=r"method: 'eigen' is not a choice \(did you mean 'eigenvector'"
    ):
        S.AhpSettings(method="eigen")  # type: ignore[arg-type]
    with pytest.raises(CkmError, match=r"top_k: 2\.5 is not a whole number"):
        S.RankingSettings(top_k=2.5)  # type: ignore[arg-type]
    with pytest.raises(CkmError, match=r"samples: 0 is out of range"):
        S.SensitivitySettings(samples=0)


def test_overrides_replace_only_what_is_given():
    base = S.AhpSettings(ri_table="saaty-2005", aggregation="aip")
    new = base.with_overrides(method="geometric_mean", ri_table=None)
    assert new == S.AhpSettings(method="geometric_mean", ri_table="saaty-2005", aggregation="aip")
    s = S.SensitivitySettings(seed=3).with_overrides(samples=20)
    assert (s.samples, s.seed) == (20, 3)


# -- [weights]: objective weights and their combination (issue 16 point 3) ---------------------


def test_weights_settings_default_to_the_panel_alone():
    assert load_case(CASE).settings.weights == S.WeightSettings("none", None, 0.5)


def test_weights_settings_are_read(case_dir):
    append(case_dir, '[weights]\nobjective = "entropy"\ncombine = "game-theory"\n')
    w = load_case(case_dir).settings.weights
    assert (w.objective, w.combine, w.alpha, w.rule) == (
        "entropy",
        "game-theory",
        0.5,
        "game_theory",
    )
    assert load_case(case_dir).fixed_weights is None  # the panel still weighs


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            'objective = "entropie"',
            r"\[weights\] objective: 'entropie' is not a choice \(did you mean 'entropy'",
        ),
        (
            'objective = "critic"\ncombine = "additive"',
            r"\[weights\] combine: 'additive' is not a choice",
        ),
        (
            'objective = "std"\ncombine = "linear"\nalpha = 1.5',
            r"\[weights\] alpha: 1\.5 is out of range: must be between 0",
        ),
        ('objective = "std"\nalpha = "half"', r"\[weights\] alpha: 'half' is not a finite number"),
        ('combine = "linear"', r"\[weights\] combine: combine = 'linear' needs objective weights"),
        (
            'objectve = "std"',
            r"\[weights\] objectve: unknown key 'objectve' \(did you mean 'objective'",
        ),
    ],
)
def test_weights_settings_rules(case_dir, lines, message):
    append(case_dir, f"[weights]\n{lines}\n")
    with pytest.raises(CaseError, match=message) as info:
        load_case(case_dir)
    assert "case.toml" in str(info.value)


def test_alpha_without_the_linear_rule_is_a_warning(case_dir):
    append(case_dir, '[weights]\nobjective = "std"\ncombine = "multiplicative"\nalpha = 0.3\n')
    (warning,) = load_case(case_dir).warnings
    assert warning.where == "[weights] alpha" and "not used" in warning.message


def test_weight_settings_checked_on_construction():
    with pytest.raises(CkmError, match=r"alpha: -0\.1 is out of range"):
        S.WeightSettings("entropy", "linear", -0.1)
    w = S.WeightSettings().with_overrides(objective="critic", combine="linear", alpha=0.25)
    assert w == S.WeightSettings("critic", "linear", 0.25)


# -- [ranking] tiers (issue 16 point 7) -------------------------------------------------------


def test_tier_settings_are_read_with_defaults(case_dir):
    assert load_case(CASE).settings.ranking.tiers == "none"
    edit(case_dir, "[ranking]", '[ranking]\ntiers = "closeness"\nkey_at = 0.7')
    r = load_case(case_dir).settings.ranking
    assert (r.tiers, r.thresholds) == ("closeness", (0.7, S.TIER_DEFAULTS["closeness"][1]))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('tiers = "kmean"', r"\[ranking\] tiers: 'kmean' is not a choice \(did you mean 'kmeans'"),
        (
            'tiers = "probability"\nkey_at = 0.1',
            r"\[ranking\] potential_at: potential_at 0\.2 is above key_at 0\.1",
        ),
        ('tiers = "closeness"\nkey_at = 2', r"\[ranking\] key_at: 2 is out of range"),
    ],
)
def test_tier_settings_rules(case_dir, lines, message):
    edit(case_dir, "[ranking]", f"[ranking]\n{lines}")
    with pytest.raises(CaseError, match=message):
        load_case(case_dir)
