"""UI strings of the 机构设置 sections (issue 15 point 4): zh, en. Column captions: metrics.office_labels."""

from __future__ import annotations

from metrics.office_labels import OFFICE_LABELS

OFFICE_STRINGS: dict[str, tuple[str, str]] = {
    **{f"off_{k}": v for k, v in OFFICE_LABELS.items()},
    "source_offices": (
        "数据来源：区(市)县报送的机构设置、清单的责任科室、清单外事项的承办科室",
        "Source: the districts' 机构设置, the lists' 责任科室 and the unlisted tasks' 承办科室",
    ),
    "offices_title": ("机构设置（5+X）", "Offices (5+X)"),
    "offices_of": ("机构设置（{what}）", "Offices ({what})"),
    "offices_none": (
        "该街道所在区(市)县尚未报送机构设置。",
        "The street's district has not sent its 机构设置 (offices).",
    ),
    "offices_not_reported": (
        "区(市)县的机构设置中没有该街道。",
        "The district's 机构设置 does not list this street.",
    ),
    "offices_note": (
        "清单事项按责任科室归到科室（五个基本科室认简称，如 综合办），取 {year} 年清单；清单外事项按承办科室归到科室。",
        "List items are counted to the office their 责任科室 names (the five standard offices also by short forms, "
        "e.g. 综合办), from the {year} lists; unlisted tasks to the office their 承办科室 names.",
    ),
    "offices_staff": ("编制 {posts} 人，在岗 {staff} 人。", "{posts} established posts, {staff} staff in post."),
    "offices_fig": ("各科室工作量", "Workload per office"),
    "offices_fig_unit": (
        "单位：项（清单事项、清单外事项）；来源：机构设置、{year} 年清单、清单外事项",
        "Unit: items (list items, unlisted tasks); source: 机构设置, the {year} lists, unlisted tasks",
    ),
    "offices_fig_empty": ("没有可显示的科室。", "No offices to show."),
    "offices_unmatched_title": ("没有对应科室的清单事项", "List items without an office"),
    "offices_unmatched_count": (
        "{n} 项清单事项的责任科室为空，或写的科室该街道没有：",
        "{n} list items name no office, or an office the street does not have:",
    ),
    "offices_unmatched_none": (
        "每个清单事项都有对应的科室。",
        "Every list item has an office of the street.",
    ),
    "offices_unassigned": (
        "清单外事项 {tasks} 件，其中 {unassigned} 件未写承办科室或写的科室街道没有。",
        "{tasks} unlisted tasks, of which {unassigned} name no office of the street.",
    ),
    "offices_compare_title": ("各区(市)县 5+X 机构设置情况", "5+X compliance per district"),
    "offices_compare_note": (
        "符合 5+X：五个基本科室齐全，X 科室 {low}–{high} 个（规则文件 [offices]）；"
        "便民服务中心、综合执法队等直属单位不计入 X。符合比例按已报机构设置的街道计。",
        "Following 5+X: all five standard offices, {low}–{high} X offices (rules file [offices]); centres and teams "
        "such as 便民服务中心 are not X offices. The share counts the streets in the 机构设置 sent.",
    ),
    "offices_compare_none": (
        "所选区(市)县尚未报送机构设置。",
        "None of the chosen districts has sent its 机构设置.",
    ),
}
