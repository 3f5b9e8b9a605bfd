"""/ui/reports/roi — the ROI dashboard a lead reads in a minute.

A server-rendered shell (filters, headings, texts) whose script asks the public
GET /v1/reports/roi for the numbers and draws the charts as inline SVG, so the page shows
exactly what the API and `value-assist report roi` say, and the CSV link downloads the
same report.
"""

from flask import Blueprint, request

from assist_api.routes.pages import page, render_page
from assist_api.ui_text import register_texts
from features.vocabulary import ACTIVITIES, CHANNELS, CONTACT_REASONS, SWITCHING_EFFORTS

blp = Blueprint("roi_page", __name__, url_prefix="/ui")

# Query parameters the page passes on to /v1/reports/roi (everything else is dropped).
PASSED_ON = (
    "from",
    "to",
    "switching_effort",
    "channel",
    "contact_reason",
    "activity",
    "language",
    "pool",
)

register_texts(
    "en",
    {
        "roi_title": "ROI dashboard",
        "roi_intro": "Customers offered value enhancement vs the control group that was not "
        "(intention to treat), with 95 % intervals.",
        "roi_from": "From",
        "roi_to": "To",
        "roi_any": "any",
        "roi_switching_effort": "Switching effort",
        "roi_channel": "Channel",
        "roi_contact_reason": "Contact reason",
        "roi_activity": "Activity",
        "roi_language": "Language",
        "roi_pool": "Pool",
        "roi_apply": "Show",
        "roi_csv": "Download CSV",
        "roi_html": "Printable report",
        "roi_loading": "Building the report…",
        "roi_empty": "No contacts in this period and filter.",
        "roi_return": "Financial return",
        "roi_return_help": "Value of extra retained customers (CLV) minus extra handle-time cost",
        "roi_retained": "Extra retained customers",
        "roi_retention_lift": "60-day retention lift",
        "roi_ve_lift": "VE success lift",
        "roi_ci": "95 % CI",
        "roi_contacts": "contacts",
        "roi_offered": "offered",
        "roi_holdout": "holdout",
        "roi_plan": "Plan targets",
        "roi_no_plan": "No ROI plan was in force when this period started.",
        "roi_plan_version": "Plan version",
        "roi_measure": "Measure",
        "roi_target": "Target",
        "roi_estimate": "Estimate",
        "roi_status": "Status",
        "roi_met": "met",
        "roi_not_met": "not met",
        "roi_undecidable": "not yet decidable",
        "roi_sample_too_small": "sample too small",
        "roi_interval_straddles_target": "interval includes the target",
        "roi_interval_clears_target": "whole interval clears the target",
        "roi_interval_misses_target": "whole interval misses the target",
        "roi_no_interval": "no interval yet",
        "roi_m_ve_success": "VE success rate",
        "roi_m_retained_60d": "60-day retention",
        "roi_m_csat": "CSAT (4-5)",
        "roi_m_nps": "NPS",
        "roi_m_ces": "Customer effort",
        "roi_m_resolved": "Resolution rate",
        "roi_m_handle_seconds": "Handle time (s)",
        "roi_m_wallet_change": "Wallet change",
        "roi_m_financial_return": "Financial return",
        "roi_m_incremental_retained": "Extra retained customers",
        "roi_by_effort": "Lift by switching effort",
        "roi_by_activity": "Lift by activity",
        "roi_by_segment": "Lift by time since purchase (days)",
        "roi_activity_note": "Descriptive: contacts where the activity was attempted in each "
        "group (the holdout's attempts are agents' own), not a randomised comparison.",
        "roi_trend": "Lift over time",
        "roi_published": "Retention with / without VE vs the published figures",
        "roi_with_ve": "with VE",
        "roi_without_ve": "without VE",
        "roi_published_short": "published",
        "roi_ve_success": "VE success",
        "roi_retained_60d": "60-day retention",
        "roi_points": "pts",
    },
)
register_texts(
    "ja",
    {
        "roi_title": "ROIダッシュボード",
        "roi_intro": "価値向上を提供した顧客と、提供しなかったコントロール群の比較"
        "(ITT分析、95 %信頼区間付き)。",
        "roi_from": "開始日",
        "roi_to": "終了日",
        "roi_any": "すべて",
        "roi_switching_effort": "乗り換えの手間",
        "roi_channel": "チャネル",
        "roi_contact_reason": "問い合わせ理由",
        "roi_activity": "アクティビティ",
        "roi_language": "言語",
        "roi_pool": "プール",
        "roi_apply": "表示",
        "roi_csv": "CSVをダウンロード",
        "roi_html": "印刷用レポート",
        "roi_loading": "レポートを作成しています…",
        "roi_empty": "この期間と条件に該当する問い合わせはありません。",
        "roi_return": "財務リターン",
        "roi_return_help": "追加で維持できた顧客の価値(CLV)から追加の対応時間コストを引いた額",
        "roi_retained": "追加で維持できた顧客",
        "roi_retention_lift": "60日継続率の向上",
        "roi_ve_lift": "価値向上成功率の向上",
        "roi_ci": "95 %信頼区間",
        "roi_contacts": "件",
        "roi_offered": "提供群",
        "roi_holdout": "コントロール群",
        "roi_plan": "計画の目標",
        "roi_no_plan": "この期間の開始時点で有効なROI計画はありません。",
        "roi_plan_version": "計画バージョン",
        "roi_measure": "指標",
        "roi_target": "目標",
        "roi_estimate": "推定値",
        "roi_status": "判定",
        "roi_met": "達成",
        "roi_not_met": "未達",
        "roi_undecidable": "判定保留",
        "roi_sample_too_small": "サンプル不足",
        "roi_interval_straddles_target": "信頼区間が目標をまたいでいます",
        "roi_interval_clears_target": "信頼区間全体が目標を満たしています",
        "roi_interval_misses_target": "信頼区間全体が目標に届いていません",
        "roi_no_interval": "区間はまだ計算できません",
        "roi_m_ve_success": "価値向上成功率",
        "roi_m_retained_60d": "60日継続率",
        "roi_m_csat": "CSAT(4〜5の割合)",
        "roi_m_nps": "NPS",
        "roi_m_ces": "顧客努力指標(CES)",
        "roi_m_resolved": "解決率",
        "roi_m_handle_seconds": "対応時間(秒)",
        "roi_m_wallet_change": "支出の変化",
        "roi_m_financial_return": "財務リターン",
        "roi_m_incremental_retained": "追加で維持できた顧客",
        "roi_by_effort": "乗り換えの手間別の向上",
        "roi_by_activity": "アクティビティ別の向上",
        "roi_by_segment": "購入からの日数別の向上",
        "roi_activity_note": "記述的な比較です:各群でそのアクティビティが試みられた問い合わせ"
        "(コントロール群はエージェント自身の判断による試み)を比べており、無作為化比較ではありません。",
        "roi_trend": "向上の推移",
        "roi_published": "価値向上の有無による継続率と公表値の比較",
        "roi_with_ve": "価値向上あり",
        "roi_without_ve": "価値向上なし",
        "roi_published_short": "公表値",
        "roi_ve_success": "価値向上成功",
        "roi_retained_60d": "60日継続",
        "roi_points": "pt",
    },
)


@blp.get("/reports/roi")
@page("lead")
def roi_dashboard():
    return render_page(
        "roi.html",
        chosen={name: request.args.get(name, "") for name in PASSED_ON},
        efforts=SWITCHING_EFFORTS,
        channels=CHANNELS,
        contact_reasons=CONTACT_REASONS,
        activities=ACTIVITIES,
    )
