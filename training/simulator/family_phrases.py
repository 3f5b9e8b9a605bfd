"""Phrase parts for the family of test worlds: customers who word things their own way.

Data only, used by training/simulator/family.py. Written apart from both the demo
simulator's bank and the lexicon: a sentence is an opener, a reason core and sometimes a
tail, drawn independently, so one world holds hundreds of wordings per reason, and a
text model must learn the reason from the centre's own rows rather than recognise a
phrase list. Emotion lines follow the customer's sentiment, so sentiment can be learned
from the text too.
"""

CORES = {
    "en": {
        "inquiry": (
            "does the {plan} plan come with {thing}", "is {thing} included in what i pay for",
            "can more than one person use one account", "do you offer a plan for teams",
            "what is the difference between the plans", "is there a limit on {thing}",
            "can i use it while travelling abroad", "how long do you keep my data",
        ),
        "how_to": (
            "how would i go about setting up {thing}", "walk me through turning on {thing}",
            "where in the app do i change {thing}", "what are the steps to export my data",
            "i can't figure out how to add a colleague", "show me how {thing} is configured",
            "what's the right way to import a spreadsheet", "where do i switch on {thing}",
        ),
        "order_status": (
            "my parcel still hasn't turned up", "the box i ordered on monday is nowhere",
            "can you tell me when my stuff ships", "the courier says delivered but nothing came",
            "i need to change where my order goes", "what happened to the item i bought",
            "it was meant to come yesterday", "has my purchase been sent out yet",
        ),
        "billing": (
            "i've been charged two times this month", "my card statement shows an odd amount",
            "the amount you took is higher than usual", "i'd like my money returned for {thing}",
            "why did the price go up on my invoice", "please switch how i pay to bank transfer",
            "i need a receipt for my accountant", "there's a fee i don't understand",
        ),
        "technical_issue": (
            "the app keeps crashing when i open it", "i get an error every time i save",
            "{thing} stopped working after the update", "the screen just goes blank",
            "sync is broken since yesterday", "it won't let me sign in anymore",
            "everything loads really slowly", "the page freezes halfway",
        ),
        "complaint": (
            "this is the third time i've had to chase you", "your staff were rude to me",
            "the service has been poor for weeks", "nobody ever calls me back",
            "what you promised is not what i got", "i waited an hour on hold",
            "i'm not happy with how this was handled", "the quality has gone downhill",
        ),
        "cancellation": (
            "i want to end my subscription", "please close my account at the end of the month",
            "i'm thinking of moving to another provider", "how do i stop the auto renewal",
            "i no longer need the service", "what happens to my data if i leave",
            "is there a fee to terminate early", "i'd like to quit",
        ),
        "other": (
            "i'd like to speak to my account manager", "are you hiring at the moment",
            "i need to update my email address", "i lost my previous ticket number",
            "is this message really from you", "i'm a journalist writing a piece",
            "our office has moved", "can i get tickets for your event",
        ),
    },
    "ja": {
        "inquiry": (
            "{plan}プランに{thing}は含まれていますか", "{thing}の上限はありますか",
            "一つのアカウントを家族で共有できますか", "チーム向けのプランはありますか",
            "プランごとの違いを知りたいです", "海外でも使えるのでしょうか",
            "データはどのくらい保管されますか", "{thing}は追加料金がかかりますか",
        ),
        "how_to": (
            "{thing}の設定のやり方が分かりません", "{thing}をオンにする手順を知りたいです",
            "アプリのどこで{thing}を変えられますか", "データを書き出す方法を教えてほしいです",
            "同僚を追加するやり方が分かりません", "表計算のファイルを取り込むにはどうしますか",
            "{thing}の使い方を一から知りたいです", "画面のどこから操作すればいいですか",
        ),
        "order_status": (
            "買った品物がまだ手元に来ていません", "月曜に頼んだ荷物が見当たりません",
            "いつ発送されるか知りたいです", "配達済みになっているのに届いていません",
            "届け先を変えたいのですが", "昨日着くはずだった荷物が来ません",
            "購入した商品はもう出荷されましたか", "荷物の追跡ができません",
        ),
        "billing": (
            "今月二回引き落とされています", "カードの明細に見覚えのない金額があります",
            "いつもより高い金額が引かれています", "{thing}の代金を返してほしいです",
            "請求額が上がった理由を知りたいです", "支払いを銀行振込に変えたいです",
            "経理用に領収書が必要です", "よく分からない手数料が付いています",
        ),
        "technical_issue": (
            "アプリを開くとすぐ落ちます", "保存するたびにエラーが出ます",
            "更新してから{thing}が動きません", "画面が真っ暗になってしまいます",
            "昨日から同期ができません", "サインインできなくなりました",
            "読み込みがとても遅いです", "途中で画面が固まります",
        ),
        "complaint": (
            "もう三回も連絡しています", "担当の方の態度がよくありませんでした",
            "ここ数週間サービスの質が悪いです", "折り返しの電話が一度もありません",
            "約束された内容と違います", "一時間も待たされました",
            "今回の対応には満足していません", "品質がどんどん落ちています",
        ),
        "cancellation": (
            "サブスクリプションをやめたいです", "月末でアカウントを閉じてください",
            "他の会社に移ろうと思っています", "自動更新を止める方法を知りたいです",
            "もうサービスは必要ありません", "やめた場合データはどうなりますか",
            "途中でやめると違約金はかかりますか", "利用をやめさせてください",
        ),
        "other": (
            "担当営業の方とお話ししたいです", "今、採用はしていますか",
            "登録メールを変えたいです", "前回の受付番号をなくしてしまいました",
            "このメールは本当に御社からですか", "記事を書くために取材をお願いしたいです",
            "事務所が移転しました", "イベントのチケットは手に入りますか",
        ),
    },
}  # fmt: skip
SLOTS = {
    "en": {"plan": ("basic", "pro", "family", "business"),
           "thing": ("offline mode", "shared folders", "the calendar view", "backups",
                     "two-factor login", "reports", "notifications")},
    "ja": {"plan": ("ベーシック", "プロ", "ファミリー", "ビジネス"),
           "thing": ("オフライン機能", "共有フォルダ", "カレンダー表示", "バックアップ",
                     "二段階認証", "レポート", "通知")},
}  # fmt: skip
OPENERS = {
    "en": ("hi", "hello there", "good morning", "hey", "hi, quick one", "so", "um, hello"),
    "ja": ("すみません", "こんにちは", "お疲れさまです", "あの", "ちょっといいですか", "どうも"),
}  # fmt: skip
TAILS = {
    "en": ("thanks", "cheers", "any help appreciated", "let me know", "thank you so much"),
    "ja": ("よろしくお願いします", "助かります", "お願いします", "教えてください"),
}  # fmt: skip
# Emotion lines by sentiment: the customer's mood shows in how they write.
MOOD_LINES = {
    "en": {
        "angry": ("this is ridiculous", "i'm really fed up", "honestly this is a joke",
                  "i've had enough", "not impressed at all"),
        "happy": ("love the product by the way", "you've been great so far",
                  "really happy with it otherwise", "the team is always lovely"),
    },
    "ja": {
        "angry": ("本当にうんざりです", "いい加減にしてほしいです", "正直あきれています",
                  "もう我慢できません", "全く納得していません"),
        "happy": ("いつも便利に使っています", "普段はとても満足しています",
                  "皆さんの対応にはいつも感謝しています", "製品自体は気に入っています"),
    },
}  # fmt: skip
