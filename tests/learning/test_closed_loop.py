"""`value-assist simulate --closed-loop`: a small run through the real service."""

from click.testing import CliRunner

from assist_api.cli import main


def test_a_small_closed_loop_prints_one_line_per_week(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--closed-loop",
            "--out",
            str(tmp_path / "loop"),
            "--weeks",
            "2",
            "--per-day",
            "30",
            "--history",
            "1500",
            "--exploration",
            "0.3",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["week", "contacts", "offered"]
    weeks = [line.split() for line in lines[1:3]]
    assert [w[0] for w in weeks] == ["1", "2"] and all(w[1] == "210" for w in weeks)
    explore = [float(next(c for c in w if c.endswith("%")).rstrip("%")) for w in weeks]
    assert all(10 < share < 50 for share in explore)  # 30 % of non-holdout decisions
    assert (tmp_path / "loop" / "store.db").is_file()
