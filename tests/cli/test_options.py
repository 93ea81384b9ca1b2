"""Tests of the shared options: choices generated from the library's tuples and refused with
their list, the case commands sharing their options, settings warnings on stderr."""

from __future__ import annotations

import json
import shutil

import pytest
import typer.main
from typer.testing import CliRunner

from mcda_ckm.cli import options
from mcda_ckm.cli.main import app
from mcda_ckm.model import settings as S
from tests.conftest import CASE

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("command", ["run", "report", "sensitivity", "weights"])
def test_lang_fr_is_refused_with_the_choices(command, tmp_path):
    """Before, --lang was a bare str and 'fr' silently wrote English."""
    r = invoke(command, CASE, "--lang", "fr")
    assert r.exit_code == 2
    assert "Invalid value for '--lang': 'fr' is not one of 'en', 'zh'" in flat(r.stderr).replace(
        "Value error, ", ""
    )
    assert r.stdout == ""


@pytest.mark.parametrize(
    ("option", "bad", "choices"),
    [
        ("--method", "eigen", S.METHODS),
        ("--ri-table", "saaty", S.RI_TABLE_NAMES),
        ("--rule", "flat", S.RULE_NAMES),
        ("--aggregation", "mean", S.AGGREGATIONS),
        ("--policy", "drop", S.POLICIES),
        ("--completion", "zero", S.COMPLETIONS),
    ],
)
def test_ahp_choices_come_from_the_library(option, bad, choices):
    r = invoke("weights", CASE, option, bad)
    assert r.exit_code == 2
    listed = ", ".join(f"'{c}'" for c in choices)
    assert f"'{bad}' is not one of {listed}" in flat(r.stderr)


def test_enums_are_the_library_tuples():
    pairs = [
        (options.MethodChoice, S.METHODS),
        (options.RiTableChoice, S.RI_TABLE_NAMES),
        (options.RuleChoice, S.RULE_NAMES),
        (options.AggregationChoice, S.AGGREGATIONS),
        (options.PolicyChoice, S.POLICIES),
        (options.CompletionChoice, S.COMPLETIONS),
        (options.NormalizationChoice, S.NORMALIZATIONS),
        (options.LanguageChoice, S.LANGUAGES),
        (options.SourceChoice, S.SOURCES),
        (options.EngineChoice, S.ENGINES),
    ]
    for enum, values in pairs:
        assert tuple(e.value for e in enum) == values


def option_names(command: str) -> set[str]:
    group = typer.main.get_command(app)
    cmd = group.commands[command]  # type: ignore[attr-defined]
    return {o for p in cmd.params for o in p.opts if o.startswith("--")}


def test_case_commands_share_their_options():
    shared = {"--lang", "--method", "--ri-table", "--rule", "--aggregation", "--policy"}
    sampling = {"--top", "--samples", "--seed", "--source", "--spread", "--quiet"}
    for command in ("run", "report", "sensitivity", "weights"):
        assert shared | {"--completion"} <= option_names(command), command
    for command in ("run", "report", "sensitivity"):
        assert sampling <= option_names(command), command


def test_samples_out_of_range_is_refused_before_running():
    r = invoke("sensitivity", CASE, "--samples", str(S.MAX_SAMPLES + 1))
    assert r.exit_code == 2 and "--samples" in flat(r.stderr)
    r = invoke("sensitivity", CASE, "--samples", "99999999999999999999")
    assert r.exit_code == 2 and "internal error" not in r.stderr


def test_sensitivity_takes_the_ahp_options():
    r = invoke("sensitivity", CASE, "--samples", "50", "--method", "geometric_mean", "--json")
    assert r.exit_code == 0, r.stderr


def test_run_applies_the_case_sensitivity_table(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    tree = (CASE.parent.parent / "criteria" / "ckm-huang2008.toml").as_posix()
    text = toml.read_text(encoding="utf-8").replace("../../criteria/ckm-huang2008.toml", tree)
    toml.write_text(text + "\n[sensitivity]\nsamples = 60\nseed = 11\n", encoding="utf-8")
    r = invoke("sensitivity", dst, "--json")
    assert r.exit_code == 0, r.stderr
    smaa = json.loads(r.stdout)["smaa"]
    assert (smaa["samples"], smaa["seed"]) == (60, 11)
    r = invoke("sensitivity", dst, "--json", "--seed", "12")
    assert json.loads(r.stdout)["smaa"]["seed"] == 12


def test_settings_warning_goes_to_stderr(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    tree = (CASE.parent.parent / "criteria" / "ckm-huang2008.toml").as_posix()
    text = toml.read_text(encoding="utf-8").replace("../../criteria/ckm-huang2008.toml", tree)
    toml.write_text(text.replace("discount_rate = 0.08", "discount_rate = 8"), encoding="utf-8")
    r = invoke("weights", dst, "--json")
    assert r.exit_code == 0, r.stderr
    assert "warning:" in r.stderr
    assert "[clv] discount_rate: discount_rate = 8: did you mean 8% (0.08)?" in flat(r.stderr)
    json.loads(r.stdout)  # stdout stays data


def test_case_settings_error_names_file_table_and_key(tmp_path):
    dst = tmp_path / "case"
    shutil.copytree(CASE, dst)
    toml = dst / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("top_k = 5", "top_k = 2.7"))
    r = invoke("run", dst, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert "case.toml: [ranking] top_k: 2.7 is not a whole number" in flat(r.stderr)
    assert not (tmp_path / "out").exists()
