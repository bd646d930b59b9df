"""Component ids, colours, page paths and fixed labels of the dashboard."""

from __future__ import annotations

from loaders.vocab import street_types
from metrics import config as metrics_config

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'

PILOT_DISTRICTS = ("武侯区", "龙泉驿区", "邛崃市", "彭州市")

FUNCTIONS = metrics_config.FUNCTIONS  # the five function keys are metrics' own
STREET_TYPES = street_types()  # the loader's vocabulary (loaders/maps/values.csv); grades are ev.grades (rules)
STREET_SEP = "|"  # the street picker's value: district|street (street names repeat across districts)

# Okabe–Ito: distinguishable for colour-blind readers and in greyscale print.
DISTRICT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FUNCTION_COLOURS = dict(zip(FUNCTIONS, ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00"), strict=True))
MEDIAN_COLOUR = "#555555"

# Query-string keys kept in the URL; SHARED_KEYS travel with the navigation links between pages.
SHARED_KEYS = ("period", "districts", "street_type", "function", "lang")
DEFAULT_LANG = "zh"

# Callback budget the bench and tests hold every callback to.
CALLBACK_BUDGET_MS = 150


class Page:
    """Paths of the pages, in menu order."""

    OVERVIEW = "/"
    COMPARE = "/compare"
    STREET = "/street"
    BURDEN = "/burden"
    DEPARTMENTS = "/departments"
    LISTS = "/lists"
    WHATIF = "/whatif"
    DATA = "/data"
    SUBMISSIONS = "/submissions"


NAV = (
    ("overview", Page.OVERVIEW),
    ("compare", Page.COMPARE),
    ("street", Page.STREET),
    ("burden", Page.BURDEN),
    ("departments", Page.DEPARTMENTS),
    ("lists", Page.LISTS),
    ("whatif", Page.WHATIF),
    ("submissions", Page.SUBMISSIONS),
    ("data", Page.DATA),
)


class Id:
    """Component ids, one place so pages, callbacks and browser tests agree."""

    QUERY = "page-query"  # dcc.Store holding the page's query dict; mirrored into the URL
    URL_SYNC = "url-sync-dummy"
    SAMPLE_BANNER = "sample-banner"
    NAV_PREFIX = "nav-"
    LANG_LINK = "lang-link"
    SHARED_LOCATION = "shared-location"

    PERIOD = "filter-period"
    DISTRICTS = "filter-districts"
    STREET_TYPE = "filter-street-type"
    FUNCTION = "filter-function"
    MODE = "filter-mode"
    STREET = "filter-street"
    DISTRICT = "filter-district"
    YEAR_FROM = "filter-year-from"
    YEAR_TO = "filter-year-to"

    # overview
    HEADLINE = "overview-headline"
    RANKING_FIG = "overview-ranking-fig"
    RANKING_TABLE = "overview-ranking-table"
    MOVERS_FIG = "overview-movers-fig"
    RANKING_DOWNLOAD_BTN = "ranking-download-btn"
    RANKING_DOWNLOAD = "ranking-download"

    # compare
    STRIP_FIG = "compare-strip-fig"
    FUNCTIONS_FIG = "compare-functions-fig"
    GRADES_FIG = "compare-grades-fig"
    SERVICE_FIG = "compare-service-fig"
    BURDEN_FIG = "compare-burden-fig"
    COMPARE_TABLE = "compare-table"
    COMPARE_DOWNLOAD_BTN = "compare-download-btn"
    COMPARE_DOWNLOAD = "compare-download"
    COMPARE_PEERS_SWITCH = "compare-peers-switch"
    COMPARE_PEERS_NOTE = "compare-peers-note"
    COMPARE_VIEW = "compare-view"
    COMPARE_VIEWS = "compare-views"
    COMPARE_VIEW_NOTE = "compare-view-note"
    WHATIF_STATUS = "whatif-status"
    NAVIGATE = "compare-navigate"  # one dcc.Location per page: an output may belong to one callback only
    RANKING_NAVIGATE = "overview-navigate"

    # street
    STREET_HEADER = "street-header"
    STREET_FUNCTIONS_FIG = "street-functions-fig"
    STREET_TREND_FIG = "street-trend-fig"
    ITEM_TABLE = "street-item-table"
    STREET_FLAGS = "street-flags"
    ITEMS_DOWNLOAD_BTN = "items-download-btn"
    ITEMS_DOWNLOAD = "items-download"
    SCORECARD_DOWNLOAD_BTN = "scorecard-download-btn"
    SCORECARD_DOWNLOAD = "scorecard-download"
    STREET_OVERLAP = "street-overlap"
    STREET_SENSITIVITY_FIG = "street-sensitivity-fig"
    STREET_EVIDENCE = "street-evidence-slot"
    STREET_WHY = "street-why-slot"
    PEERS_SWITCH = "street-peers-switch"
    PEERS_VIEW = "street-peers"
    PEERS_TABLE = "street-peers-table"
    PEERS_WRAP = "street-peers-wrap"

    # burden
    BURDEN_DEPT_FIG = "burden-dept-fig"
    BURDEN_STREET_FIG = "burden-street-fig"
    BURDEN_SHARES_FIG = "burden-shares-fig"
    BURDEN_TREND_FIG = "burden-trend-fig"
    BURDEN_TABLE = "burden-table"
    # burden: 事权财权匹配 and the 准入 ledger (issue 15; dashboard/funding_sections.py)
    FUND_MATCH_TITLE = "fund-match-title"
    FUND_MATCH_TABLE = "fund-match-table"
    FUND_MATCH_DEPT_TABLE = "fund-match-dept-table"
    LEDGER_TABLE = "ledger-table"
    NO_ENTRY_NOTE = "no-entry-note"
    NO_ENTRY_TABLE = "no-entry-table"
    # department scorecard (issue 15, 考核权; dashboard/pages/departments.py)
    DEPT_SELECT = "dept-select"
    DEPT_RANK_FIG = "dept-rank-fig"
    DEPT_TABLE = "dept-table"
    DEPT_DOWNLOAD_BTN = "dept-download-btn"
    DEPT_DOWNLOAD = "dept-download"
    DEPT_TITLE = "dept-title"
    DEPT_DIMS_FIG = "dept-dims-fig"
    DEPT_TREND_FIG = "dept-trend-fig"
    DEPT_FACTS = "dept-facts"
    ADVICE_SUMMARY_TABLE = "advice-summary-table"
    ADVICE_TABLE = "advice-table"
    # 大项 drill-down (issue 15; dashboard/major_sections.py)
    STREET_MAJOR_TITLE = "street-major-title"
    STREET_MAJOR_BODY = "street-major-body"
    STREET_MAJOR_TABLE = "street-major-table"
    LISTS_MAJOR_TITLE = "lists-major-title"
    LISTS_MAJOR_BODY = "lists-major-body"
    LISTS_MAJOR_TABLE = "lists-major-table"
    # evaluation list against the duty list (issue 15 point 5; dashboard/coverage_section.py)
    COVERAGE_TITLE = "coverage-title"
    COVERAGE_BODY = "coverage-body"
    COVERAGE_DUTY_TABLE = "coverage-duty-table"
    COVERAGE_AFFAIRS_TABLE = "coverage-affairs-table"
    COVERAGE_PAIRS_TABLE = "coverage-pairs-table"
    # 执法情况 (issue 15 point 3; dashboard/enforcement_sections.py)
    STREET_ENF_TITLE = "street-enf-title"
    STREET_ENF_BODY = "street-enf-body"
    STREET_ENF_TABLE = "street-enf-table"
    COMPARE_ENF_TITLE = "compare-enf-title"
    COMPARE_ENF_BODY = "compare-enf-body"
    COMPARE_ENF_TABLE = "compare-enf-table"
    # 机构设置 (issue 15 point 4; dashboard/office_sections.py)
    STREET_OFF_TITLE = "street-off-title"
    STREET_OFF_BODY = "street-off-body"
    STREET_OFF_FIG = "street-off-fig"
    STREET_OFF_TABLE = "street-off-table"
    STREET_OFF_UNMATCHED_BODY = "street-off-unmatched-body"
    STREET_OFF_UNMATCHED_TABLE = "street-off-unmatched-table"
    COMPARE_OFF_TITLE = "compare-off-title"
    COMPARE_OFF_BODY = "compare-off-body"
    COMPARE_OFF_TABLE = "compare-off-table"

    # lists
    LISTS_SUMMARY = "lists-summary"
    LISTS_FIG = "lists-fig"
    LISTS_TABLE = "lists-table"

    # what-if
    WHATIF_WEIGHT = "whatif-weight"  # pattern id: {"type": WHATIF_WEIGHT, "fn": function}
    WHATIF_SUMMARY = "whatif-summary"
    WHATIF_OFFICIAL = "whatif-official-table"
    WHATIF_TABLE = "whatif-table"

    # data
    UPLOAD = "data-upload"
    CHECK_RESULT = "data-check-result"
    PENDING = "data-pending"
    CONFIRM = "data-confirm"
    INGEST_RESULT = "data-ingest-result"
    HISTORY_TABLE = "data-history-table"
    SUPERSEDED_TABLE = "data-superseded-table"
    DATA_SUMMARY = "data-summary"

    # submissions (tracker) and the template download on the data page
    SUB_PERIOD = "submissions-period"
    SUB_SUMMARY = "submissions-summary"
    SUB_DISTRICTS = "submissions-districts"
    SUB_TABLE = "submissions-table"
    SUB_DOWNLOAD_BTN = "submissions-download-btn"
    SUB_DOWNLOAD = "submissions-download"
    SUB_PROGRESS = "overview-submission-progress"
    TPL_DISTRICT = "template-district"
    TPL_STREET = "template-street"
    TPL_PERIOD = "template-period"
    TPL_BUTTON = "template-button"
    TPL_DOWNLOAD = "template-download"
    TPL_MESSAGE = "template-message"
