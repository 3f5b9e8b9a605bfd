"""`value-assist reasons infer --input F --output F`: contact reasons for a file of transcripts.

For data teams filling the reason column of an export, or checking what the desk would
infer: the champion's learned text model (the lexicon when there is none yet).
"""

from pathlib import Path

import click

from assist_api.cli.context import settings_from_env


def register(group: click.Group) -> None:
    group.add_command(reasons)


@click.group()
def reasons():
    """Contact reasons inferred from transcripts."""


@reasons.command("infer")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path))
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path))
@click.option("--version", default=None, help="Model version (default: the champion).")
def infer(input_path, output_path, version):
    """Read CSV/Parquet with `transcript` and `language`; write the same rows plus
    `contact_reason_inferred` and `reason_confidence`."""
    from features.frame import infer_reasons
    from training.batch_score import BatchScoreError, load_model_files
    from training.table_io import TableFormatError, read_table, write_table

    settings = settings_from_env()
    try:
        files, label = load_model_files(
            settings.mlflow_tracking_uri, settings.model_name, settings.model_alias, version
        )
        text_model, source = files.text_model, f"{settings.model_name} {label}"
    except BatchScoreError as exc:
        if version:
            raise click.ClickException(str(exc)) from exc
        text_model, source = None, f"the lexicon ({exc})"
    try:
        frame = read_table(input_path)
    except TableFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    missing = [c for c in ("transcript", "language") if c not in frame.columns]
    if missing:
        raise click.ClickException(f"{input_path}: no {' or '.join(missing)} column")
    out = frame.join(infer_reasons(frame, text_model))
    write_table(out, output_path)
    if text_model is None and "lexicon" not in source:
        source += " (no text model in this version: the lexicon)"
    click.echo(f"inferred {len(out)} contact reasons with {source} -> {output_path}")
