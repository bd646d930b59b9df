"""Captions of the 事权财权匹配 and 准入 ledger columns (issue 15), Chinese and English: the exports and the
dashboard both read them from here."""

from __future__ import annotations

FUNDING_COLUMNS: dict[str, tuple[str, str]] = {
    "district": ("区(市)县", "District"),
    "department": ("部门", "Department"),
    "delegated": ("下放事项", "Delegated items"),
    "delegated_with_funds": ("经费同步下放", "With funds"),
    "delegated_without_funds": ("未下放经费", "Without funds"),
    "delegated_funds_unknown": ("未填经费", "Funds not stated"),
    "share_delegated_with_funds": ("经费匹配率", "Share with funds"),
    "list_funds_wan": ("清单事项下放经费(万元)", "Funds with list items (10k yuan)"),
    "tasks": ("清单外事项", "Unlisted tasks"),
    "tasks_with_funds": ("带经费事项", "Tasks with funds"),
    "task_funds_wan": ("清单外事项下放经费(万元)", "Funds with tasks (10k yuan)"),
    "task_workdays": ("耗用工作日", "Workdays"),
    "unfunded_workdays": ("无经费工作日", "Workdays without funds"),
    "funds_sent_wan": ("下放经费合计(万元)", "Funds sent (10k yuan)"),
    "yuan_per_workday": ("每工作日经费(元)", "Yuan per workday"),
    "not_approved": ("未经准入", "Not approved"),
    "share_not_approved": ("未经准入比例", "Share not approved"),
    "returned": ("街道退回", "Returned by streets"),
    "share_returned": ("退回比例", "Share returned"),
    "with_ref": ("有准入文号", "With approval number"),
    "funds_wan": ("下放经费(万元)", "Funds sent (10k yuan)"),
    "streets": ("涉及街道", "Streets"),
    "quarters": ("连续季度数", "Quarters running"),
    "since": ("起始季度", "Since"),
    "not_approved_in_run": ("期间未经准入事项", "Unapproved tasks in the run"),
}
# How each column is printed: int, num (one decimal), pct, text.
KINDS: dict[str, str] = {
    "district": "text",
    "department": "text",
    "since": "text",
    "share_delegated_with_funds": "pct",
    "share_not_approved": "pct",
    "share_returned": "pct",
    "list_funds_wan": "num",
    "task_funds_wan": "num",
    "funds_sent_wan": "num",
    "funds_wan": "num",
    "task_workdays": "num",
    "unfunded_workdays": "num",
    "yuan_per_workday": "int",
}


def caption(key: str, lang: str) -> str:
    """The column caption of key in lang (zh or en)."""
    zh, en = FUNDING_COLUMNS[key]
    return en if lang == "en" else zh


# The columns the screen and the exports show, in order (one list for both).
SHOWN_MATCH: tuple[str, ...] = (
    "delegated",
    "delegated_with_funds",
    "delegated_without_funds",
    "delegated_funds_unknown",
    "share_delegated_with_funds",
    "list_funds_wan",
    "tasks",
    "task_funds_wan",
    "task_workdays",
    "unfunded_workdays",
    "funds_sent_wan",
    "yuan_per_workday",
)
SHOWN_LEDGER: tuple[str, ...] = (
    "district",
    "department",
    "tasks",
    "not_approved",
    "share_not_approved",
    "with_ref",
    "returned",
    "share_returned",
    "funds_wan",
    "streets",
)
