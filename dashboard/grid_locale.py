"""AG Grid's own texts (empty table, filter menus) in Chinese; English is AG Grid's default."""

from __future__ import annotations

ZH: dict[str, str] = {
    "noRowsToShow": "没有数据",
    "loadingOoo": "加载中…",
    "filterOoo": "筛选…",
    "searchOoo": "搜索…",
    "equals": "等于",
    "notEqual": "不等于",
    "contains": "包含",
    "notContains": "不包含",
    "startsWith": "开头是",
    "endsWith": "结尾是",
    "blank": "空白",
    "notBlank": "非空白",
    "lessThan": "小于",
    "greaterThan": "大于",
    "lessThanOrEqual": "小于等于",
    "greaterThanOrEqual": "大于等于",
    "inRange": "介于",
    "inRangeStart": "从",
    "inRangeEnd": "到",
    "andCondition": "并且",
    "orCondition": "或者",
    "applyFilter": "应用",
    "resetFilter": "重置",
    "clearFilter": "清除",
    "cancelFilter": "取消",
    "selectAll": "全选",
    "blanks": "（空白）",
    "noMatches": "无匹配项",
    "page": "页",
    "of": "共",
    "to": "至",
    "more": "更多",
    "next": "下一页",
    "last": "末页",
    "first": "首页",
    "previous": "上一页",
    "ariaFilterInput": "筛选输入",
    "ariaFilteringOperator": "筛选条件",
    "ariaColumnFilter": "列筛选",
    "ariaSortableColumn": "按 Enter 排序",
    "ariaMenuColumn": "按 Alt+向下 打开列菜单",
    "ariaFilterColumnsInput": "筛选列",
}


def locale_text(lang: str) -> dict[str, str]:
    """The localeText for a grid shown in lang."""
    return ZH if lang == "zh" else {}
