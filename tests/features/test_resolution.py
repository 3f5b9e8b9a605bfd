"""The customer's own words say whether the issue is fixed; the latest cue wins."""

import pytest

from features.resolution import issue_resolved


@pytest.mark.parametrize(
    ("transcript", "resolved"),
    [
        (["Customer: My router keeps dropping."], None),
        (["Customer: It keeps dropping.", "Agent: Try now.", "Customer: Oh, it works now!"], True),
        (["Customer: That worked.", "Customer: No wait, it stopped again."], False),
        (["Customer: It's still not connecting."], False),
        (["Agent: That fixed it, didn't it?"], None),  # the agent saying so does not count
        (["お客様：設定方法が分かりません。"], None),
        (
            ["お客様：つながりません。", "オペレーター：再起動を。", "お客様：あ、直りました！"],
            True,
        ),
        (["お客様：できました、と思ったらまた止まりました。"], False),
        (["お客様：まだ直りません。"], False),
        ([], None),
    ],
)
def test_resolution_from_the_customers_words(transcript, resolved):
    assert issue_resolved(transcript) is resolved
