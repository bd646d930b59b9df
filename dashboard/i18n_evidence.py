"""UI strings of the rank evidence (tiers, order probabilities, points lost, evidence mix, change parts): zh, en."""

from __future__ import annotations

EVIDENCE_STRINGS: dict[str, tuple[str, str]] = {
    "tier_city": ("档次", "Tier"),
    "n_unclear_city": ("无明显差别", "Not clearly different"),
    "tier_tip": (
        "全市档次：相邻档次之间，上一档每个街道排在下一档每个街道之前的概率都 ≥ {high:.0%}",
        "City tier: every street of a tier ranks above every street of the next tier with probability ≥ {high:.0%}",
    ),
    "unclear_tip": (
        "先后顺序不明确（P(排在前) 介于 {low:.0%} 与 {high:.0%} 之间）的街道(镇)数",
        "Streets whose order against this one is not clear (P(above) between {low:.0%} and {high:.0%})",
    ),
    "points_lost_missing": ("因未报送失分", "Points lost to unreported items"),
    "share_status": ("按状态折算", "Status only"),
    "status_share_reported": ("已报送中按状态折算", "Status only, of reported weight"),
    "evidence_mix": ("依据构成", "Evidence mix"),
    "evidence_class": ("依据类型", "Evidence"),
    "evidence_status": ("以状态折算为主", "mostly status only"),
    "evidence_measured": ("以数值为主", "mostly measured"),
    "change_year_ago": ("同比变化", "Change on a year ago"),
    "change_prev_quarter_seasonal": ("环比（含季节因素）", "Change on last quarter (seasonal)"),
    "change_common": ("其中共同事项口径", "on the items common to both lists"),
    "tier_summary": (
        "全市 {n} 个街道(镇)分为 {tiers} 个档次：相邻档次之间的先后顺序在 ≥ {high:.0%} 的模拟情景中成立；"
        "同一档次内的名次差别证据不足，签发时请以档次为准。",
        "The city's {n} streets fall into {tiers} tiers: the order between adjacent tiers holds in ≥ {high:.0%} of "
        "scenarios; within a tier the evidence does not support the strict order — sign by tier.",
    ),
    "tier_of": ("第 {tier} 档（共 {n} 档）", "tier {tier} of {n}"),
    "grade_odds": ("等级可能性", "Grade probability"),
    "unclear_title": ("与本街道先后顺序不明确的街道(镇)", "Streets whose order against this one is not clear"),
    "unclear_none": (
        "没有：本街道与其他每个街道(镇)的先后顺序都很明确。",
        "None: this street's order against every other street is clear.",
    ),
    "unclear_item": (
        "{street} · 第 {rank} 名 · 排在本街道之前的概率 {p:.0%}",
        "{street} · No. {rank} · P(above) {p:.0%}",
    ),
    "unclear_note": (
        "“无明显差别”：在 {n} 次模拟中（未报送按官方规则计 0），对方排在本街道之前的概率介于 {low:.0%} 与 {high:.0%}"
        " 之间。排名区间相互重叠并不等于无明显差别：各街道在同一情景中一起重排。",
        "'Not clearly different': over {n} scenarios (unreported items at 0, the official rule), the other street "
        "ranks above this one with a probability between {low:.0%} and {high:.0%}. Overlapping rank bands do not "
        "make two streets not clearly different: all streets are re-ranked in the same scenarios.",
    ),
    "why_title": ("名次为什么变化？得分变化分解", "Why did my rank change? The score change in parts"),
    "why_year": ("与上年同季比（{before} → {after}）", "Against the same quarter last year ({before} → {after})"),
    "why_quarter": (
        "与上季度比（{before} → {after}，含季节因素）",
        "Against the previous quarter ({before} → {after}, seasonal)",
    ),
    "why_total": ("合计（= 得分变化）", "Total (= the change in score)"),
    "why_none": ("没有可比较的得分。", "No earlier score to compare with."),
    "why_part": ("组成部分", "Part"),
    "why_points": ("分值", "Points"),
    "why_items": ("涉及事项", "Items"),
    "why_note": (
        "各部分依次计算（清单增减 → 权重 → 新增未报送 → 新报送 → 状态 → 完成率），相加正好等于得分变化。",
        "Parts are taken in turn (list → weights → newly unreported → newly reported → status → completion) and add "
        "up exactly to the change in score.",
    ),
    "evidence_title": ("得分依据", "What backs the score"),
    "points_lost_text": ("因未报送失分 {x} 分", "{x} points lost to unreported items"),
    "rank_tier": ("名次 / 档次", "Rank / tier"),
}
