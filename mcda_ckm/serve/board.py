"""The consultant's board of ``ckm serve``: the page and its JSON, refreshed as answers arrive.

:func:`routes` gives the board's two routes, relative to where the application mounts them
(``/board/<token>``, behind the consultant's link: :mod:`mcda_ckm.serve.app` checks the token
before a request reaches them):

``GET /``            the board (HTML, Jinja2 with autoescape), ``?lang=en|zh``
``GET /board.json``  the same board as JSON (:meth:`mcda_ckm.workflows.board.Board.to_dict`)

The page reloads itself every :data:`REFRESH_SECONDS` seconds with a ``<meta http-equiv=
"refresh">``: no script, so it works under the server's Content-Security-Policy, which allows
none. The board is computed by :func:`mcda_ckm.workflows.board.board` (about 0.2 s on the
bundled case) and kept until a file of the panel, ``case.toml`` or the links change, so several
open tabs cost one computation per change.

The board's words are in :data:`TEXT` (English and Chinese), a table local to ``serve`` like
the questionnaire's (:mod:`mcda_ckm.serve.messages`); Goepel's consensus bands in Chinese come
from the report's table (:data:`mcda_ckm.report.phrases.BANDS`), the criteria's names from the
tree.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mcda_ckm.errors import CkmError
from mcda_ckm.model.case import read_case_file
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.report.narrative import percent
from mcda_ckm.report.phrases import BANDS
from mcda_ckm.serve.links import LINKS_FILE, read_links
from mcda_ckm.workflows.board import Board, board

__all__ = ["REFRESH_SECONDS", "TEXT", "BoardCache", "context", "render", "routes"]

REFRESH_SECONDS = 15
"""How often the page reloads itself: answers arrive a pair every few seconds at most, and a
board that is a quarter of a minute old is fresh enough to decide whom to call."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "title": "Panel board",
        "case": "Case:",
        "updated": "Updated {time} (UTC); this page refreshes every {seconds} s.",
        "done_count": "{done} of {total} experts done",
        "experts": "Experts and their answers",
        "expert": "Expert",
        "state": "State",
        "last": "Last activity",
        "last_at": "last activity {time}",
        "never": "never",
        "done": "done",
        "in progress": "in progress",
        "not started": "not started",
        "unreadable": "file unreadable",
        "answered": "answered",
        "pairs": "{given} of {total} pairs",
        "pairs_skipped": "{given} of {total} pairs given",
        "over": " (over {threshold})",
        "consensus": "Consensus per node",
        "node": "Node",
        "who": "Experts who finished it",
        "who_count": "{n} of {total}",
        "s_star": "Consensus S*",
        "farthest": "Farthest from the group",
        "without": "S* without them",
        "too_few": "needs two experts",
        "remind": "Whom to remind",
        "remind_none": "Nobody: every expert is done.",
        "remind_help": "Experts not done, the longest silent first.",
        "weights": "Current global weights",
        "weights_help": "As ckm run computes them now, from {counted}.",
        "weights_none": "No weights yet: {why}",
        "counted_none": "nobody yet",
        "unfinished_exclude": "Experts in progress are left out ([panel] unfinished = exclude).",
        "unfinished_include": "Experts in progress count with the nodes they finished "
        "([panel] unfinished = include).",
        "indicator": "Indicator",
        "weight": "Weight",
        "key": "Current key sources",
        "key_help": "Key-source probability: share of {samples} weight samples ({source}, seed "
        "{seed}) in which the customer is in the key set.",
        "rank": "Rank",
        "customer": "Customer",
        "closeness": "Closeness",
        "probability": "Key-source probability",
        "json": "The same as JSON",
        "source_panel": "the panel resampled",
        "source_uniform": "uniform",
        "source_around": "around the weights",
        "unavailable": "The board cannot be shown now",
        "unavailable_text": "A file of the case cannot be read: {why} The page tries again in "
        "{seconds} s.",
    },
    "zh": {
        "lang_name": "中文",
        "title": "专家组进度看板",
        "case": "案例：",
        "updated": "更新于 {time}（UTC）；本页每 {seconds} 秒自动刷新。",
        "done_count": "{total} 位专家中已完成 {done} 位",
        "experts": "专家及其回答",
        "expert": "专家",
        "state": "状态",
        "last": "最近活动",
        "last_at": "最近活动 {time}",
        "never": "从未",
        "done": "已完成",
        "in progress": "进行中",
        "not started": "未开始",
        "unreadable": "文件无法读取",
        "answered": "已回答",
        "pairs": "{given} / {total} 对",
        "pairs_skipped": "已给出 {given} / {total} 对",
        "over": "（超过 {threshold}）",
        "consensus": "各节点的共识度",
        "node": "节点",
        "who": "已完成的专家",
        "who_count": "{total} 位中 {n} 位",
        "s_star": "共识度 S*",
        "farthest": "与群体最远的专家",
        "without": "去掉该专家后的 S*",
        "too_few": "至少需要两位专家",
        "remind": "需要提醒的专家",
        "remind_none": "无：所有专家均已完成。",
        "remind_help": "尚未完成的专家，沉默最久者在前。",
        "weights": "当前全局权重",
        "weights_help": "与 ckm run 此刻的计算相同，依据：{counted}。",
        "weights_none": "暂无权重：{why}",
        "counted_none": "尚无专家",
        "unfinished_exclude": "进行中的专家不计入（[panel] unfinished = exclude）。",
        "unfinished_include": "进行中的专家以其已完成的节点计入（[panel] unfinished = include）。",
        "indicator": "指标",
        "weight": "权重",
        "key": "当前关键客户知识源",
        "key_help": "关键源概率：在 {samples} 个权重样本（{source}，随机种子 {seed}）中该客户"
        "进入关键集合的比例。",
        "rank": "排名",
        "customer": "客户",
        "closeness": "贴近度",
        "probability": "关键源概率",
        "json": "同一内容的 JSON",
        "source_panel": "专家组重抽样",
        "source_uniform": "均匀分布",
        "source_around": "围绕当前权重",
        "unavailable": "暂时无法显示看板",
        "unavailable_text": "案例中有文件无法读取：{why} 本页将在 {seconds} 秒后重试。",
    },
}
"""Every word of the board, by language."""

LANGS: tuple[str, ...] = tuple(TEXT)
HERE = Path(__file__).resolve().parent


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every name and label is shown as text
        undefined=jinja2.StrictUndefined,
    )


def _when(t: datetime | None, lang: str) -> str:
    return TEXT[lang]["never"] if t is None else t.strftime("%Y-%m-%d %H:%M")


def _band(band: str, lang: str) -> str:
    return BANDS.get(band, band) if lang == "zh" else band


def context(b: Board, tree: CriteriaTree, lang: str) -> dict[str, Any]:
    """What the template shows: every string made here (labels in ``lang``, numbers
    formatted), so the template only places them."""
    t = TEXT[lang]
    names = {e.id: e.name for e in b.experts}
    experts = []
    for e in b.experts:
        cells = []
        for n in e.nodes:
            if n.state == "answered":
                words = t["answered"]
                if n.given < n.total:
                    words += " · " + t["pairs_skipped"].format(given=n.given, total=n.total)
                if n.value is not None:
                    words += f" · {n.index} {n.value:.3f}"
                    if n.consistent is False:
                        words += t["over"].format(threshold=f"{n.threshold:g}")
            elif n.state == "in progress":
                words = t["in progress"] + " · " + t["pairs"].format(given=n.given, total=n.total)
            else:
                words = t["not started"]
            cells.append(
                {"state": n.state.replace(" ", "-"), "text": words, "over": n.consistent is False}
            )
        experts.append(
            {
                "id": e.id,
                "name": e.name,
                "role": e.role,
                "state": e.state.replace(" ", "-"),
                "state_text": t[e.state],
                "cells": cells,
                "last": _when(e.last_activity, lang),
                "problem": e.problem,
            }
        )
    nodes = []
    for nb in b.nodes:
        c = nb.consensus
        nodes.append(
            {
                "label": tree.label(nb.node, lang),
                "who": t["who_count"].format(n=len(nb.experts), total=len(b.experts)),
                "s_star": t["too_few"] if c is None else f"{c.s_star:.0%} ({_band(c.band, lang)})",
                "farthest": "-" if nb.farthest is None else names.get(nb.farthest, nb.farthest),
                "without": "-"
                if c is None or nb.farthest is None
                else f"{c.s_without_farthest:.0%}",
            }
        )
    by_id = {e.id: e for e in b.experts}
    remind = [
        {
            "name": by_id[x].name,
            "state": t[by_id[x].state],
            "last": t["last_at"].format(time=_when(by_id[x].last_activity, lang)),
        }
        for x in b.remind
    ]
    weights = []
    if b.weights is not None:
        top = float(b.weights.max()) or 1.0
        weights = [
            {
                "label": tree.label(leaf, lang),
                "weight": f"{w:.1%}",
                "bar": round(100 * w / top),
            }
            for leaf, w in zip(b.leaves, b.weights.tolist(), strict=True)
        ]
    counted = ", ".join(names.get(x, x) for x in b.counted) or t["counted_none"]
    key = [
        {
            "rank": k.rank,
            "id": k.id,
            "name": k.name,
            "closeness": f"{k.closeness:.3f}",
            "probability": "-" if k.probability is None else percent(k.probability),
        }
        for k in b.key
    ]
    return {
        "t": t,
        "lang": lang,
        "case": b.case_zh if lang == "zh" and b.case_zh else b.case,
        "updated": t["updated"].format(
            time=b.generated.strftime("%Y-%m-%d %H:%M:%S"), seconds=REFRESH_SECONDS
        ),
        "done_count": t["done_count"].format(done=b.done, total=len(b.experts)),
        "refresh": REFRESH_SECONDS,
        "node_labels": [tree.label(n.node, lang) for n in b.nodes],
        "experts": experts,
        "nodes": nodes,
        "remind": remind,
        "weights": weights,
        "weights_help": t["weights_help"].format(counted=counted),
        "weights_none": ""
        if b.weights is not None
        else t["weights_none"].format(why=b.weights_error),
        "unfinished": t[f"unfinished_{b.unfinished}"],
        "key": key,
        "key_help": t["key_help"].format(
            samples=f"{b.samples:,}", source=t.get(f"source_{b.source}", b.source), seed=b.seed
        ),
    }


_ENV = _environment()


def render(
    b: Board, tree: CriteriaTree, lang: str, *, json_href: str, other: list[dict[str, str]]
) -> str:
    """The board page's HTML."""
    ctx = context(b, tree, lang) | {"json_href": json_href, "other_lang": other, "error": ""}
    return _ENV.get_template("board.html").render(ctx)


class BoardCache:
    """The board of a case, computed again only when a file it reads changes: the panel
    folder's files (with the in-progress ones), ``case.toml`` and the links."""

    def __init__(self, case: Path) -> None:
        self.case = case
        base = read_case_file(case)
        self.files = (base.toml, case / LINKS_FILE)
        self.panel = base.panel
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._board: Board | None = None

    def stamp(self) -> tuple[Any, ...]:
        files = list(self.files)
        if self.panel is not None and self.panel.is_dir():
            files += sorted(self.panel.iterdir())
        out = []
        for f in files:
            try:
                s = os.stat(f)
            except FileNotFoundError:
                continue
            out.append((f.name, s.st_ino, s.st_mtime_ns, s.st_size))
        return tuple(out)

    def get(self) -> Board:
        with self._lock:
            stamp = self.stamp()
            if self._board is None or stamp != self._stamp:
                links = read_links(self.case)
                expected = {x.id: x.name for x in links.experts if x.active}
                self._board, self._stamp = board(self.case, expected=expected), stamp
            return self._board


def routes(case_dir: str | Path, *, lang: str = "en") -> list[Route]:
    """The board's routes, to mount behind the consultant's token.

    Parameters
    ----------
    case_dir : path
        The case folder.
    lang : str
        The page's language when the request does not ask (``?lang=zh``).
    """
    case = Path(case_dir)
    tree = read_case_file(case).tree
    cache = BoardCache(case)
    default = lang if lang in LANGS else "en"

    def page_lang(request: Request) -> str:
        asked = request.query_params.get("lang")
        return asked if asked in LANGS else default

    async def page(request: Request) -> Response:
        lang = page_lang(request)
        try:
            b = await run_in_threadpool(cache.get)
        except CkmError as exc:  # case.toml or the links being edited: say so, try again
            t = TEXT[lang]
            body = _ENV.get_template("board.html").render(
                t=t,
                lang=lang,
                refresh=REFRESH_SECONDS,
                error=t["unavailable_text"].format(why=str(exc), seconds=REFRESH_SECONDS),
            )
            return HTMLResponse(body, status_code=503)
        here = request.url.path
        base = here if here.endswith("/") else here + "/"
        other = [
            {"code": x, "name": TEXT[x]["lang_name"], "href": f"{here}?lang={x}"}
            for x in LANGS
            if x != lang
        ]
        html = render(b, tree, lang, json_href=f"{base}board.json", other=other)
        return HTMLResponse(html)

    async def data(request: Request) -> Response:
        try:
            b = await run_in_threadpool(cache.get)
        except CkmError as exc:
            return JSONResponse({"error": str(exc)}, status_code=503)
        return JSONResponse(b.to_dict())

    return [
        Route("/", page, methods=["GET"]),
        Route("/board.json", data, methods=["GET"]),
    ]
