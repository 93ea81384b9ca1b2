"""Figures of the sensitivity analysis (matplotlib, headless).

Every function takes ``ax=None`` (a new figure when None) and returns the Axes; the caller
(the report) saves and closes the figure.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes

from mcda_ckm.errors import CkmError
from mcda_ckm.report.narrative import figure_text

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree
    from mcda_ckm.sensitivity import Acceptability, Sweep, Tolerance

__all__ = [
    "CJK_FAMILIES",
    "CJK_PACKAGE",
    "acceptability_heatmap",
    "cjk_font",
    "expert_priorities",
    "gradient",
    "key_probability_bars",
    "short_label",
    "summarises_others",
    "tornado",
    "tree_diagram",
    "use_language",
]


MANY_LINES = 200
"""Above this many customers, :func:`gradient` draws the others as a band, not one line each."""

BAND = (5.0, 95.0)
"""The percentiles of the others' closeness that bound :func:`gradient`'s grey band."""


def summarises_others(n_customers: int) -> bool:
    """Whether :func:`gradient` draws the customers it does not name as a band (5th to 95th
    percentile and median) rather than one grey line each; the caption must then say so."""
    return n_customers > MANY_LINES


def _axes(ax: Axes | None, size: tuple[float, float] = (7, 4)) -> Axes:
    if ax is not None:
        return ax
    matplotlib.use("Agg", force=False)
    _, new = plt.subplots(figsize=size)
    return new


def short_label(cid: str, name: str = "", width: int = 22) -> str:
    """An id with its name shortened to ``width`` characters: "C-04 Shanghai Jinqiao E-D…".

    >>> short_label("C-04", "Shanghai Jinqiao E-Drive Systems", 18)
    'C-04 Shanghai Jinqiao…'
    """
    if not name or name == cid:
        return cid
    return (
        f"{cid} {textwrap.shorten(name, width, placeholder='…')}"
        if len(name) > width
        else (f"{cid} {name}")
    )


def gradient(
    sw: Sweep,
    ids: Sequence[str],
    *,
    highlight: Sequence[int] = (),
    breaks: Sequence[float] = (),
    label: str = "",
    lang: str = "en",
    ax: Axes | None = None,
    challengers: Sequence[int] = (),
    names: Sequence[str] | None = None,
) -> Axes:
    """Closeness of each customer as one node's weight moves over [0, 1].

    The current weight is a dashed line, break points (where the key set changes) dotted
    lines; ``highlight`` customers (the key sources) are drawn in colour, solid, and
    ``challengers`` in colour, dashed, each labelled with its id and shortened name. The other
    customers are grey lines, or past :data:`MANY_LINES` customers a grey band from the 5th to
    the 95th percentile of their closeness with its median (:func:`summarises_others`). The
    legend sits outside the plot, so it covers no line.
    """
    ax = _axes(ax, (8.5, 4))
    hl = set(highlight) | set(challengers)
    if summarises_others(sw.closeness.shape[1]):
        # One grey line per customer costs time in proportion to the customers (100,000 lines
        # of 201 points took most of a report's drawing) and shows only a grey mass: the band
        # of the middle 90% and the median say where the others lie, in bounded time.
        others = np.ones(sw.closeness.shape[1], dtype=bool)
        others[list(hl)] = False
        low, mid, high = np.percentile(sw.closeness[:, others], [BAND[0], 50.0, BAND[1]], axis=1)
        ax.fill_between(
            sw.t, low, high, color="0.88", lw=0, zorder=1, label=figure_text("others_band", lang)
        )
        ax.plot(sw.t, mid, color="0.6", lw=0.9, zorder=1, label=figure_text("others_median", lang))
    else:
        for i in range(sw.closeness.shape[1]):
            if i not in hl:
                ax.plot(sw.t, sw.closeness[:, i], color="0.8", lw=0.8, zorder=1)

    def name(i: int) -> str:
        return short_label(ids[i], names[i] if names is not None else "")

    colours = plt.get_cmap("tab10")
    for k, i in enumerate(highlight):
        ax.plot(sw.t, sw.closeness[:, i], lw=1.8, label=name(i), zorder=3, color=colours(k % 10))
    for k, i in enumerate(challengers):
        ax.plot(
            sw.t,
            sw.closeness[:, i],
            lw=1.4,
            ls="--",
            label=name(i),
            zorder=2,
            color=colours((len(highlight) + k) % 10),
        )
    ax.axvline(sw.t0, color="black", ls="--", lw=1, label=figure_text("current", lang, t0=sw.t0))
    for b in breaks:
        ax.axvline(b, color="tab:red", ls=":", lw=1)
    ax.set_xlim(0, 1)
    ax.set_xlabel(figure_text("local_weight_of", lang, label=label or sw.node))
    ax.set_ylabel(figure_text("closeness", lang))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def expert_priorities(
    labels: Sequence[str],
    experts: Sequence[str],
    priorities: np.ndarray,
    group: np.ndarray,
    *,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Each expert's local priorities of one node (markers) beside the group's (bar), one row
    per criterion: the panel's disagreement at a glance."""
    n = len(labels)
    ax = _axes(ax, (7, max(2.2, 0.55 * n + 1)))
    y = np.arange(n)[::-1]
    ax.barh(y, group, color="0.85", height=0.6, label=figure_text("group", lang), zorder=1)
    markers = "osD^v<>p*h"
    for k, (who, row) in enumerate(zip(experts, priorities, strict=True)):
        ax.scatter(row, y, marker=markers[k % len(markers)], s=36, label=who, zorder=3)
    ax.set_yticks(y, list(labels), fontsize="small")
    ax.set_xlim(0, max(1e-9, float(np.max(priorities)), float(np.max(group))) * 1.1)
    ax.set_xlabel(figure_text("priority", lang))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def tornado(
    rows: Sequence[Tolerance], labels: Sequence[str], *, lang: str = "en", ax: Axes | None = None
) -> Axes:
    """Tolerance intervals of the key set, narrowest first: one bar per node from the lower to
    the upper break point, the current weight marked."""
    ax = _axes(ax, (7, max(3.0, 0.3 * len(rows) + 1)))
    order = sorted(range(len(rows)), key=lambda i: rows[i].width, reverse=True)
    y = np.arange(len(order))
    lows = np.array([rows[i].key_low.t for i in order])
    highs = np.array([rows[i].key_high.t for i in order])
    ax.barh(y, highs - lows, left=lows, color="tab:blue", alpha=0.6)
    ax.scatter([rows[i].t0 for i in order], y, color="black", marker="|", s=120, zorder=3)
    ax.set_yticks(y, [labels[i] for i in order], fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_xlabel(figure_text("tornado", lang))
    return ax


def acceptability_heatmap(
    acc: Acceptability,
    ids: Sequence[str],
    *,
    top: int = 12,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Rank acceptability indices b_i^r of the leading candidates (SMAA-2)."""
    ax = _axes(ax, (6, max(3.0, 0.32 * top + 1)))
    lead = np.argsort(-acc.key_probability, kind="stable")[:top]
    data = acc.rank_acceptability[lead]
    im = ax.imshow(data, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (r, c), v in np.ndenumerate(data):
        if v >= 0.005:
            ax.text(
                c,
                r,
                f"{v:.0%}",
                ha="center",
                va="center",
                fontsize="x-small",
                color="white" if v > 0.6 else "black",
            )
    ax.set_yticks(range(len(lead)), [ids[i] for i in lead], fontsize="small")
    ax.set_xticks(range(data.shape[1]), [str(r + 1) for r in range(data.shape[1])])
    ax.set_xlabel(figure_text("rank", lang))
    ax.figure.colorbar(im, ax=ax, fraction=0.04, label=figure_text("acceptability", lang))
    return ax


def key_probability_bars(
    acc: Acceptability,
    ids: Sequence[str],
    *,
    top: int = 15,
    lang: str = "en",
    ax: Axes | None = None,
    names: Sequence[str] | None = None,
    key: Sequence[int] = (),
) -> Axes:
    """The probability of being a key source of the customers that have a chance (P > 0, at
    most ``top``), each named by id and shortened name; the key sources in colour."""
    chance = [
        i for i in np.argsort(-acc.key_probability, kind="stable") if acc.key_probability[i] > 0
    ]
    lead = np.array(chance[:top][::-1], dtype=int)
    ax = _axes(ax, (7, max(2.0, 0.3 * len(lead) + 1)))
    is_key = set(int(i) for i in key)
    colours = ["tab:orange" if int(i) in is_key else "tab:green" for i in lead]
    ax.barh(range(len(lead)), acc.key_probability[lead], color=colours, alpha=0.8)
    labels = [short_label(ids[i], names[i] if names is not None else "") for i in lead]
    ax.set_yticks(range(len(lead)), labels, fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_xlabel(figure_text("key_probability", lang, n=acc.n_samples, source=acc.source))
    return ax


CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
)
CJK_PACKAGE = (
    "fonts-noto-cjk (Debian/Ubuntu: apt-get install fonts-noto-cjk; fonts-wqy-zenhei also works)"
)


def cjk_font() -> str | None:
    """The first installed font family that can draw Chinese, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((f for f in CJK_FAMILIES if f in names), None)
    if found is None and not _rescanned:
        # matplotlib caches the font list; a font installed after the cache was written is
        # only seen after a rescan (done once per process).
        _rescanned.append(True)
        font_manager.fontManager = font_manager._load_fontmanager(  # type: ignore[attr-defined]
            try_read_cache=False
        )  # matplotlib has no public way to rescan its font list
        return cjk_font()
    return found


_rescanned: list[bool] = []


def use_language(lang: str) -> None:
    """Set matplotlib's fonts for ``lang``; for "zh" a CJK font must be installed.

    Raises
    ------
    CkmError
        For "zh" when no CJK font is installed, naming the package to install.
    """
    if lang != "zh":
        matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
        return
    font = cjk_font()
    if font is None:
        raise CkmError(
            "no font that can draw Chinese is installed, so the figures of a --lang zh report "
            "cannot be drawn",
            hint=f"Install {CJK_PACKAGE}, or run with --lang en",
        )
    # WenQuanYi ships one weight (500); matplotlib logs a warning for every text it draws.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    matplotlib.rcParams["font.family"] = [font, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False


def tree_diagram(
    tree: CriteriaTree,
    local: Mapping[str, np.ndarray],
    weights: np.ndarray,
    *,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """The criteria tree, left to right, each node with its local weight and each indicator
    with its global weight."""
    leaves = tree.leaves
    ax = _axes(ax, (9, max(4.0, 0.45 * len(leaves) + 1)))
    depth = {tree.root: 0}
    for node in tree.nodes:
        for c in tree.children(node):
            depth[c] = depth[node] + 1
    y: dict[str, float] = {leaf: float(len(leaves) - 1 - i) for i, leaf in enumerate(leaves)}
    for node in reversed(tree.nodes):
        if node not in y:
            y[node] = float(np.mean([y[c] for c in tree.children(node)]))
    lw = {tree.root: 1.0}
    for node in tree.inner_nodes:
        for c, w in zip(tree.children(node), local[node], strict=True):
            lw[c] = float(w)
    gw = dict(zip(leaves, weights, strict=True))
    max_depth = max(depth.values())
    for node in tree.nodes:
        x = depth[node]
        for c in tree.children(node):
            ax.plot([x + 0.05, depth[c] - 0.05], [y[node], y[c]], color="0.6", lw=0.8)
        text = textwrap.fill(tree.label(node, lang), 18 if lang != "zh" else 9)
        if node != tree.root:
            text += f"\n{lw[node]:.3f}"
        if node in gw:
            text = (
                f"{tree.label(node, lang)}  {figure_text('local', lang)} {lw[node]:.3f} · "
                f"{figure_text('global', lang)} {gw[node]:.3f}"
            )
        ax.text(
            x,
            y[node],
            text,
            ha="left" if node in gw else "center",
            va="center",
            fontsize="small",
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.5"},
        )
    ax.set_xlim(-0.5, max_depth + 1.7)
    ax.set_ylim(-1, len(leaves))
    ax.axis("off")
    return ax
