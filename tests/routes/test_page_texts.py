"""Every word the desk and the editor show exists in both languages (no English left in ja)."""

import pytest

from assist_api.ui_text import load_texts


@pytest.mark.parametrize("name", ["desk", "playbooks"])
def test_added_texts_exist_in_both_languages(name):
    texts = load_texts(name)
    assert set(texts) == {"en", "ja"}
    assert set(texts["en"]) == set(texts["ja"]), set(texts["en"]) ^ set(texts["ja"])
    assert all(value.strip() for lang in texts for value in texts[lang].values())


def test_the_pages_texts_match_once_the_app_is_built(app):
    TEXT = app.extensions["ui_text"]  # the shared words and every page's, merged by the factory
    assert set(TEXT["en"]) == set(TEXT["ja"]), set(TEXT["en"]) ^ set(TEXT["ja"])
    japanese = [key for key, value in TEXT["ja"].items() if value == TEXT["en"][key]]
    allowed = {"app_name", "nav_roi", "desk_not_asked"}  # names and symbols, the same in both
    assert [k for k in japanese if k not in allowed and not k.startswith("roi_")] == []
