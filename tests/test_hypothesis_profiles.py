"""CI's property tests are reproducible; `make fuzz` explores further (issue 22, finding 10)."""

import re
from pathlib import Path

from hypothesis import settings

from tests.helpers.fuzz import FUZZ_FACTOR, examples

ROOT = Path(__file__).resolve().parents[1]


def test_the_ci_profile_is_derandomized_and_make_test_uses_it():
    assert settings.get_profile("ci").derandomize
    recipe = (ROOT / "Makefile").read_text()
    test_target = re.search(r"^test:.*?(?=^\S)", recipe, re.S | re.M).group()
    assert "HYPOTHESIS_PROFILE=ci" in test_target
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_fuzz_draws_ten_times_the_examples_at_random(monkeypatch):
    recipe = (ROOT / "Makefile").read_text()
    assert re.search(r"^fuzz:.*HYPOTHESIS_PROFILE=fuzz", recipe, re.S | re.M)
    assert not settings.get_profile("fuzz").derandomize
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fuzz")
    assert examples(30) == 30 * FUZZ_FACTOR == 300
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "ci")
    assert examples(30) == 30
