"""The reports' words in English and Japanese: printable pages, PDF, charts and web pages.

Kept as data (no registration at import), looked up by `report_texts(language)`; a missing
key shows its own name, so an untranslated label is visible rather than an error.
"""

EN = {
    "roi_title": "Value enhancement: return on investment",
    "segments_title": "Segments open to value enhancement",
    "automation_title": "What to automate",
    "period": "Period",
    "filters": "Filters",
    "none": "none",
    "generated": "Generated",
    "exploratory": "Exploratory view: these filters or dates differ from the declared plan's "
    "population and period, so nothing here is the plan's verdict.",
    "declared_view": "This is the plan's declared population and period.",
    "return": "Financial return",
    "retained": "Extra retained customers",
    "retained_value": "Value of extra retained customers (CLV)",
    "handle_cost": "Extra handle-time cost",
    "retention_lift": "60-day retention lift (per customer)",
    "ve_lift": "VE success lift (per contact, customer-clustered)",
    "ci": "95 % CI",
    "cost_basis": "Cost basis",
    "cost_basis_text": "{cost} per agent minute ({source}); {customers} offered customers, "
    "{contacts} offered contacts; currency {currency}.",
    "source_plan": "from plan version {version}",
    "source_setting": "from the cost_per_agent_minute setting",
    "customers": "customers",
    "contacts": "contacts",
    "offered": "offered",
    "holdout": "holdout",
    "counts_text": "{customers} customers ({offered_customers} offered, {holdout_customers} in "
    "the control group, {share} of customers), {contacts} contacts; cards shown on "
    "{shown} of the {decisions} contacts the service scored, used on {used} contacts.",
    "health": "Experiment health",
    "health_sound": "No check failed.",
    "health_flags": "Checks that failed",
    "small_control_group": "Fewer than 300 customers in the control group: the money and "
    "clustered intervals were measured at about 90 % coverage at this size, not 95 %.",
    "srm": "Sample ratio",
    "srm_text": "control group {observed} of customers, configured {expected} "
    "(chi-square p = {p}).",
    "recording": "Outcome recording per arm",
    "no_outcome": "Contacts with no outcome recorded yet",
    "bounds": "bounds on the lift",
    "flag": "flag",
    "ok": "ok",
    "measure": "Measure",
    "unit": "Unit",
    "lift": "Lift",
    "n": "n offered / holdout",
    "effects": "Offered vs control group, every measure",
    "intervals_chart": "Lift with 95 % intervals",
    "lift_axis": "lift (shares in points; means in their unit); dashed line: no effect",
    "cumulative_chart": "Cumulative lift",
    "plan": "The plan, judged as declared",
    "no_plan": "No plan was declared before this period started.",
    "primary": "Primary measure",
    "minimum_effect": "minimum effect worth detecting",
    "population": "Population",
    "customers_needed": "Customers needed (80 % power)",
    "secondary": "Secondary targets (Holm-corrected)",
    "target": "Target",
    "status": "Status",
    "estimate": "Estimate",
    "methods": "Methods",
    "rank": "Rank",
    "segment": "Segment",
    "shrunk_lift": "Shrunk lift",
    "q_value": "BH q-value",
    "min_sample": "Minimum sample: {n} survey answers in each group",
    "ranking_chart": "Segments by shrunk VE success lift",
    "situation": "Situation",
    "success_rate": "Success rate",
    "automation_chart": "Success rate of attempted VE, candidates",
    "volume": "Volume",
    "agents": "Agents",
    "csv": "Download CSV",
    "pdf": "Download PDF",
    "printable": "Printable report",
    "show": "Show",
    "from": "From",
    "to": "To",
    "any": "any",
    "status_met": "met",
    "status_not_met": "not met",
    "status_undecidable": "not yet decidable",
    "status_effect_detected": "effect detected",
    "status_harm_detected": "harm detected",
    "status_not_distinguishable_from_zero": "not distinguishable from zero",
    "status_period_not_ended": "verdict withheld until the period ends",
    "status_candidate": "candidate",
    "status_already_self_service": "already self-service",
    "status_too_few_answers": "too few answers",
    "status_not_often_enough": "not often enough",
    "status_not_consistent": "not consistent",
    "status_too_few_agents": "too few agents",
    "status_not_significant": "not distinguishable after correction",
    "ranking_method": "Lifts per contact with customer-clustered intervals; ranked by the "
    "shrunk lift (empirical Bayes towards the average lift); q-values by Benjamini-Hochberg "
    "over the ranked segments (false discovery rate 5 %).",
    "automation_method": "Success rate with its Wilson interval; a candidate also needs a "
    "Benjamini-Hochberg q-value below 5 % for a success rate above 50 %.",
}

JA = {
    "roi_title": "価値向上の投資対効果(ROI)",
    "segments_title": "価値向上に前向きなセグメント",
    "automation_title": "自動化の候補",
    "period": "期間",
    "filters": "条件",
    "none": "なし",
    "generated": "作成日時",
    "exploratory": "探索的な表示です:条件または期間が計画で宣言した対象・期間と異なるため、"
    "ここに計画の判定はありません。",
    "declared_view": "計画で宣言した対象と期間の表示です。",
    "return": "財務リターン",
    "retained": "追加で維持できた顧客",
    "retained_value": "追加で維持できた顧客の価値(CLV)",
    "handle_cost": "追加の対応時間コスト",
    "retention_lift": "60日継続率の向上(顧客単位)",
    "ve_lift": "価値向上成功率の向上(問い合わせ単位、顧客クラスター)",
    "ci": "95 %信頼区間",
    "cost_basis": "コストの前提",
    "cost_basis_text": "エージェント1分あたり {cost}({source})。提供群の顧客 {customers} 人、"
    "提供群の問い合わせ {contacts} 件。通貨 {currency}。",
    "source_plan": "計画バージョン {version} による",
    "source_setting": "設定 cost_per_agent_minute による",
    "customers": "顧客",
    "contacts": "問い合わせ",
    "offered": "提供群",
    "holdout": "コントロール群",
    "counts_text": "顧客 {customers} 人(提供群 {offered_customers} 人、コントロール群 "
    "{holdout_customers} 人、顧客の {share})、問い合わせ {contacts} 件。サービスが採点した "
    "{decisions} 件のうち {shown} 件でカードを表示し、{used} 件で使用。",
    "health": "実験の健全性",
    "health_sound": "問題は見つかりませんでした。",
    "health_flags": "問題が見つかったチェック",
    "small_control_group": "コントロール群の顧客が300人未満です。この規模では金額と"
    "クラスター区間の被覆率が95 %ではなく約90 %と測定されています。",
    "srm": "サンプル比率",
    "srm_text": "コントロール群は顧客の {observed}、設定値 {expected}(カイ二乗 p = {p})。",
    "recording": "群ごとの成果の記録率",
    "no_outcome": "成果がまだ記録されていない問い合わせ",
    "bounds": "向上の範囲(上下限)",
    "flag": "要確認",
    "ok": "問題なし",
    "measure": "指標",
    "unit": "単位",
    "lift": "向上",
    "n": "件数(提供群 / コントロール群)",
    "effects": "提供群とコントロール群の比較(全指標)",
    "intervals_chart": "向上と95 %信頼区間",
    "lift_axis": "向上(割合はポイント、平均はその単位)。破線:効果なし",
    "cumulative_chart": "累積の向上",
    "plan": "宣言どおりに判定した計画",
    "no_plan": "この期間の開始前に宣言された計画はありません。",
    "primary": "主要指標",
    "minimum_effect": "検出したい最小の効果",
    "population": "対象",
    "customers_needed": "必要な顧客数(検出力80 %)",
    "secondary": "副次目標(Holm法で補正)",
    "target": "目標",
    "status": "判定",
    "estimate": "推定値",
    "methods": "手法",
    "rank": "順位",
    "segment": "セグメント",
    "shrunk_lift": "縮小推定した向上",
    "q_value": "BH法のq値",
    "min_sample": "最小サンプル:各群で調査回答 {n} 件",
    "ranking_chart": "縮小推定した価値向上成功率の向上によるセグメント",
    "situation": "状況",
    "success_rate": "成功率",
    "automation_chart": "価値向上を試みたときの成功率(候補)",
    "volume": "件数",
    "agents": "エージェント数",
    "csv": "CSVをダウンロード",
    "pdf": "PDFをダウンロード",
    "printable": "印刷用レポート",
    "show": "表示",
    "from": "開始日",
    "to": "終了日",
    "any": "すべて",
    "status_met": "達成",
    "status_not_met": "未達",
    "status_undecidable": "判定保留",
    "status_effect_detected": "効果あり",
    "status_harm_detected": "悪影響あり",
    "status_not_distinguishable_from_zero": "ゼロと区別できません",
    "status_period_not_ended": "期間終了まで判定を保留",
    "status_candidate": "候補",
    "status_already_self_service": "すでにセルフサービス",
    "status_too_few_answers": "回答が少なすぎます",
    "status_not_often_enough": "成功率が不十分",
    "status_not_consistent": "安定していません",
    "status_too_few_agents": "エージェントが少なすぎます",
    "status_not_significant": "補正後は区別できません",
    "ranking_method": "向上は問い合わせ単位(顧客クラスターの区間)。平均へ縮小推定した向上で"
    "順位付けし、q値は順位付けしたセグメント全体のBenjamini-Hochberg法(偽発見率5 %)。",
    "automation_method": "成功率とWilson区間。候補には、成功率50 %超についてのBenjamini-"
    "Hochberg法のq値が5 %未満であることも必要です。",
}

MEASURES = {
    "en": {
        "ve_success": "VE success rate",
        "retained_60d": "60-day retention",
        "csat": "CSAT (share of 4-5)",
        "nps": "NPS",
        "ces": "Customer effort (CES)",
        "resolved": "Resolution rate",
        "handle_seconds": "Handle time (s)",
        "wallet_change": "Wallet change",
        "financial_return": "Financial return",
        "incremental_retained": "Extra retained customers",
    },
    "ja": {
        "ve_success": "価値向上成功率",
        "retained_60d": "60日継続率",
        "csat": "CSAT(4〜5の割合)",
        "nps": "NPS",
        "ces": "顧客努力指標(CES)",
        "resolved": "解決率",
        "handle_seconds": "対応時間(秒)",
        "wallet_change": "支出の変化",
        "financial_return": "財務リターン",
        "incremental_retained": "追加で維持できた顧客",
    },
}
UNITS = {
    "en": {"customer": "customer", "contact": "contact"},
    "ja": {"customer": "顧客", "contact": "問い合わせ"},
}
LANGUAGES = ("en", "ja")
# The methods section in Japanese, by the report's `methods` keys (English: the report's own).
METHODS_JA = {
    "unit": "単位:顧客。提供群・コントロール群の顧客は期間内で1回だけ数え、期間内の最初の"
    "問い合わせを接触時点とします。",
    "customer_measures": "継続率と支出の変化は顧客ごとに1回(最新の記録値)。割合の差は"
    "Newcombe法、平均の差はWelchのt区間。",
    "contact_measures": "VES、CSAT、NPS、CES、解決率、対応時間は問い合わせ単位で、顧客を"
    "クラスターとした分散で区間を計算します。",
    "rate": "割合:Wilsonのスコア区間。",
    "share_difference": "割合の差:Newcombeのハイブリッド・スコア区間(連続修正なし)。",
    "mean_difference": "平均の差:Welchのt区間。",
    "clustered": "クラスター・ジャックナイフ(顧客を1人ずつ除く)分散とt区間。",
    "financial_return": "財務リターン:顧客ジャックナイフ分散による正規近似区間。",
    "confidence": "信頼水準",
    "financial": "顧客単位(各顧客1回):維持価値 = CLV加重の顧客継続率の差 × 提供群顧客の"
    "CLV合計、対応コスト = 顧客あたり対応分数の差 × 提供群顧客数 × 1分あたりコスト。",
    "health": "サンプル比率は顧客数のカイ二乗適合度検定(p < 0.001で要確認)。記録率は群ごとの"
    "プールしたz検定(p < 0.001で要確認)、要確認の場合はLee(2009)のトリミング上下限。",
}


class Texts(dict):
    """dict with attribute access; a missing key shows its name instead of failing."""

    def __getattr__(self, name):
        return self.get(name, name)


def report_texts(language: str) -> Texts:
    """The words for `language` (English for anything but Japanese)."""
    return Texts(JA if language == "ja" else EN)


def measure_label(name: str, language: str) -> str:
    return MEASURES["ja" if language == "ja" else "en"].get(name, name)


def method_text(name: str, english: str, language: str) -> str:
    """A method's description in `language` (the report's English when not translated)."""
    return METHODS_JA.get(name, english) if language == "ja" else english


def unit_label(unit: str, language: str) -> str:
    return UNITS["ja" if language == "ja" else "en"].get(unit, unit)
