"""The web questionnaire's words in English and Chinese.

A table local to ``serve``, like ``ckm judge``'s (``cli/panel.py``): these are the labels of
buttons and pages, not sentences of the client's report (``report/narrative`` writes those). The
judgements themselves are said by :func:`mcda_ckm.model.scale.phrase` and a suggested change by
:func:`mcda_ckm.model.scale.revision`, the one phrasing every front end uses, and the criteria's
names come from the tree (``label`` / ``label_zh``). Values are ``str.format`` templates; the
templates escape what is put into them (Jinja2 autoescape), never these strings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TEXT", "text"]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "title": "Questionnaire",
        "for": "Questionnaire for {name}",
        "intro": "Compare the criteria two at a time. Your answers are saved after each one: "
        "you can close this page and come back later with the same link.",
        "progress": "{done} of {total}",
        "progress_label": "Pairs answered or skipped",
        "node": "Part {k} of {n}: {label}",
        "definitions": "What the criteria of this part mean",
        "side_a": "{a} matters more",
        "side_b": "{b} matters more",
        "now": "Your answer so far: {what}",
        "revising": "You are changing this answer after the consistency check.",
        "save": "Save and continue",
        "keep_answer": "Keep this answer",
        "skip": "Skip this pair",
        "back": "Back",
        "skip_help": "Skip a pair only if you cannot judge it: it is then estimated from your "
        "other answers.",
        "check_title": "Your weights for {label}",
        "criterion": "Criterion",
        "weight": "Weight",
        "index_line": "{index} = {value} (threshold {threshold})",
        "consistent": "Your answers are consistent enough.",
        "over": "Your answers are less consistent than the threshold allows.",
        "outlier": "The answer most out of line with your others:",
        "outlier_help": "You can take the value your other answers imply, change the answer "
        "yourself, or keep your answers as they are.",
        "no_fix": "No single change on the scale makes the answers more consistent; look at "
        "the pairs below.",
        "take": "Take the suggested value",
        "change": "Change it myself",
        "keep": "Keep my answers",
        "continue": "Continue",
        "your_answers": "Your answers for this part",
        "change_pair": "Change",
        "done_title": "Thank you",
        "done": "All {total} pairs are done ({answered} answered). Your answers are saved; you "
        "can close this page.",
        "done_weights": "Your weights",
        "recorded": "Recorded: {what}.",
        "skipped": "Skipped: {a} and {b} (estimated from your other answers).",
        "taken": "Changed: {what}.",
        "stale": "This page was out of date (answered in another tab, or the browser's back "
        "button); here is where your questionnaire stands. Nothing was changed.",
        "no_choice": "Choose one of the answers, or skip this pair.",
        "skip_unlinked": "{a} and {b} cannot be skipped: without this answer the criteria of "
        "this part would not all be compared, directly or through others. Please answer it.",
        "no_back": "There is no earlier answer in this visit to go back to.",
        "back_checked": "The previous part is finished; you can change its answers at the end.",
        "review": "Change these answers",
        "not_found": "Not found",
        "not_found_text": "There is nothing at this address. If a consultant sent you a link, "
        "check that it was copied whole, or ask for a new one.",
        "refused": "Refused",
        "refused_text": "This form was not sent from the questionnaire's own page. Open your "
        "link again and answer there.",
        "home": "This server hosts a panel questionnaire. Open the personal link you were sent.",
        "skip_link": "Skip to the question",
        "error": "Error",
        "error_text": "Your answer could not be saved just now; nothing was lost. Please try "
        "again in a moment, or tell the consultant.",
    },
    "zh": {
        "lang_name": "中文",
        "title": "问卷",
        "for": "{name} 的问卷",
        "intro": "请两两比较各项指标。每次回答后都会自动保存：您可以随时关闭本页，"
        "之后用同一链接继续。",
        "progress": "{done} / {total}",
        "progress_label": "已回答或跳过的比较",
        "node": "第 {k} 部分，共 {n} 部分：{label}",
        "definitions": "这一部分各指标的含义",
        "side_a": "{a} 更重要",
        "side_b": "{b} 更重要",
        "now": "您目前的回答：{what}",
        "revising": "您正在一致性检验后修改这个回答。",
        "save": "保存并继续",
        "keep_answer": "保留此回答",
        "skip": "跳过此对",
        "back": "上一步",
        "skip_help": "只有在无法判断时才跳过：跳过的比较将由您的其他回答推算。",
        "check_title": "您对“{label}”的权重",
        "criterion": "指标",
        "weight": "权重",
        "index_line": "{index} = {value}（阈值 {threshold}）",
        "consistent": "您的回答一致性可以接受。",
        "over": "您的回答一致性超过了阈值。",
        "outlier": "与您其他回答最不一致的判断：",
        "outlier_help": "您可以采用其他回答所意味的值，自己修改这个回答，或保留原回答。",
        "no_fix": "没有单个标度上的修改能提高一致性；请查看下列各对比较。",
        "take": "采用建议值",
        "change": "自己修改",
        "keep": "保留原回答",
        "continue": "继续",
        "your_answers": "您在这一部分的回答",
        "change_pair": "修改",
        "done_title": "谢谢",
        "done": "全部 {total} 对比较已完成（回答 {answered} 对）。您的回答已保存，可以关闭本页。",
        "done_weights": "您的权重",
        "recorded": "已记录：{what}。",
        "skipped": "已跳过：{a} 与 {b}（将由您的其他回答推算）。",
        "taken": "已修改：{what}。",
        "stale": "此页面已过期（可能已在另一个标签页中回答，或使用了浏览器的后退按钮）；"
        "下面是问卷的当前进度。没有任何改动。",
        "no_choice": "请选择一个回答，或跳过此对。",
        "skip_unlinked": "{a} 与 {b} 不能跳过：缺少这个回答，这一部分的指标就无法直接或间接地"
        "全部相互比较。请回答。",
        "no_back": "本次访问中没有可以返回的上一个回答。",
        "back_checked": "上一部分已完成；您可以在最后修改其回答。",
        "review": "修改这些回答",
        "not_found": "未找到",
        "not_found_text": "此地址没有内容。如果顾问给您发送了链接，请检查链接是否完整复制，"
        "或索取新链接。",
        "refused": "已拒绝",
        "refused_text": "此表单不是从问卷本身的页面提交的。请重新打开您的链接并在那里回答。",
        "home": "此服务器提供专家问卷。请打开您收到的个人链接。",
        "skip_link": "跳到问题",
        "error": "错误",
        "error_text": "暂时无法保存您的回答，已有内容没有丢失。请稍后再试，或告知顾问。",
    },
}
"""Every word of the web questionnaire, by language."""


def text(lang: str, key: str, **values: Any) -> str:
    """The sentence ``key`` in ``lang`` (English when ``lang`` is not ``zh``).

    >>> text("en", "progress", done=12, total=21), text("zh", "progress", done=12, total=21)
    ('12 of 21', '12 / 21')
    """
    return TEXT["zh" if lang == "zh" else "en"][key].format(**values)
