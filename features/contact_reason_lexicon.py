"""The contact-reason lexicons: phrases that point at a reason, with weights.

Hand-written from service-desk experience, one block per reason and language. Each
entry is (reason, weight, negatable, phrases). English phrases are written in "match
text" form (features/text.py): lower case, punctuation as single spaces, a leading space
for a word start and a trailing space for a word end (" bill " is the word, " charg"
also matches charged/charges). Japanese phrases are plain substrings.

`negatable` phrases are ignored when negated ("I'm not looking to cancel", "解約する
つもりはない"); phrases that already describe a failure ("can't log in", "届かない",
"don't renew") are not negatable. A phrase lying inside a longer matched phrase is
ignored ("cancel" inside "cancel my order", "料金" inside "料金プラン").

Weights: STRONG names the reason outright, CLEAR is a typical sign, WEAK only leans.
To fix a wrong guess, add the phrase that should have decided it to the right block.
"""

STRONG = 3.0
CLEAR = 2.0
WEAK = 1.0

EN_LEXICON = (
    ("billing", CLEAR, False, (
        " bill ", " bills ", " billed ", " billing ", " charged ", " charge ", " charges ",
        " overcharg", " double charg", " invoice", " receipt", " payment", " paid ",
        " fee ", " fees ", " credit card ", " debit ", " direct debit ", " statement ",
        " price went up", " price increase", " pro rat", " prorat", " autopay", " auto pay",
        " overdue", " late fee", " balance ", " owe ", " wrong amount", " charge me",
        " payment method", " card details", " billing date",
    )),
    ("billing", STRONG, True, (" refund", " money back ", " reimburs", " chargeback")),
    ("billing", WEAK, False, (
        " discount ", " promo code", " coupon", " vat ", " tax ", " credit ",
    )),
    ("billing", CLEAR, False, (
        " pay ", " paying ", " pays ", " don't recognise", " don't recognize", " recognise ",
        " yearly ", " annually", " monthly ", " lapse", " card expired", " expired card",
    )),
    ("order_status", STRONG, False, (
        " where is my order", " where's my order", " where is my package",
        " where's my package", " where is my parcel", " where is my delivery",
        " tracking ", " tracking number", " track my ", " hasn't arrived", " has not arrived",
        " hasn't been delivered", " not been delivered", " never arrived", " not arrived",
        " still hasn't come", " didn't arrive", " did not arrive", " hasn't shipped",
        " cancel my order", " cancel the order", " cancel an order", " shipping address",
        " delivery address", " delivery date", " order status", " status of my order",
        " when will it ship", " when it ships", " when will it arrive", " when will my order",
        " out for delivery", " missed delivery", " redeliver", " rearrange delivery",
        " lost in the post", " still nothing", " return label",
    )),
    ("order_status", CLEAR, False, (
        " order ", " ordered ", " package ", " parcel ", " delivery ", " delivered ",
        " shipping ", " shipped ", " ships ", " shipment", " courier", " dispatch",
        " out of stock ", " backorder", " wrong item", " missing item", " arrive ",
        " replacement ", " exchange ", " return ", " returns ", " eta ",
        " box ", " arrived ", " sender", " wasn't in it", " missing ", " damaged ",
        " item ", " items ",
    )),
    ("cancellation", STRONG, True, (
        " cancel ", " cancelling ", " canceling ", " cancellation", " close my account",
        " delete my account", " terminate", " termination", " unsubscribe",
        " end my subscription", " end my membership", " end my contract", " end the contract",
        " stop my subscription", " stop my membership", " stop the service",
        " stop my service", " stop auto renew", " turn off auto renew",
        " switch to another provider", " switching to a competitor", " switch providers",
        " moving to another provider", " leave your service", " get out of my contract",
        " opt out", " notice period", " give notice", " closing the business",
    )),
    ("cancellation", STRONG, False, (
        " don't renew", " do not renew", " not to renew", " not renewing",
        " won't be renewing", " stop the renewal", " no longer need", " no longer use",
    )),
    ("cancellation", CLEAR, True, (
        " another vendor", " another provider", " another company", " go with another",
        " pause my", " freeze my", " close the account", " close my", " leaving ",
        " won't need", " don't need", " licences after", " licenses after",
        " don't need the service", " don't need it anymore", " don't need this anymore",
        " don't use it anymore", " not using it anymore", " competitor", " auto renewal",
        " auto renew ", " renewal ", " downgrade", " quit ", " stop using",
    )),
    ("technical_issue", STRONG, False, (
        " error ", " errors ", " error code", " error message", " crash", " bug ", " bugs ",
        " glitch", " can't log in", " cant log in", " cannot log in", " can't login",
        " can't sign in", " cannot sign in", " unable to log", " unable to sign",
        " won't let me log", " not working", " isn't working", " doesn't work",
        " does not work", " stopped working", " won't work", " won't turn on",
        " won't load", " won't start", " won't open", " won't connect", " not loading",
        " not syncing", " not responding", " not charging", " not connecting", " freez",
        " froze ", " keeps dropping", " keeps disconnecting", " keeps logging me out",
        " black screen", " blank screen", " broken ", " outage", " is down ", " site down",
        " can't connect", " can't access", " can't open", " can't upload", " can't download",
        " can't install", " no sound", " no signal", " overheat", " timed out", " timeout",
        " not showing", " shows offline", " never comes through", " not receiving",
    )),
    ("technical_issue", CLEAR, False, (
        " reset my password", " forgot my password", " invalid password", " password reset",
        " disconnect", " wifi ", " wi fi ", " bluetooth ", " sync ", " after the update",
        " latest update", " since the update", " lag", " slow ", " spins ", " spinning ",
        " install", " reboot", " restart", " unusable", " offline ", " stuck ", " glitchy",
        " disappeared", " battery ", " upload", " download",
        " stopped ", " keeps ", " keep getting", " resetting", " white page", " white screen",
        " blank ", " not coming through", " no longer works", " reset itself",
        " resets itself",
    )),
    ("technical_issue", WEAK, False, (
        " fails ", " failed ", " failing ", " won't ", " unable to ",
    )),
    ("technical_issue", WEAK, True, (" problem ", " issue ")),
    ("how_to", STRONG, False, (
        " how do i ", " how can i ", " how should i ", " how would i ", " how do you ",
        " how can we ", " how do we ", " how do u ", " how can u ", " how to ",
        " walk me through", " show me how",
        " step by step", " what's the best way", " what is the best way", " best way to ",
        " where can i find", " where do i find", " where do i change", " where can i change",
        " where is the setting", " where is the option", " is there a way to",
        " is there any way to", " can't figure out", " not sure how", " don't know how",
        " no idea how", " need help with", " need help changing", " need help setting",
    )),
    ("how_to", CLEAR, False, (
        " set up ", " set it up", " setup ", " setting up ", " configur", " instructions",
        " tutorial", " guide ", " manual ", " the steps ", " get started", " figure out",
        " teach me", " explain how", " turn off ", " turn on ", " enable ", " disable ",
        " back up ", " export ", " import ", " connect the ", " how does ", " help me ",
        " customi", " personali", " schedule ", " changing the ", " share ",
        " explain ", " understand", " toggle", " option ", " setting ", " settings ",
        " go about", " new to this", " first time using", " where's the ", " where is the ",
    )),
    ("inquiry", STRONG, False, (
        " do you offer", " do you have", " do you sell", " do you ship", " do you support",
        " do you accept", " difference between", " quick question", " i have a question",
        " wondering if", " wondering whether", " i was wondering", " could you tell me",
        " can you tell me", " is it compatible", " compatible with", " does it support",
        " does it include", " include ", " includes ", " before i buy", " thinking of buying",
        " thinking about buying", " planning to buy", " interested in", " which plan",
    )),
    ("inquiry", CLEAR, False, (
        " how much ", " pricing ", " price ", " prices ", " cost ", " costs ", " warranty",
        " available ", " availability", " in stock ", " trial ", " plans ", " upgrade ",
        " compatible ", " is there a ", " is it possible", " just curious", " curious ",
        " does the ", " does it ", " do they ", " are your ", " is your ", " will it ",
        " can it ", " are there ", " recommend", " options ", " made in ", " accept ",
        " version ", " worth it", " what happens", " do u ", " do you guys", " if i ",
        " what if ", " which one", " work with ", " works with ", " support ",
    )),
    ("complaint", STRONG, True, (
        " complaint", " complain", " unacceptable ", " speak to a manager",
        " talk to a manager", " speak to your manager", " speak to a supervisor",
        " manager ", " supervisor ", " rude ", " disrespectful", " unprofessional",
        " incompetent", " nobody has helped", " no one has helped", " nobody helped",
        " no one helped", " runaround", " this is how you treat", " ridiculous ",
        " outrageous", " disgraceful", " appalling", " unhappy ", " not happy ",
        " this is a joke", " shocking", " disgusted", " lied ", " misled", " escalate",
        " compensation", " ombudsman", " legal action", " not good enough",
    )),
    ("complaint", CLEAR, True, (
        " terrible ", " awful ", " horrible ", " worst ", " pathetic ", " disappointed",
        " disappointing", " fed up ", " sick of ", " furious ", " third time ",
        " fourth time ", " four times ", " several times ", " so many times ", " on hold for ",
        " never called", " never got back", " promised ", " ignored ", " waste of ",
        " never again ", " customer service ", " transferred ", " no answer", " still no ",
        " nobody called", " no one called", " didn't show up", " let down", " poor ",
        " apology", " been waiting for weeks", " handled ",
        " no reply", " not impressed", " livid", " sort it out", " was told ",
        " different people", " three times", " twice ", " still waiting for a", " again ",
    )),
    ("complaint", WEAK, True, (" frustrat", " upset ", " angry ", " annoy", " extremely ")),
    ("other", STRONG, False, (
        " just wanted to say thank", " wanted to say thanks", " compliment", " suggestion",
        " feature request", " feedback ", " press enquir", " press office", " newspaper",
        " journalist",
        " partnership", " change my address", " update my address", " my email address",
        " change the name on", " update my details", " change my phone number", " reseller",
        " resell", " returning your call", " returning a call", " voicemail",
        " left me a message", " missed call", " just letting you know", " your website",
        " job ", " vacancy", " career", " sponsorship", " donation", " privacy", " gdpr",
        " pass on a message", " message for ",
        " appointment", " by mistake", " wrong number", " personal data", " anyone there",
    )),
    ("other", CLEAR, False, (" thank you so much", " fantastic ", " great job", " can you hear")),
)  # fmt: skip

JA_LEXICON = (
    ("billing", STRONG, False, (
        "請求", "引き落とし", "引落", "二重", "課金", "領収書", "明細", "支払", "払い込",
        "振込", "振替", "値上げ", "日割り", "身に覚えのない", "未払い", "督促", "延滞",
        "引き落とされ", "決済", "カード情報",
        "引かれて", "引かれた", "解約したのに", "退会したのに", "支払い方法",
    )),
    ("billing", STRONG, True, ("返金", "払い戻し")),
    ("billing", CLEAR, False, ("料金", "金額", "クレジットカード", "口座", "高すぎ", "払った")),
    ("billing", WEAK, False, ("割引", "ポイント", "クーポン", "税")),
    ("order_status", STRONG, False, (
        "届かない", "届いていない", "届いてない", "届きません", "届いていません", "まだ届",
        "いつ届", "配送", "発送", "配達", "追跡", "出荷", "お届け", "注文をキャンセル",
        "注文のキャンセル", "宅配", "荷物", "不在票", "注文確認", "注文できて", "到着予定",
        "まだ来ない", "返品",
    )),
    ("order_status", CLEAR, False, (
        "注文", "到着", "届く", "届け", "入荷", "商品が", "受け取", "交換", "いつ頃",
    )),
    ("cancellation", STRONG, True, (
        "解約", "退会", "契約を終了", "契約終了", "やめたい", "辞めたい", "止めたい",
        "乗り換え", "自動更新を止め", "自動更新を解除", "アカウントを削除", "利用をやめ",
        "使うのをやめ", "サブスクをやめ", "キャンセル", "更新しない", "終わりにしたい",
        "終了したい", "停止したい", "サービスを止め", "サービスを停止", "会員をやめ",
        "契約を解除",
    )),
    ("cancellation", STRONG, False, (
        "もう使わない", "使わなくなる", "使わなくなった", "不要になった", "必要なくなった",
    )),
    ("cancellation", CLEAR, True, ("他社", "解除", "やめ", "辞め", "止めて", "休止")),
    ("cancellation", WEAK, False, ("今月いっぱいで", "今月末で")),
    ("technical_issue", STRONG, False, (
        "エラー", "ログインできない", "ログインできません", "ログインでき", "不具合",
        "動かない", "動きません", "起動しない", "起動できない", "起動しません", "フリーズ",
        "落ちる", "落ちます", "落ちて", "強制終了", "繋がらな", "つながらな", "接続でき",
        "表示されない", "バグ", "固まる", "固まって", "反応しない", "反応がない", "故障",
        "壊れ", "電源が入らない", "インストールでき", "同期", "消えて", "消えた", "真っ白",
        "真っ暗", "操作できな", "操作できません", "引き継げな", "途切れ", "音が出ない",
        "聞こえない", "映らない", "充電でき", "充電されない", "認識しない", "認識されない",
        "読み込めない", "開かない", "開けない", "送信でき", "受信でき", "ダウンロードでき",
        "アップロードでき", "保存でき", "印刷でき", "障害", "不安定", "ログアウトされ",
        "立ち上がらな", "ペアリングでき", "紙詰まり", "勝手に", "使えないんです",
    )),
    ("technical_issue", CLEAR, False, (
        "パスワード", "認証", "読み込", "再起動", "通信", "使えなく", "接続", "アップデート",
        "重い", "遅い", "おかしい", "異常", "画面が", "できなくなり", "できなくなっ",
    )),
    ("technical_issue", WEAK, False, ("できません", "できない")),
    ("how_to", STRONG, False, (
        "使い方", "設定方法", "やり方", "手順", "どうすれば", "どうやって", "どのように",
        "方法を教え", "方法が分か", "方法がわか", "初期設定", "するには", "したらいい",
        "すればいい", "使いこなせ", "作り方", "の仕方", "どうしたら", "どうやったら",
        "するんでしたっけ", "ればいい", "たらいい", "登録方法", "変更方法", "追加方法", "削除方法",
    )),
    ("how_to", CLEAR, False, (
        "方法", "設定", "操作", "マニュアル", "説明書", "連携", "バックアップ", "移行",
        "わからな", "分からな", "どこから", "どこで", "どこを", "移す", "引き継ぎ",
    )),
    ("inquiry", STRONG, False, (
        "違い", "対応していますか", "対応してますか", "ありますか", "可能ですか",
        "できますか", "でしょうか", "使えますか", "質問", "検討", "知りたい", "聞きたい",
        "伺いたい", "教えていただけ", "使えるんでしょうか", "料金プラン", "利用できますか",
        "使用できますか", "変更点", "何が変わる", "購入を考え", "買おうと", "見積",
        "対応機種", "おすすめ", "どれがいい", "どちらがいい",
    )),
    ("inquiry", CLEAR, False, (
        "プラン", "価格", "値段", "いくら", "在庫", "保証", "購入前", "無料", "学割",
        "法人", "教えて", "仕様", "と聞いた", "と聞いて", "導入", "資料", "カタログ",
        "お試し", "体験",
    )),
    ("inquiry", WEAK, False, ("ですか", "ますか")),
    ("complaint", STRONG, True, (
        "苦情", "クレーム", "納得できない", "納得できません", "納得いかない",
        "納得がいかない", "責任者", "上司", "誠意", "いい加減", "たらい回し", "不愉快",
        "最悪", "ありえない", "あり得ない", "態度", "めちゃくちゃ", "いつまで待たせ",
        "話が違う", "ふざけ", "騙され", "詐欺", "放置", "失礼", "不親切", "一言もない",
    )),
    ("complaint", CLEAR, True, (
        "ひど", "酷い", "何度も", "何回も", "待たされ", "待たせ", "不満", "がっかり",
        "腹が立", "信じられない", "二度と", "謝罪", "連絡がない", "連絡がありません",
        "全然違う", "解決しない", "何週間も", "何日も", "約束", "返事がない", "返信がない",
        "説明不足", "説明が不十分", "改善して",
        "不快", "せいにされ", "切られ", "電話がつながらな", "電話が繋がらな", "対応が悪",
        "言葉遣い",
    )),
    ("complaint", WEAK, True, ("困って", "残念", "怒")),
    ("other", STRONG, False, (
        "お礼", "感謝", "要望", "ご提案", "取材", "広報", "住所変更", "登録情報",
        "メールアドレスを変更", "名義", "電話番号を変更", "聞こえますか", "伝言",
        "販売店", "代理店", "取り扱いたい", "折り返しました", "電話をいただいた",
        "お電話をいただいた", "着信があった", "採用", "求人", "個人情報",
        "ありがとうございました", "予約の確認", "間違えて", "間違い電話",
    )),
)  # fmt: skip
