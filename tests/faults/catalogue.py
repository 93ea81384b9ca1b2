"""The catalogue of bad inputs and faults (issue 13, point 8), as data.

Each :class:`Fault` says how to spoil a copy of the precision-machinery case (or the command
line), which command to run, and which words the one-line error must hold: the file and the
place (table and key, node, row and column). :mod:`tests.faults.test_catalogue` runs them all
with the same assertions: exit code 2, those words, no "internal error", and every file of the
case and of an earlier report byte for byte as before.

Placeholders in ``argv``: ``{case}`` (the case folder), ``{out}`` (an earlier report folder,
written by ``ckm run``), ``{tmp}`` (the test's folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.faults.mutations import (
    Mutate,
    append,
    both,
    customers_cell,
    customers_lines,
    edit,
    flows_line,
    folder,
    loop,
    nothing,
    own_tree,
    put,
    recode,
    remove,
    to_xlsx,
)

RUN = ("run", "{case}", "--out", "{out}", "--samples", "20", "--quiet")


@dataclass(frozen=True)
class Fault:
    """One bad input: ``mutate`` spoils the case folder, ``argv`` runs, ``expect`` are regular
    expressions that the error message must all match."""

    id: str
    kind: str
    mutate: Mutate
    expect: tuple[str, ...]
    argv: tuple[str, ...] = RUN
    extra: dict[str, str] = field(default_factory=dict)


J = "panel/crm_it_lead.toml"
CUSTOMERS = r"customers\.csv"
CASE_TOML = r"case\.toml"
TREE = r"tree\.toml"
FLOWS = r"cashflows\.csv"

# -- the catalogue -------------------------------------------------------------------------------

CASE_FAULTS = [
    Fault(
        "unknown-table",
        "case.toml",
        append("case.toml", "[rankings]\ntop_k = 3"),
        (CASE_TOML, r"\[rankings\]", "did you mean 'ranking'"),
    ),
    Fault(
        "unknown-key-ranking",
        "case.toml",
        edit("case.toml", "top_k = 5", "topk = 3"),
        (CASE_TOML, r"\[ranking\] topk", "did you mean 'top_k'"),
    ),
    Fault(
        "normalisation-spelling",
        "case.toml",
        edit("case.toml", 'normalization = "vector"', 'normalisation = "vector"'),
        (CASE_TOML, r"\[ranking\] normalisation", "did you mean 'normalization'"),
    ),
    Fault(
        "normalization-choice",
        "case.toml",
        edit("case.toml", 'normalization = "vector"', 'normalization = "min-max"'),
        (CASE_TOML, r"\[ranking\] normalization", "not a choice"),
    ),
    Fault(
        "top-k-float",
        "case.toml",
        edit("case.toml", "top_k = 5", "top_k = 2.7"),
        (CASE_TOML, r"\[ranking\] top_k", "not a whole number"),
    ),
    Fault(
        "top-k-text",
        "case.toml",
        edit("case.toml", "top_k = 5", 'top_k = "five"'),
        (CASE_TOML, r"\[ranking\] top_k", "not a whole number"),
    ),
    Fault(
        "top-k-zero",
        "case.toml",
        edit("case.toml", "top_k = 5", "top_k = 0"),
        (CASE_TOML, r"\[ranking\] top_k", "out of range"),
    ),
    Fault(
        "top-k-bool",
        "case.toml",
        edit("case.toml", "top_k = 5", "top_k = true"),
        (CASE_TOML, r"\[ranking\] top_k", "not a whole number"),
    ),
    Fault(
        "discount-rate-text",
        "case.toml",
        edit("case.toml", "discount_rate = 0.08", 'discount_rate = "8%"'),
        (CASE_TOML, r"\[clv\] discount_rate"),
    ),
    Fault(
        "horizon-zero",
        "case.toml",
        edit("case.toml", "horizon = 5", "horizon = 0"),
        (CASE_TOML, r"\[clv\] horizon"),
    ),
    Fault(
        "clv-unknown-column",
        "case.toml",
        edit("case.toml", 'column = "base_potential"', 'column = "base_potencial"'),
        (CASE_TOML, r"\[clv\] column", "base_potential"),
    ),
    Fault(
        "clv-unknown-key",
        "case.toml",
        append("case.toml", "discountrate = 0.1"),
        (CASE_TOML, r"\[clv\] discountrate", "did you mean 'discount_rate'"),
    ),
    Fault(
        "ahp-method-choice",
        "case.toml",
        edit("case.toml", 'method = "eigenvector"', 'method = "eigen"'),
        (CASE_TOML, r"\[ahp\] method", "did you mean 'eigenvector'"),
    ),
    Fault(
        "ahp-unknown-key",
        "case.toml",
        edit("case.toml", "ri_table = ", "ri-table = "),
        (CASE_TOML, r"\[ahp\] ri-table", "did you mean 'ri_table'"),
    ),
    Fault(
        "case-unknown-key",
        "case.toml",
        edit("case.toml", "panel = ", "pannel = "),
        (CASE_TOML, r"\[case\] pannel", "did you mean 'panel'"),
    ),
    Fault(
        "case-no-tree",
        "case.toml",
        edit("case.toml", 'tree = "ckm-huang2008"\n', ""),
        (CASE_TOML, r"\[case\] tree", "no tree given"),
    ),
    Fault(
        "case-tree-typo",
        "case.toml",
        edit("case.toml", 'tree = "ckm-huang2008"', 'tree = "ckm-huang2009"'),
        (CASE_TOML, r"\[case\] tree", 'Did you mean "ckm-huang2008"'),
    ),
    Fault(
        "case-name-number",
        "case.toml",
        edit("case.toml", 'name = "Precision machinery B2B manufacturer"', "name = 3"),
        (CASE_TOML, r"\[case\] name", "not text"),
    ),
    Fault(
        "key-outside-table",
        "case.toml",
        lambda c: (c / "case.toml").write_text(
            "top_k = 3\n" + (c / "case.toml").read_text(encoding="utf-8"), encoding="utf-8"
        ),
        (CASE_TOML, "top_k", "a key outside any table", r"Put it under \[ranking\]"),
    ),
    Fault(
        "toml-syntax",
        "case.toml",
        edit("case.toml", "[ranking]", "[ranking"),
        (CASE_TOML, "not valid TOML"),
    ),
    Fault(
        "toml-duplicate-key",
        "case.toml",
        edit("case.toml", "top_k = 5", "top_k = 5\ntop_k = 6"),
        (CASE_TOML, "not valid TOML"),
    ),
    Fault(
        "toml-gbk",
        "case.toml",
        recode("case.toml", "gbk"),
        (CASE_TOML, "not UTF-8 text", "Save the file as UTF-8"),
    ),
    Fault(
        "toml-latin1",
        "case.toml",
        both(
            edit("case.toml", 'name = "Precision', 'name = "Précision'),
            recode("case.toml", "latin-1"),
        ),
        (CASE_TOML, "not UTF-8 text"),
    ),
    Fault("case-toml-loop", "case.toml", loop("case.toml"), (CASE_TOML, "loop of symbolic links")),
    Fault("case-toml-folder", "case.toml", folder("case.toml"), (CASE_TOML, "is a folder")),
    Fault("no-case-toml", "case.toml", remove("case.toml"), (CASE_TOML, "no case.toml here")),
    Fault(
        "sensitivity-samples-huge",
        "case.toml",
        append("case.toml", "[sensitivity]\nsamples = 99999999999999999"),
        (CASE_TOML, r"\[sensitivity\] samples", "out of range"),
    ),
    Fault(
        "sensitivity-source-choice",
        "case.toml",
        append("case.toml", '[sensitivity]\nsource = "panels"'),
        (CASE_TOML, r"\[sensitivity\] source", "did you mean 'panel'"),
    ),
    Fault(
        "weights-unknown-leaf",
        "case.toml",
        append("case.toml", "[weights]\ntrusts = 1"),
        (CASE_TOML, r"\[weights\] trusts", "did you mean 'trust'"),
    ),
    Fault("no-panel-folder", "case.toml", remove("panel"), (CASE_TOML, r"\[case\] panel")),
]

TREE_FAULTS = [
    Fault(
        "tree-unknown-node-key",
        "tree",
        own_tree(('scale = "money"', 'scael = "money"')),
        (TREE, r'\[\[node\]\] "base_potential" scael', "did you mean 'scale'"),
    ),
    Fault(
        "tree-unknown-tree-key",
        "tree",
        own_tree(("title_zh =", "titel_zh =")),
        (TREE, r"\[tree\] titel_zh", "did you mean 'title_zh'"),
    ),
    Fault(
        "tree-unknown-table",
        "tree",
        own_tree(("[tree]", "[meta]\nx = 'y'\n[tree]")),
        (TREE, "meta", "unknown table"),
    ),
    Fault(
        "tree-unknown-scale",
        "tree",
        own_tree(('scale = "likert7"', 'scale = "likert-7"')),
        (TREE, r'\[\[node\]\] "trust" scale', "did you mean 'likert7'"),
    ),
    Fault(
        "tree-label-number",
        "tree",
        own_tree(('label = "Base potential"', "label = 1")),
        (TREE, r'\[\[node\]\] "base_potential" label', "not text"),
    ),
    Fault(
        "tree-no-direction",
        "tree",
        own_tree(('direction = "benefit"\n', "")),
        (TREE, 'node "base_potential"', "no direction"),
    ),
    Fault(
        "tree-bad-direction",
        "tree",
        own_tree(('direction = "benefit"', 'direction = "more"')),
        (TREE, 'node "base_potential"', "not benefit or cost"),
    ),
    Fault(
        "tree-unknown-parent",
        "tree",
        own_tree(('parent = "knowledge_value"', 'parent = "knowledge_values"')),
        (TREE, 'node "base_potential"', 'parent "knowledge_values"'),
    ),
    Fault(
        "tree-duplicate-id",
        "tree",
        own_tree(('id = "growth_potential"', 'id = "base_potential"')),
        (TREE, 'node "base_potential"', "duplicate id"),
    ),
    Fault(
        "tree-two-roots",
        "tree",
        own_tree(('parent = "goal"\nlabel = "Willingness', 'label = "Willingness')),
        (TREE, "exactly one root"),
    ),
    Fault("tree-syntax", "tree", own_tree(("[tree]", "[tree")), (TREE, "not valid TOML")),
    Fault(
        "tree-latin1",
        "tree",
        both(own_tree(), recode("tree.toml", "gb18030")),
        (TREE, "not UTF-8 text"),
    ),
    Fault(
        "tree-loop", "tree", both(own_tree(), loop("tree.toml")), (TREE, "loop of symbolic links")
    ),
    Fault(
        "tree-file-missing",
        "tree",
        both(own_tree(), remove("tree.toml")),
        (CASE_TOML, r"\[case\] tree", "neither a file"),
    ),
]

CUSTOMER_FAULTS = [
    Fault(
        "likert-off-scale",
        "customers",
        customers_cell(4, "trust", "70"),
        (CUSTOMERS, r'row 4, column "trust"', 'off the scale "likert7"'),
    ),
    Fault(
        "rate-as-percent",
        "customers",
        customers_cell(5, "passive_acceptance_rate", "46"),
        (CUSTOMERS, r'row 5, column "passive_acceptance_rate"', r"Did you mean 0\.46"),
    ),
    Fault(
        "negative-count",
        "customers",
        customers_cell(3, "source_diversity", "-2"),
        (CUSTOMERS, r'row 3, column "source_diversity"', 'off the scale "count"'),
    ),
    Fault(
        "underscore-number",
        "customers",
        customers_cell(6, "growth_potential", "3_20"),
        (CUSTOMERS, r'row 6, column "growth_potential"', "without underscores"),
    ),
    Fault(
        "thousands-separator",
        "customers",
        customers_cell(6, "growth_potential", '"1,250"'),
        (CUSTOMERS, r'row 6, column "growth_potential"', "thousands separators"),
    ),
    Fault(
        "decimal-comma",
        "customers",
        customers_cell(7, "passive_acceptance_rate", '"0,46"'),
        (CUSTOMERS, r'row 7, column "passive_acceptance_rate"', "decimal separator"),
    ),
    Fault(
        "empty-cell",
        "customers",
        customers_cell(8, "trust", ""),
        (CUSTOMERS, r'row 8, column "trust"', "empty cell"),
    ),
    Fault(
        "text-cell",
        "customers",
        customers_cell(8, "trust", "high"),
        (CUSTOMERS, r'row 8, column "trust"', "'high' is not a number"),
    ),
    Fault(
        "nan-cell",
        "customers",
        customers_cell(9, "trust", "nan"),
        (CUSTOMERS, r'row 9, column "trust"', "NaN"),
    ),
    Fault(
        "inf-cell",
        "customers",
        customers_cell(9, "growth_potential", "inf"),
        (CUSTOMERS, r'row 9, column "growth_potential"', "infinite"),
    ),
    Fault(
        "unit-in-cell",
        "customers",
        customers_cell(9, "growth_potential", "1100 CNY"),
        (CUSTOMERS, r'row 9, column "growth_potential"', "not a number"),
    ),
    Fault(
        "duplicate-id",
        "customers",
        customers_cell(3, "id", "C-01"),
        (CUSTOMERS, r'row 3, column "id"', 'duplicate id "C-01"'),
    ),
    Fault(
        "empty-id",
        "customers",
        customers_cell(3, "id", ""),
        (CUSTOMERS, r'row 3, column "id"', "empty id"),
    ),
    Fault(
        "missing-id-column",
        "customers",
        customers_lines(lambda ls: [ls[0].replace("id,", "code,", 1), *ls[1:]]),
        (CUSTOMERS, r"row 1 \(header\)", 'no "id" column'),
    ),
    Fault(
        "column-typo",
        "customers",
        customers_lines(lambda ls: [ls[0].replace("trust", "trusts"), *ls[1:]]),
        (CUSTOMERS, r"row 1 \(header\)", '"trusts" -> "trust"'),
    ),
    Fault(
        "duplicate-column",
        "customers",
        customers_lines(lambda ls: [ls[0] + ",trust", *(line + ",3" for line in ls[1:])]),
        (CUSTOMERS, r"row 1 \(header\)", "appears twice"),
    ),
    Fault(
        "stray-value",
        "customers",
        customers_lines(lambda ls: [*ls[:4], ls[4] + ",9", *ls[5:]]),
        (CUSTOMERS, "row 5", "no header"),
    ),
    Fault(
        "header-only",
        "customers",
        customers_lines(lambda ls: ls[:1]),
        (CUSTOMERS, "row 2", "no customers"),
    ),
    Fault("empty-file", "customers", put("customers.csv", ""), (CUSTOMERS, "empty")),
    Fault(
        "semicolons",
        "customers",
        customers_lines(lambda ls: [x.replace(",", ";") for x in ls]),
        (CUSTOMERS, r"row 1 \(header\)", "separated by semicolons"),
    ),
    Fault(
        "tabs",
        "customers",
        customers_lines(lambda ls: [x.replace(",", "\t") for x in ls]),
        (CUSTOMERS, r"row 1 \(header\)", "separated by tabs"),
    ),
    Fault(
        "bad-bytes",
        "customers",
        put("customers.csv", b"id,name\n\x81\x20,\xff\n"),
        (CUSTOMERS, "not UTF-8 text", "nor GB18030 or cp1252"),
    ),
    Fault(
        "nul-byte-header",
        "customers",
        put("customers.csv", b"id,\x00name\n"),
        (CUSTOMERS, r"row 1 \(header\)", "does not match the tree"),
    ),
    Fault(
        "customers-loop", "customers", loop("customers.csv"), (CUSTOMERS, "loop of symbolic links")
    ),
    Fault("customers-folder", "customers", folder("customers.csv"), (CUSTOMERS, "is a folder")),
    Fault("customers-missing", "customers", remove("customers.csv"), (CUSTOMERS, "file not found")),
    Fault(
        "customers-wrong-type",
        "customers",
        both(
            edit("case.toml", 'customers = "customers.csv"', 'customers = "customers.ods"'),
            put("customers.ods", "x"),
        ),
        (r"customers\.ods", "unsupported file type"),
    ),
    Fault(
        "negative-clv-column-vector",
        "customers",
        both(
            edit("case.toml", "[clv]", "[old_clv]"),
            remove("cashflows.csv"),
            edit("case.toml", "[old_clv]\ncashflows", "# [clv]\n#cashflows"),
            edit("case.toml", 'column = "base', '#column = "base'),
            edit("case.toml", "discount_rate = ", "#discount_rate = "),
            edit("case.toml", "horizon = ", "#horizon = "),
            customers_cell(4, "base_potential", "-12.5"),
        ),
        (CUSTOMERS, r'row 4, column "base_potential"', "negative", "minmax"),
    ),
]

XLSX_FAULTS = [
    Fault(
        "xlsx-off-scale",
        "customers (XLSX)",
        to_xlsx(lambda rows: rows[3].__setitem__(rows[0].index("trust"), "70")),
        (r"customers\.xlsx", r'row 4, column "trust"', 'off the scale "likert7"'),
    ),
    Fault(
        "xlsx-text-cell",
        "customers (XLSX)",
        to_xlsx(lambda rows: rows[2].__setitem__(rows[0].index("trust"), "high")),
        (r"customers\.xlsx", r'row 3, column "trust"', "not a number"),
    ),
    Fault(
        "xlsx-empty-cell",
        "customers (XLSX)",
        to_xlsx(lambda rows: rows[5].__setitem__(rows[0].index("trust"), "")),
        (r"customers\.xlsx", r'row 6, column "trust"', "empty cell"),
    ),
    Fault(
        "xlsx-not-a-workbook",
        "customers (XLSX)",
        both(to_xlsx(), put("customers.xlsx", "id,name\n")),
        (r"customers\.xlsx", "not a readable XLSX workbook"),
    ),
    Fault(
        "xlsx-duplicate-id",
        "customers (XLSX)",
        to_xlsx(lambda rows: rows[2].__setitem__(0, "C-01")),
        (r"customers\.xlsx", r'row 3, column "id"', "duplicate id"),
    ),
]

FLOW_FAULTS = [
    Fault(
        "flows-negative-clv",
        "cashflows",
        both(*(flows_line(k, f"C-02,{k - 6},-100") for k in range(7, 12))),
        (FLOWS, "rows 7, 8, 9, 10, 11", 'customer "C-02"', "CLV of -399.271"),
    ),
    Fault(
        "flows-unknown-customer",
        "cashflows",
        flows_line(2, "C-99,1,10"),
        (FLOWS, r'row 2, column "customer_id"', 'unknown customer "C-99"'),
    ),
    Fault(
        "flows-period-beyond",
        "cashflows",
        flows_line(2, "C-01,6,10"),
        (FLOWS, r'row 2, column "period"', r"1\.\.5"),
    ),
    Fault(
        "flows-period-text",
        "cashflows",
        flows_line(2, "C-01,one,10"),
        (FLOWS, r'row 2, column "period"'),
    ),
    Fault(
        "flows-duplicate",
        "cashflows",
        flows_line(3, "C-01,1,10"),
        (FLOWS, "row 3", "period 1 twice"),
    ),
    Fault(
        "flows-decimal-comma",
        "cashflows",
        flows_line(2, 'C-01,1,"1099,8"'),
        (FLOWS, r'row 2, column "net_cash_flow"', "decimal separator"),
    ),
    Fault(
        "flows-empty",
        "cashflows",
        flows_line(2, "C-01,1,"),
        (FLOWS, r'row 2, column "net_cash_flow"', "empty cell"),
    ),
    Fault(
        "flows-missing-column",
        "cashflows",
        flows_line(1, "customer_id,period,cash"),
        (FLOWS, r"row 1 \(header\)", '"net_cash_flow"'),
    ),
    Fault("flows-missing-file", "cashflows", remove("cashflows.csv"), (r"cashflows\.csv",)),
    Fault(
        "flows-huge",
        "cashflows",
        both(*(flows_line(k, f"C-01,{k - 1},1e308") for k in range(2, 7))),
        (FLOWS, "rows 2, 3, 4, 5, 6", "not finite"),
    ),
]

# Judgement files: only faults today's reader already catches (another change is under way).
JUDGEMENT_FAULTS = [
    Fault(
        "judgement-off-scale",
        "judgements",
        edit(J, '"knowledge_value vs willingness" = 2', '"knowledge_value vs willingness" = 12'),
        (r"crm_it_lead\.toml", "knowledge_value vs willingness"),
    ),
    Fault(
        "judgement-unknown-word",
        "judgements",
        edit(
            J, '"knowledge_value vs willingness" = 2', '"knowledge_value vs willingness" = "very"'
        ),
        (r"crm_it_lead\.toml", "knowledge_value vs willingness", "not on the scale"),
    ),
    Fault(
        "judgement-zero",
        "judgements",
        edit(J, '"knowledge_value vs willingness" = 2', '"knowledge_value vs willingness" = 0'),
        (r"crm_it_lead\.toml", "knowledge_value vs willingness", "positive"),
    ),
    Fault(
        "judgement-unknown-criterion",
        "judgements",
        edit(J, '"knowledge_value vs willingness" = 2', '"knowledge_value vs willingnes" = 2'),
        (r"crm_it_lead\.toml", "willingnes"),
    ),
    Fault(
        "judgement-syntax",
        "judgements",
        edit(J, "[expert]", "[expert"),
        (r"crm_it_lead\.toml", "not valid TOML"),
    ),
    Fault(
        "judgement-pair-twice",
        "judgements",
        edit(
            J,
            '"knowledge_value vs willingness" = 2',
            '"knowledge_value vs willingness" = 2\n"willingness vs knowledge_value" = 3',
        ),
        (r"crm_it_lead\.toml", "knowledge_value"),
    ),
]

CLI_FAULTS = [
    Fault(
        "samples-huge",
        "CLI options",
        nothing,
        ("--samples",),
        argv=(*RUN[:-3], "--samples", "99999999999999999999"),
    ),
    Fault(
        "samples-zero", "CLI options", nothing, ("--samples",), argv=(*RUN[:-3], "--samples", "0")
    ),
    Fault("top-zero", "CLI options", nothing, ("--top",), argv=(*RUN, "--top", "0")),
    Fault("lang-fr", "CLI options", nothing, ("--lang",), argv=(*RUN, "--lang", "fr")),
    Fault(
        "normalization-option",
        "CLI options",
        nothing,
        ("--normalization",),
        argv=(*RUN, "--normalization", "max"),
    ),
    Fault(
        "max-memory-text",
        "CLI options",
        nothing,
        ("--max-memory", "not a memory size"),
        argv=(*RUN, "--max-memory", "lots"),
    ),
    Fault(
        "max-memory-tiny",
        "CLI options",
        nothing,
        (CUSTOMERS, "would need about", "ckm rank", "--max-memory"),
        argv=(*RUN, "--max-memory", "1M"),
    ),
    Fault(
        "case-missing",
        "CLI options",
        nothing,
        ("nowhere",),
        argv=("run", "{tmp}/nowhere", "--out", "{out}"),
    ),
    Fault(
        "rank-weights-count",
        "CLI options",
        nothing,
        ("--weights",),
        argv=("rank", "{case}/customers.csv", "--weights", "1,2"),
    ),
    Fault(
        "rank-weights-text",
        "CLI options",
        nothing,
        ("--weights",),
        argv=("rank", "{case}/customers.csv", "--weights", "1,1,1,1,1,1,1,1,1,1,1,a"),
    ),
    Fault(
        "weights-paths-without-tree",
        "CLI options",
        nothing,
        ("--tree",),
        argv=("weights", "{case}/panel/crm_it_lead.toml", "{case}/panel/rd_director.toml"),
    ),
    Fault(
        "source-panel-fixed-weights",
        "CLI options",
        append(
            "case.toml",
            "[weights]\n"
            + "\n".join(
                f"{leaf} = 1"
                for leaf in (
                    "base_potential",
                    "growth_potential",
                    "networking_potential",
                    "learning_potential",
                    "active_contact_frequency",
                    "passive_acceptance_rate",
                    "trust",
                    "perceived_benefit",
                    "source_diversity",
                    "prior_knowledge",
                    "employee_motivation",
                    "it_support",
                )
            ),
        ),
        ("fixed weights", "--source"),
        argv=(*RUN, "--source", "panel"),
    ),
]

OUTPUT_FAULTS = [
    Fault(
        "out-is-the-case",
        "outputs",
        nothing,
        ("{case}",),
        argv=("run", "{case}", "--out", "{case}", "--samples", "20"),
    ),
    Fault(
        "out-is-a-file",
        "outputs",
        put("notes.txt", "my notes"),
        (r"notes\.txt",),
        argv=("run", "{case}", "--out", "{case}/notes.txt", "--samples", "20"),
    ),
    Fault(
        "out-has-other-files",
        "outputs",
        put("../mine/keep.txt", "keep"),
        ("mine",),
        argv=("run", "{case}", "--out", "{tmp}/mine", "--samples", "20"),
    ),
    Fault(
        "out-report-edited",
        "outputs",
        nothing,
        ("{out}",),
        argv=("run", "{case}", "--out", "{out}", "--samples", "20"),
        extra={"edit_out": "ranking.csv"},
    ),
    Fault(
        "out-under-a-file",
        "outputs",
        put("../afile", "x"),
        ("afile",),
        argv=("run", "{case}", "--out", "{tmp}/afile/report", "--samples", "20"),
    ),
    Fault(
        "out-is-an-ancestor",
        "outputs",
        nothing,
        ("{tmp}",),
        argv=("run", "{case}", "--out", "{tmp}", "--samples", "20"),
    ),
    Fault(
        "rank-out-is-input",
        "outputs",
        nothing,
        (r"customers\.csv",),
        argv=("rank", "{case}/customers.csv", "--case", "{case}", "--out", "{case}/customers.csv"),
    ),
    Fault(
        "rank-out-is-foreign-file",
        "outputs",
        put("../scores.csv", "a,b\n"),
        (r"scores\.csv",),
        argv=("rank", "{case}/customers.csv", "--case", "{case}", "--out", "{tmp}/scores.csv"),
    ),
]

STREAM = (
    "rank",
    "{case}/customers.csv",
    "--case",
    "{case}",
    "--engine",
    "stream",
    "--out",
    "{tmp}/scores.parquet",
)
"""``ckm rank`` on the case's customers by the streaming engine (which a small file only takes
when asked): the same checks as the in-memory path (issue 13, points 5 and 6)."""

STREAM_FAULTS = [
    Fault(
        "rank-stream-likert-off-scale",
        "customers (ckm rank stream)",
        customers_cell(4, "trust", "70"),
        (CUSTOMERS, r'row 4, column "trust"', 'off the scale "likert7"'),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-rate-as-percent",
        "customers (ckm rank stream)",
        customers_cell(5, "passive_acceptance_rate", "46"),
        (CUSTOMERS, r'row 5, column "passive_acceptance_rate"', r"Did you mean 0\.46"),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-negative-count",
        "customers (ckm rank stream)",
        customers_cell(3, "source_diversity", "-2"),
        (CUSTOMERS, r'row 3, column "source_diversity"', 'off the scale "count"'),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-underscore-number",
        "customers (ckm rank stream)",
        customers_cell(6, "growth_potential", "3_20"),
        (CUSTOMERS, r'row 6, column "growth_potential"', "without underscores"),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-thousands-separator",
        "customers (ckm rank stream)",
        customers_cell(6, "growth_potential", '"1,250"'),
        (CUSTOMERS, r'row 6, column "growth_potential"', "thousands separators"),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-semicolons",
        "customers (ckm rank stream)",
        customers_lines(lambda ls: [x.replace(",", ";") for x in ls]),
        (CUSTOMERS, r"row 1 \(header\)", "separated by semicolons"),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-gbk-off-scale",
        "customers (ckm rank stream)",
        both(
            edit("customers.csv", "Suzhou Hengli Auto Parts", "苏州恒力汽车零部件"),
            customers_cell(4, "trust", "70"),
            recode("customers.csv", "gbk"),
        ),
        (CUSTOMERS, r'row 4, column "trust"', 'off the scale "likert7"'),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-gbk-empty-cell",
        "customers (ckm rank stream)",
        both(
            edit("customers.csv", "Suzhou Hengli Auto Parts", "苏州恒力汽车零部件"),
            customers_cell(7, "trust", ""),
            recode("customers.csv", "gbk"),
        ),
        (CUSTOMERS, r'row 7, column "trust"', "empty cell"),
        argv=STREAM,
    ),
    Fault(
        "rank-stream-bad-bytes",
        "customers (ckm rank stream)",
        put("customers.csv", b"id,name\n\x81\x20,\xff\n"),
        (CUSTOMERS, "not UTF-8 text", "nor GB18030 or cp1252"),
        argv=STREAM,
    ),
]

FAULTS: list[Fault] = [
    *CASE_FAULTS,
    *TREE_FAULTS,
    *CUSTOMER_FAULTS,
    *XLSX_FAULTS,
    *FLOW_FAULTS,
    *JUDGEMENT_FAULTS,
    *CLI_FAULTS,
    *OUTPUT_FAULTS,
    *STREAM_FAULTS,
]
