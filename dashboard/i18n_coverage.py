"""UI strings of the evaluation-list coverage section of the list page (issue 15, several scored lists): zh, en.
Column captions come from metrics.coverage_labels (the export prints the same)."""

from __future__ import annotations

COVERAGE_STRINGS: dict[str, tuple[str, str]] = {
    "coverage": ("考核清单对照（{what}）", "Evaluation list against the duty list ({what})"),
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
    "coverage_pairs": ("清单对照", "Crosswalk"),
    "coverage_off_list": ("{n} 对编码不在当年清单上。", "{n} pairs name a code that is not on that year's list."),
    "gap_removed_yes": ("是", "Yes"),
}
