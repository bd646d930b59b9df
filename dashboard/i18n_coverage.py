"""UI strings of the evaluation-list coverage section of the list page (issue 15, several scored lists): zh, en."""

from __future__ import annotations

COVERAGE_STRINGS: dict[str, tuple[str, str]] = {
    "coverage": ("考核清单对照（{what}）", "Evaluation list against the duty list ({what})"),
    "coverage_title": ("考核清单对照", "Evaluation list against the duty list"),
    "coverage_note": (
        "{district} 以事务清单（{items} 项）为考核清单，计分方法同职责任务清单；对照关系来自清单工作簿的“清单对照”表。"
        "未纳入考核：没有任何事务对应的职责；无职责依据：不对应任何职责的事务。",
        "{district} evaluates its streets on its affairs list ({items} items), scored by the same formula as the duty "
        "list; the pairs come from the list workbook's 清单对照 sheet. Not evaluated: duties no affair covers; "
        "without a duty: affairs that cover no duty.",
    ),
    "coverage_none": (
        "{district} 未声明事务清单：以职责任务清单考核，没有对照可看。",
        "{district} declared no affairs list: its streets are scored on the duty list, there is nothing to compare.",
    ),
    "coverage_duty_items": ("职责事项", "Duties"),
    "coverage_evaluated": ("已纳入考核", "Evaluated"),
    "coverage_not_evaluated": ("未纳入考核的职责", "Duties never evaluated"),
    "coverage_affairs_items": ("事务清单事项", "Affairs"),
    "coverage_without_duty": ("无职责依据的事务", "Affairs with no duty"),
    "coverage_share": ("职责考核覆盖率", "Duties evaluated"),
    "coverage_pairs": ("清单对照", "Crosswalk"),
    "coverage_off_list": ("{n} 对编码不在当年清单上。", "{n} pairs name a code that is not on that year's list."),
    "affairs_code": ("事务编码", "Affair code"),
    "affairs_name": ("事务名称", "Affair"),
    "duty_code": ("清单编码", "Duty code"),
    "duty_name": ("职责事项", "Duty"),
    "gap_removed": ("招商/协税类，本不计分", "Economic: never scored anyway"),
    "gap_removed_yes": ("是", "Yes"),
}
