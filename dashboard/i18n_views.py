"""UI strings of the comparison's views (official / common core / standardised) and its citizen panel."""

from __future__ import annotations

# key: (中文, English)
VIEW_STRINGS: dict[str, tuple[str, str]] = {
    "view": ("得分口径", "Score view"),
    "view_official": ("官方得分", "Official"),
    "view_core": ("共同核心事项", "Common core"),
    "view_standardised": ("区内标准化（百分位）", "Within-district percentile"),
    "view_note_core": (
        "按各区清单中相同的事项（共同核心）重新计分，只显示总分；共同核心见 data/common_core.csv。",
        "Scored again on the items every district's list shares (the common core); overall only. "
        "The core is data/common_core.csv.",
    ),
    "view_note_standardised": (
        "每个街道在本区内的百分位（100 = 本区最好），消除区与区之间清单和打分松紧的差别；只显示总分。",
        "Each street's percentile within its own district (100 = best in the district), taking out differences "
        "between districts' lists and marking; overall only.",
    ),
    "views_title": ("三种口径下的全市排名", "City rank under the three views"),
    "views_rank_official": ("官方排名", "Official rank"),
    "views_rank_core": ("共同核心排名", "Common-core rank"),
    "views_shift_core": ("变动", "Shift"),
    "views_rank_z": ("标准化排名", "Standardised rank"),
    "views_shift_z": ("变动 ", "Shift "),
    "views_score_core": ("共同核心得分", "Common-core score"),
    "views_shift_note": (
        "变动 = 官方排名 − 该口径排名，正数表示换成该口径后名次上升。",
        "Shift = official rank − rank in that view; positive means the street moves up in that view.",
    ),
    "views_coverage": (
        "共同核心占各区清单权重：{shares}",
        "Common core's share of each district's list weight: {shares}",
    ),
    "citizen_title": ("得分与群众感受是否一致？", "Does the score track what citizens feel?"),
    "citizen_line": (
        "本期全市 {n} 个街道：总分与群众满意度的相关系数 r = {sat}，与网上办理率 r = {online}；"
        "五项职能得分的内部一致性 Cronbach's α = {alpha}。",
        "This period, {n} streets citywide: overall vs citizen satisfaction r = {sat}, vs online handling rate "
        "r = {online}; internal consistency of the five function scores, Cronbach's α = {alpha}.",
    ),
    "citizen_read": (
        "怎么读：r 接近 0 说明履职得分与群众感受关系不大（得分量的是清单执行，不等于群众满意）；"
        "α 高于 0.7 说明五项职能大体同向，低则说明各项差异大、总分掩盖了结构。",
        "How to read it: r near 0 means the duty score says little about how citizens feel (it measures list "
        "execution, not satisfaction); α above 0.7 means the five functions move together, a low α that the "
        "overall hides very different parts.",
    ),
    "st_title": ("“{s}”折算高低对排名的影响", "How the value of {s} moves the ranks"),
    "st_class": ("依据构成", "Evidence"),
    "st_streets": ("街道数", "Streets"),
    "st_rank_at": ("“{s}”计 {v} 时的全市排名中位数", "Median city rank with {s} at {v}"),
    "st_note": (
        "按状态折算为主的街道（过半已报权重只有完成状态）对“{s}”的折算值最敏感：它越低，这些街道越靠后。"
        "官方值见规则文件 [status]，范围见 [uncertainty] status_low / status_high。",
        "Streets whose reported weight rests mostly on a status word react most to the value of {s}: the lower "
        "it is, the further they fall. The official value is in the rules file's [status], the range in "
        "[uncertainty] status_low / status_high.",
    ),
}
