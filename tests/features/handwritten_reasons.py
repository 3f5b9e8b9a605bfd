"""Hand-written contact-reason test sets, one per language.

Written from everyday service conversations, not from the simulator's phrase bank, and
written before the lexicon in features/contact_reason.py: they are noisy on purpose (typos,
lower case, half-width katakana, full-width Latin, speaker labels, negations, mixed
topics). A few are genuinely ambiguous; the label is what a team lead would file it as.
"""

EN_CASES = (
    # inquiry
    ("inquiry", "Hi there\nQuick question - does the premium plan include offline access?"),
    ("inquiry", "hello, i was wondering if you ship to canada"),
    (
        "inquiry",
        "Customer: Hi, what's the difference between the Standard and Premium plans?\n"
        "Agent: Great question!\nCustomer: I mostly use it for my small team",
    ),
    ("inquiry", "Is the new tablet compatible with the keyboard I already own?"),
    ("inquiry", "Can you tell me how much the enterprise tier costs per seat?"),
    ("inquiry", "Do you offer student discounts? thinking about getting a second licence"),
    ("inquiry", "Hey, is there a warranty on refurbished units or not?"),
    ("inquiry", "Not a complaint, just wondering whether the app works on Android tablets"),
    # how_to
    ("how_to", "How do I export my data to a spreadsheet?"),
    ("how_to", "hi, i just got the router and i have no idea how to set it up"),
    (
        "how_to",
        "Customer: Can you walk me through adding a second user to the account?\nAgent: Of course.",
    ),
    ("how_to", "Where can I find the setting to turn off notifications? I've looked everywhere"),
    ("how_to", "what's the best way to back up my photos before I switch phones"),
    (
        "how_to",
        "I'm trying to connect the app to my calendar but I don't get the steps. Is there a guide?",
    ),
    # order_status
    ("order_status", "Where is my order? I placed it 10 days ago, order #48213"),
    ("order_status", "The tracking page hasn't updated since Monday"),
    ("order_status", "my package still hasn't arrived and it said delivery by friday"),
    (
        "order_status",
        "Customer: Hi, I ordered a replacement charger last week.\n"
        "Customer: Can you check when it will be delivered?",
    ),
    ("order_status", "It says delivered but there's nothing at my door"),
    ("order_status", "I need to change the shipping address on an order I just placed"),
    # billing
    ("billing", "I was charged twice for my subscription this month"),
    ("billing", "Why is my bill higher than usual? I didn't change anything"),
    ("billing", "I'd like a refund for the annual plan, I was billed after the trial ended"),
    (
        "billing",
        "Customer: hello\nCustomer: there's a charge on my credit card from you guys "
        "that I don't recognise",
    ),
    ("billing", "Can I get a copy of the invoice for March for my expense report?"),
    ("billing", "my payment failed but the money left my account anyway??"),
    ("billing", "I'm not looking to cancel, I just want to understand this extra fee on my bill"),
    # technical_issue
    ("technical_issue", "The app crashes every time I open the camera tab"),
    ("technical_issue", "I can't log in, it keeps saying invalid password even after I reset it"),
    ("technical_issue", "Getting error code E-403 when I try to sync"),
    ("technical_issue", "The screen just freezes after the latest update, totally unusable"),
    ("technical_issue", "wifi keeps dropping on the device every few minutes"),
    (
        "technical_issue",
        "Customer: hi\nAgent: Hello, how can I help?\n"
        "Customer: printing doesn't work since yesterday, it just spins",
    ),
    (
        "technical_issue",
        "I don't want a refund, I just want the thing to work. It won't turn on",
    ),
    # complaint
    (
        "complaint",
        "This is the third time I'm calling about this and nobody has helped me. Unacceptable.",
    ),
    (
        "complaint",
        "I want to make a formal complaint about the technician who came to my house, he was rude",
    ),
    ("complaint", "Your customer service is terrible, I've been on hold for an hour"),
    ("complaint", "I want to speak to a manager right now"),
    ("complaint", "honestly really disappointed. you promised a callback and never called"),
    (
        "complaint",
        "I've been a customer for 8 years and this is how you treat me? ridiculous",
    ),
    # cancellation
    ("cancellation", "I want to cancel my subscription please"),
    ("cancellation", "Please close my account, I'm moving to another provider"),
    ("cancellation", "Customer: hi, I'd like to end my membership at the end of this month"),
    ("cancellation", "how do I stop auto renewal? I don't need the service anymore"),
    (
        "cancellation",
        "I'm thinking of switching to a competitor, your price is too high now. How do I cancel?",
    ),
    ("cancellation", "Unsubscribe me from the premium plan, I only want the free version"),
    # other
    ("other", "I just wanted to say thank you, the agent yesterday was fantastic"),
    ("other", "Can you update my email address on file? It's changed"),
    ("other", "I have a suggestion for your mobile app"),
    ("other", "Hi, I'm calling from a local newspaper, who handles press enquiries?"),
    ("other", "I'd like to change the name on the account to my married name"),
    ("other", "Hello? hello? can you hear me"),
)

JA_CASES = (
    # inquiry
    (
        "inquiry",
        "お世話になっております。プレミアムプランとスタンダードプランの違いを教えていただけますか。",
    ),
    ("inquiry", "海外でも使えますか？"),
    ("inquiry", "購入を検討しているのですが、法人向けのプランはありますか"),
    ("inquiry", "このﾌﾟﾘﾝﾀｰはＭａｃに対応していますか？"),
    ("inquiry", "お客様：こんにちは\nお客様：学割って使えるんでしょうか"),
    ("inquiry", "保証期間は何年でしょうか。"),
    ("inquiry", "クレームではないんですが、新しいプランについて質問があります"),
    # how_to
    ("how_to", "設定方法を教えてください。"),
    ("how_to", "新しく買ったルーターの初期設定のやり方がわからなくて"),
    ("how_to", "写真をバックアップするにはどうすればいいですか？"),
    ("how_to", "アプリの使い方がいまいち分かりません。通知をオフにする方法はありますか"),
    ("how_to", "家族のアカウントを追加する手順を知りたいです"),
    (
        "how_to",
        "オペレーター：お電話ありがとうございます。\n"
        "お客様：カレンダーと連携させたいんですが、どうやってやるんですか",
    ),
    # order_status
    ("order_status", "先週注文した商品がまだ届かないのですが"),
    ("order_status", "注文番号12345の配送状況を確認したいです"),
    ("order_status", "発送はいつ頃になりますか？"),
    ("order_status", "追跡番号を入力しても何も表示されません"),
    ("order_status", "配達完了になっているのに荷物が届いていません"),
    ("order_status", "お届け先の住所を変更したいのですが、まだ間に合いますか"),
    # billing
    ("billing", "今月の請求額がいつもより高いのですが、なぜでしょうか"),
    ("billing", "同じ月に二重で引き落としされています"),
    ("billing", "無料期間中に解約したはずなのに課金されました。返金してください。"),
    ("billing", "領収書を発行してもらえますか"),
    ("billing", "クレジットカードの支払いができませんでした"),
    ("billing", "料金の明細を見ても、この項目が何の料金なのか分かりません"),
    ("billing", "解約するつもりはないのですが、今月の請求について確認させてください"),
    # technical_issue
    ("technical_issue", "アプリを開くとエラーが出ます"),
    ("technical_issue", "ログインできないんです。パスワードは合ってるはずなんですが"),
    ("technical_issue", "アップデートしてから画面がフリーズして動かない"),
    ("technical_issue", "Ｗｉ－Ｆｉにつながらなくなりました"),
    ("technical_issue", "お客様：同期がうまくいかず、データが消えてしまいました"),
    ("technical_issue", "カメラ機能を使うと毎回アプリが落ちます。不具合でしょうか。"),
    ("technical_issue", "返金は不要なので、とにかく直してほしいです。電源が入らないんです"),
    # complaint
    ("complaint", "何度も問い合わせているのに、全然解決しない。どうなってるんですか"),
    ("complaint", "先日の担当者の態度がひどすぎます"),
    ("complaint", "こんな対応では納得できません。責任者を出してください"),
    ("complaint", "1時間も待たされて、本当に最悪です"),
    (
        "complaint",
        "折り返し連絡すると言われたのに、誰からも連絡がありません。いい加減にしてください",
    ),
    ("complaint", "説明されていた内容と全然違う。こういう売り方はありえないと思います"),
    # cancellation
    ("cancellation", "解約したいのですが"),
    ("cancellation", "今月末で退会させてください"),
    ("cancellation", "他社に乗り換えるので契約を終了したいです"),
    ("cancellation", "サブスクをやめたいんですけど、どこから手続きできますか"),
    ("cancellation", "もう使っていないので、自動更新を止めたいです"),
    ("cancellation", "ｷｬﾝｾﾙの手続きをお願いします"),
    # other
    ("other", "昨日の担当の方がとても親切で、お礼を伝えたくてお電話しました"),
    ("other", "登録しているメールアドレスを変更したいです"),
    ("other", "引っ越したので住所変更をお願いします"),
    ("other", "アプリにダークモードを追加してほしいという要望です"),
    ("other", "御社の取材をさせていただきたく、広報のご担当者様をお願いできますか"),
    ("other", "もしもし、聞こえますか？"),
)

# Written after the lexicon was frozen and never used to tune it: the honest estimate.
EN_HELDOUT = (
    ("inquiry", "Hi! Before I buy - does the family plan let 5 people use it at the same time?"),
    ("inquiry", "Are your products made in the EU? asking for a procurement form"),
    ("inquiry", "what payment methods do you accept for the yearly plan"),
    ("how_to", "Customer: I can't figure out how to share a folder with my colleague"),
    ("how_to", "Is there a way to schedule the reports to go out every monday?"),
    ("how_to", "need help changing the language of the interface to french"),
    ("order_status", "Ordered a blender on the 3rd, still nothing. Any update on when it ships?"),
    (
        "order_status",
        "The courier left a note but I wasn't home, how do I rearrange delivery?",
    ),
    ("order_status", "can u check order 55-1932 status pls"),
    ("billing", "Hi, my direct debit went out on the wrong date this month"),
    ("billing", "Why have I been charged the full price when I had a 20% discount code?"),
    ("billing", "Customer: I need a VAT invoice with our company name on it"),
    ("technical_issue", "Every time I try to upload a file bigger than 10MB it just fails"),
    ("technical_issue", "The sensor shows offline in the app even though it's plugged in"),
    ("technical_issue", "my password reset email never comes through"),
    (
        "complaint",
        "I have been transferred four times today and still no answer. This is a joke.",
    ),
    (
        "complaint",
        "The engineer didn't show up for the appointment and nobody called to tell me. "
        "Really poor.",
    ),
    ("complaint", "I'm extremely unhappy with how my case has been handled"),
    ("cancellation", "Please don't renew my contract when it ends in June"),
    ("cancellation", "I'd like to cancel. We're closing the business."),
    ("cancellation", "how much notice do I have to give to terminate the agreement?"),
    ("other", "Hi, can I speak to someone about becoming a reseller?"),
    ("other", "I'm returning your call from earlier, someone left me a voicemail"),
    ("other", "Just letting you know the phone number on your website is wrong"),
)

JA_HELDOUT = (
    ("inquiry", "来月から料金プランが変わると聞いたのですが、何が変わるんですか"),
    ("inquiry", "法人契約の場合、請求書払いには対応していますか？"),
    ("inquiry", "この機種は防水仕様でしょうか"),
    ("how_to", "スマホからパソコンにデータを移すにはどうしたらいいですか"),
    ("how_to", "録画予約ってどこから設定するんでしたっけ"),
    ("how_to", "グループの作り方を教えてもらえますか"),
    ("order_status", "昨日注文したんですけど、今日中に発送されますか"),
    ("order_status", "不在票が入っていたので再配達をお願いしたいです"),
    ("order_status", "注文確認メールが来ないんですが、注文できてますか"),
    ("billing", "身に覚えのない請求が来ています"),
    ("billing", "口座振替に変更したいのですが"),
    ("billing", "先月分のお支払いがまだ反映されていないようです"),
    ("technical_issue", "アプリが真っ白になって何も操作できません"),
    ("technical_issue", "スマホを機種変更したらデータが引き継げなくなりました"),
    ("technical_issue", "音声が途切れ途切れになります"),
    ("complaint", "前回の電話で対応してくれた人、言ってることがめちゃくちゃでした"),
    ("complaint", "約束の日に来なかったのに謝罪の一言もないんですか"),
    ("complaint", "もう何週間も待ってるんですけど、いつまで待たせるんですか！"),
    ("cancellation", "今の契約、今月いっぱいで終わりにしたいんです"),
    ("cancellation", "引っ越しで使わなくなるので、サービスを止めてもらえますか"),
    ("cancellation", "会員をやめる手続きについて"),
    ("other", "担当の佐藤さんに伝言をお願いしたいのですが"),
    ("other", "御社の製品を取り扱いたい販売店なのですが"),
    ("other", "先ほど電話をいただいたようなので、折り返しました"),
)

# Written after lexicon revision 2 was frozen (which did see the *_HELDOUT misses), never
# used to tune it: the honest estimate for the current lexicon.
EN_FRESH = (
    ("inquiry", "hey do u guys have a version of the app for smart tvs"),
    ("inquiry", "What happens to my saved projects if I move from monthly to annual?"),
    (
        "inquiry",
        "Customer: good morning\nCustomer: is the pro version worth it for a freelancer like me?",
    ),
    ("how_to", "I'm new to this, how would I go about inviting my team?"),
    (
        "how_to",
        "I keep pressing the button but I don't understand what the dashboard is showing me, "
        "can you explain it?",
    ),
    ("how_to", "where's the dark mode toggle?"),
    ("order_status", "I got an email saying my parcel was returned to sender??"),
    ("order_status", "Hi, just checking on order 7781 - it said 2-3 days and it's been a week"),
    ("order_status", "Customer: the box arrived but the charger wasn't in it"),
    ("billing", "There's a £9.99 I don't recognise on my statement from you"),
    ("billing", "Can you switch me to paying yearly instead of monthly?"),
    ("billing", "my card expired, how do I update it so my plan doesn't lapse"),
    ("technical_issue", "The thermostat keeps resetting itself to 30 degrees overnight"),
    ("technical_issue", "I get a white page when I click checkout"),
    ("technical_issue", "notifications stopped coming through on my iphone after ios update"),
    ("complaint", "I was told three different things by three different people. Sort it out."),
    (
        "complaint",
        "Your delivery driver threw the parcel over my fence and broke it. I'm livid.",
    ),
    ("complaint", "I've written twice and had no reply. Not impressed at all."),
    (
        "cancellation",
        "We've decided to go with another vendor so we won't need the licences after March",
    ),
    ("cancellation", "Can I pause my membership for two months instead of cancelling?"),
    (
        "cancellation",
        "Customer: Hi\nAgent: Hi, how can I help today?\n"
        "Customer: I'd like to close the account for my late father",
    ),
    ("other", "Is anyone there? I've been put through to this number by mistake I think"),
    ("other", "I'd like to request a copy of all the personal data you hold on me"),
    ("other", "Just calling to confirm my appointment on Thursday is still on"),
)

JA_FRESH = (
    ("inquiry", "子ども用のアカウントって作れるんですか？"),
    ("inquiry", "年払いにすると月払いより安くなりますか"),
    ("inquiry", "今のスマホでも新しいサービスは利用可能でしょうか"),
    ("how_to", "はじめて使うんですが、まず何をすればいいですか"),
    ("how_to", "画面の文字を大きくしたいんですけど"),
    ("how_to", "共有フォルダってどうやって作るんですか"),
    ("order_status", "届いた商品が注文したものと違います"),
    ("order_status", "注文した品物の発送予定日を教えてください"),
    ("order_status", "コンビニ受け取りにしたのですが、まだ連絡が来ません"),
    ("billing", "先月解約したのに今月も料金が引かれています"),
    ("billing", "支払い方法をクレジットカードから口座振替に変えたいです"),
    ("billing", "請求金額が契約時に聞いていた額と違うんですが"),
    ("technical_issue", "昨日から急にアプリが立ち上がらなくなりました"),
    ("technical_issue", "プリンターが紙詰まりのエラーを出し続けます"),
    ("technical_issue", "Ｂｌｕｅｔｏｏｔｈのイヤホンがペアリングできません"),
    (
        "complaint",
        "電話が全然つながらないし、やっとつながったと思ったら切られました。どういうことですか",
    ),
    ("complaint", "御社のスタッフの言葉遣いがあまりにも失礼でした"),
    (
        "complaint",
        "商品が壊れていたのに、こちらの使い方のせいにされたのが本当に不快です",
    ),
    ("cancellation", "転勤で海外に行くので、契約を解約できますか"),
    ("cancellation", "今のプランを来月から解除したい"),
    ("cancellation", "ジムの会員を辞めようと思っています"),
    ("other", "担当の方からの電話を待っているのですが、何時頃になりますか"),
    ("other", "以前こちらで購入した者ですが、会社名が変わったので登録を更新したいです"),
    ("other", "お世話になっております。先日の件、ありがとうございました。"),
)

# Written after lexicon revision 3 (which did see the *_FRESH misses) was frozen, and
# never used to tune it: the honest estimate for the shipped lexicon.
EN_FINAL = (
    (
        "inquiry",
        "Customer: hi, do the refills come in a bigger size?\nAgent: Let me check for you.",
    ),
    ("inquiry", "Are there any plans to launch in Japan this year"),
    ("inquiry", "Which of your routers would suit a three-storey house?"),
    ("how_to", "Could you show me where I change the billing email?"),
    ("how_to", "I bought the camera yesterday and I'm lost with the app, what do I press first?"),
    ("how_to", "how do u reset the filter light"),
    ("order_status", "My delivery window was 8 to 12 and nobody came"),
    (
        "order_status",
        "Agent: Thanks for holding.\n"
        "Customer: Yeah so the order page still says processing after 5 days",
    ),
    ("order_status", "I'd like to return the shoes, they're too small"),
    ("billing", "Why did my monthly price go up without any warning?"),
    ("billing", "Can I get the money for the unused months back?"),
    ("billing", "the payment page keeps rejecting my card"),
    ("technical_issue", "Camera feed is just showing static since last night"),
    ("technical_issue", "my login code text never arrives"),
    ("technical_issue", "the speaker makes a loud buzzing noise when I turn it up"),
    ("complaint", "I'm disgusted by the way I was spoken to on the phone earlier"),
    ("complaint", "Three weeks and still no refund. Absolutely shambolic."),
    ("complaint", "why does nobody ever call back when they say they will"),
    ("cancellation", "I want to end everything with you, account, contract, the lot"),
    ("cancellation", "please remove me as a member, I'm moving abroad"),
    ("cancellation", "What do I need to do to stop paying for this every month?"),
    (
        "other",
        "I'm a student doing a survey on customer service, do you have 5 minutes?",
    ),
    (
        "other",
        "Hi it's Tom from Brightline, calling about the invoice for our catering services "
        "to your office",
    ),
    ("other", "I'd like to update the phone number on my profile"),
)

JA_FINAL = (
    ("inquiry", "ポイントの有効期限ってありますか"),
    ("inquiry", "来年モデルの発売予定は決まっていますか"),
    ("inquiry", "店舗でも同じサービスを受けられるんですか"),
    ("how_to", "録音したデータをパソコンに保存したいんですが、やり方を教えてください"),
    (
        "how_to",
        "オペレーター：お待たせしました。\nお客様：通知音を変えるにはどこを触ればいいですか",
    ),
    ("how_to", "初めてなのでよく分からないんですけど、最初に何を登録すればいいですか"),
    ("order_status", "お届け日を変更することはできますか"),
    ("order_status", "注文した色と違う商品が届きました"),
    ("order_status", "まだ商品が到着していないのですが、いつになりますか"),
    ("billing", "明細に同じ金額が2回載っています"),
    ("billing", "プランを下げたのに料金が変わっていません"),
    ("billing", "請求書の宛名を会社名に変えてほしいです"),
    ("technical_issue", "充電してもすぐにバッテリーが切れてしまいます"),
    ("technical_issue", "画面にひびが入ってタッチが効かなくなりました"),
    ("technical_issue", "メールの受信ができなくなっています"),
    ("complaint", "前にも同じことを伝えたのに、また一から説明させられるんですか"),
    ("complaint", "説明と実際の料金が違うのは困ります。きちんと説明してほしかった"),
    ("complaint", "窓口の方の対応があまりに雑で、気分が悪かったです"),
    ("cancellation", "契約期間が終わったら更新せずに終わりたいです"),
    ("cancellation", "家族が亡くなったので、名義人のアカウントを閉じたいのですが"),
    ("cancellation", "もう必要ないので、定期便を止めたいです"),
    ("other", "御社の株主総会の日程について伺いたいのですが"),
    ("other", "落とし物をしたのですが、そちらに届いていませんか"),
    ("other", "メルマガの配信を停止したいです"),
)
