"""`value-assist reasons infer`: the champion's text model on a file, the lexicon before one."""

import pandas as pd
from click.testing import CliRunner

from assist_api.cli import main
from training.simulator.family import write_family_world

ROWS = pd.DataFrame(
    {
        "interaction_id": ["a", "b", "c", "d"],
        "transcript": ["my parcel still hasn't turned up", "今月二回引き落とされています",
                       "", "i want to end my subscription"],
        "language": ["en", "ja", "en", "en"],
    }
)  # fmt: skip


def invoke(env, *args):
    result = CliRunner().invoke(main, list(map(str, args)), env=env)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_reasons_with_the_lexicon_then_with_the_champions_text_model(tmp_path):
    env = {"VALUE_ASSIST_DATA_DIR": str(tmp_path / "data"), "MLFLOW_TRACKING_URI": None}
    ROWS.to_csv(tmp_path / "in.csv", index=False)
    out = invoke(env, "reasons", "infer", "--input", tmp_path / "in.csv", "--output",
                 tmp_path / "lexicon.csv")  # fmt: skip
    assert "the lexicon" in out
    lexicon = pd.read_csv(tmp_path / "lexicon.csv", keep_default_na=False)
    assert list(lexicon.columns) == [*ROWS.columns, "contact_reason_inferred", "reason_confidence"]
    assert lexicon.loc[2, "reason_confidence"] == 0  # no transcript: no evidence

    world = write_family_world("interactions", tmp_path / "world", 3000)
    invoke(env, "train", "--from", world, "--promote")
    out = invoke(env, "reasons", "infer", "--input", tmp_path / "in.csv", "--output",
                 tmp_path / "model.parquet")  # fmt: skip
    assert "with ve-openness version 1 ->" in out
    learned = pd.read_parquet(tmp_path / "model.parquet")
    assert list(learned["contact_reason_inferred"][[0, 1, 3]]) == [
        "order_status", "billing", "cancellation",
    ]  # fmt: skip
    assert (learned["reason_confidence"][[0, 1, 3]] > 0.5).all()


def test_a_file_without_transcripts_is_refused_by_name(tmp_path):
    env = {"VALUE_ASSIST_DATA_DIR": str(tmp_path / "data"), "MLFLOW_TRACKING_URI": None}
    ROWS.drop(columns="transcript").to_csv(tmp_path / "in.csv", index=False)
    result = CliRunner().invoke(
        main, ["reasons", "infer", "--input", str(tmp_path / "in.csv"), "--output",
               str(tmp_path / "out.csv")], env=env,
    )  # fmt: skip
    assert result.exit_code != 0 and "no transcript column" in result.output
