"""Captions of the department scorecard's columns (issue 15, 考核权), Chinese and English: the export and the
dashboard both read them from here."""

from __future__ import annotations

from metrics.departments import ADVICE_SUMMARY_COLUMNS

DEPARTMENT_CAPTIONS: dict[str, tuple[str, str]] = {
    "district": ("区(市)县", "District"),
    "period": ("报告期", "Period"),
    "department": ("部门", "Department"),
    "rank": ("名次", "Rank"),
    "band": ("名次区间", "Rank band"),
    "n_streets": ("评价街道数", "Rating streets"),
    "overall": ("综合评分", "Overall rating"),
    "interval": ("90%区间", "90% interval"),
    "low": ("区间下限", "Interval low"),
    "high": ("区间上限", "Interval high"),
    "guidance": ("指导支持", "Guidance"),
    "responsiveness": ("响应时效", "Responsiveness"),
    "funding": ("经费保障", "Funding"),
    "coordination": ("协同配合", "Coordination"),
    "change_prev": ("较上期", "Change"),
    "unlisted_tasks": ("清单外交办事项", "Tasks outside the lists"),
    "share_not_approved": ("未经准入比例", "Share not approved"),
    "share_without_funds": ("无经费比例", "Share without funds"),
    "returned": ("街道退回", "Returned by streets"),
    "delegated": ("下放清单事项", "Delegated list items"),
    "share_delegated_with_funds": ("下放事项经费匹配率", "Delegated items with funds"),
    "street": ("街道(镇)", "Street"),
    "decision": ("重大规划/决策", "Major plan or decision"),
    "consulted_date": ("征求意见日期", "Consulted on"),
    "opinion": ("街道意见", "The street's opinion"),
    "adopted": ("是否采纳", "Adopted"),
    "records": ("征求意见次数", "Consultations"),
    "n_adopted": ("采纳", "Adopted"),
    "n_partly_adopted": ("部分采纳", "Partly adopted"),
    "n_not_adopted": ("未采纳", "Not adopted"),
    "n_unanswered": ("未答复", "No answer yet"),
    "share_adopted": ("采纳率", "Share adopted"),
}
# How each column is printed: int, num (one decimal), pct, text.
KINDS: dict[str, str] = {
    **dict.fromkeys(("district", "period", "department", "band", "interval", "street", "decision"), "text"),
    **dict.fromkeys(("opinion", "adopted", "consulted_date"), "text"),
    **dict.fromkeys(("overall", "low", "high", "guidance", "responsiveness", "funding", "coordination"), "num"),
    "change_prev": "num",
    **dict.fromkeys(
        ("share_not_approved", "share_without_funds", "share_delegated_with_funds", "share_adopted"), "pct"
    ),
}
# The columns the screen and the export show, in order (one list for both).
SHOWN_RANKING: tuple[str, ...] = (
    "rank",
    "band",
    "department",
    "n_streets",
    "overall",
    "interval",
    "guidance",
    "responsiveness",
    "funding",
    "coordination",
    "change_prev",
    "unlisted_tasks",
    "share_not_approved",
    "share_without_funds",
    "returned",
    "delegated",
    "share_delegated_with_funds",
)
SHOWN_ADVICE: tuple[str, ...] = ("street", "decision", "consulted_date", "opinion", "adopted")
SHOWN_ADVICE_SUMMARY: tuple[str, ...] = tuple(ADVICE_SUMMARY_COLUMNS)  # every column of the summary
TOO_FEW = ("评价街道不足 {n} 个", "fewer than {n} rating streets")


def caption(key: str, lang: str) -> str:
    """The column caption of key in lang (zh or en)."""
    zh, en = DEPARTMENT_CAPTIONS[key]
    return en if lang == "en" else zh
