"""`value-assist train`, `models` (with its subcommands) and `batch-score`; `promote`
lives in cli/promote.py.

Heavy libraries (MLflow, LightGBM, Dask) are imported inside the commands so that
`value-assist --help` and unrelated commands stay fast.
"""

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.learning import evaluate_policy
from assist_api.cli.promote import promote
from assist_api.cli.shadow import shadow, shadow_report

DASK_HELP = "Run on Dask: 'local' for a LocalCluster on this machine, or a scheduler address."


def _quiet_openmp() -> None:
    """Let LightGBM's OpenMP threads sleep instead of spin while they wait.

    Must happen before LightGBM is loaded (the OpenMP runtime reads it once). Measured on
    a shared 2-core machine with one other busy process: fitting 135,000 rows took 22-31 s
    with spinning threads and 6-8 s with sleeping ones; on an idle machine it costs
    nothing. Dask workers started from here inherit it. An explicit setting wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def register(group: click.Group) -> None:
    group.add_command(train)
    group.add_command(models_command)
    group.add_command(promote)
    group.add_command(batch_score)


def store_off_policy(settings):
    """(candidate, champion files) -> the promotion rule's off-policy values on the store's
    logged decisions; None when the store does not exist (training from files alone)."""

    def compute(candidate, champion):
        from assist_api.services.learning.promotion_ope import store_off_policy

        url = settings.database_url
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            return None
        with open_store(settings) as store:
            return store_off_policy(store, candidate, champion)

    return compute


def _train_config(settings, promote: bool, dask: str | None):
    from training.pipeline import TrainConfig

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return TrainConfig(
        off_policy=store_off_policy(settings),
        tracking_uri=settings.mlflow_tracking_uri,
        artifact_root=settings.artifact_root,
        model_name=settings.model_name,
        alias=settings.model_alias,
        promote=promote,
        band_thresholds=(settings.band_medium, settings.band_high),
        dask=dask,
    )


@click.command("train")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Train from import-format files in this folder instead of the store.",
)
@click.option("--dask", "dask_address", metavar="local|ADDRESS", help=DASK_HELP)
@click.option("--promote", is_flag=True, help="Make it champion if it wins the declared rule.")
def train(from_dir, dask_address, promote):
    """Train, evaluate against the champion, log and register the openness model."""
    _quiet_openmp()
    from training.dataset import DatasetError
    from training.pipeline import summary_lines, train_from_dir, train_from_frames

    settings = settings_from_env()
    config = _train_config(settings, promote, dask_address)
    started = time.perf_counter()
    try:
        if from_dir is not None:
            result = train_from_dir(from_dir, config)
        else:
            from assist_api.services.outcomes.training_data import load_import_frames

            with open_store(settings) as store:
                interactions, outcomes = load_import_frames(store)
            if dask_address:
                with dask_export(settings.data_dir, interactions, outcomes) as export:
                    result = train_from_dir(export, config)
            else:
                result = train_from_frames(interactions, outcomes, config, source="store")
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary_lines(result):
        click.echo(line)
    click.echo(f"training took {time.perf_counter() - started:.1f} s")


@click.group("models", invoke_without_command=True)
@click.pass_context
def models_command(ctx):
    """List the registered model's versions with their test metrics and aliases.

    Subcommands: `evaluate-policy` (off-policy value of a version's top-card policy),
    `shadow VERSION` / `shadow --off` and `shadow-report` (a challenger scored unseen).
    """
    if ctx.invoked_subcommand is None:
        _list_versions()


for _command in (evaluate_policy, shadow, shadow_report):
    models_command.add_command(_command)


def _list_versions() -> None:
    from models.registry import connect, list_versions

    settings = settings_from_env()
    client = connect(settings.mlflow_tracking_uri)
    versions = list_versions(client, settings.model_name)
    if not versions:
        click.echo(f"no versions of {settings.model_name} registered yet")
        return
    click.echo(
        f"{'version':>7}  {'aliases':<12} {'created (UTC)':<19}  "
        f"{'ROC AUC':>7} {'log loss':>8} {'ECE':>6}  {'data':<16} {'test rows':>9} "
        f"{'test to':<10}  run"
    )
    for info in versions:
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(info.created_at_ms / 1000))
        m, p = info.metrics, info.params
        click.echo(
            f"{info.version:>7}  {','.join(info.aliases) or '-':<12} {created:<19}  "
            f"{_metric(m, 'test_roc_auc'):>7} {_metric(m, 'test_log_loss'):>8} "
            f"{_metric(m, 'test_ece'):>6}  {p.get('dataset_fingerprint', '-'):<16} "
            f"{p.get('rows_test', '-'):>9} {str(p.get('data_to', '-'))[:10]:<10}  {info.run_id}"
        )
    if len({v.params.get("dataset_fingerprint") for v in versions}) > 1:
        click.echo(
            "note: versions were scored on different data (see `data`): compare metrics only "
            "between rows with the same data and test rows."
        )


def _metric(metrics: dict, key: str) -> str:
    return f"{metrics[key]:.4f}" if key in metrics else "-"


@click.command("batch-score")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path))
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path))
@click.option("--dask", "dask_address", metavar="local|ADDRESS", help=DASK_HELP)
@click.option("--version", default=None, help="Model version (default: the champion).")
@click.option(
    "--per-interaction",
    is_flag=True,
    help="Score every row as it is (default: each customer's latest row, with best_card).",
)
@click.option(
    "--include-control-group",
    is_flag=True,
    help="Offer cards to the card control group too (ROI is measured against it).",
)
@click.option(
    "--work-dir",
    default=None,
    metavar="DIR|URL",
    help="With --dask: where the input's parts go, readable by every worker (default: "
    "beside the input).",
)
def batch_score(
    input_path, output_path, dask_address, version, per_interaction, include_control_group, work_dir
):
    """Score a customer file (CSV/Parquet) for proactive outreach: one row per customer
    (their latest profile or interaction) with openness, best card and the control group."""
    _quiet_openmp()
    from training.batch_score import BatchScoreError, load_model_files, score_file

    settings = settings_from_env()
    started = time.perf_counter()
    finish = None if per_interaction else outreach_finish(settings, include_control_group)
    try:
        files, label = load_model_files(
            settings.mlflow_tracking_uri, settings.model_name, settings.model_alias, version
        )
        rows = score_file(
            input_path,
            output_path,
            files,
            dask=dask_address,
            finish=finish,
            per_customer=not per_interaction,
            work=work_dir,
        )
    except BatchScoreError as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = time.perf_counter() - started
    unit = "rows" if per_interaction else "customers"
    click.echo(
        f"scored {rows} {unit} with {settings.model_name} {label} -> {output_path} "
        f"in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} {unit}/s)"
    )


def outreach_finish(settings, include_control_group: bool):
    """The outreach columns' step, with the store's published cards (the starter playbook
    on a store that has none yet, as the service does on first start)."""
    from functools import partial

    from assist_api.services.playbooks.catalog import StoreCardCatalog
    from assist_api.services.playbooks.editing import seed_if_empty
    from assist_api.services.playbooks.outreach import outreach_rows

    with open_store(settings) as store:
        seed_if_empty(store)
        cards = tuple(StoreCardCatalog(store, refresh_seconds=0).published())
    return partial(
        outreach_rows,
        cards=cards,
        salt=settings.holdout_salt,
        rate=settings.holdout_rate,
        include_control_group=include_control_group,
    )


@contextmanager
def dask_export(data_dir: Path, interactions, outcomes):
    """The store's rows as Parquet for the cluster's workers, deleted once training ends:
    they hold transcripts, and a copy left behind would outlive every purge."""
    from assist_api.services.outcomes.purge_copies import EXPORT_PREFIX
    from training.table_io import write_table

    data_dir.mkdir(parents=True, exist_ok=True)
    export = Path(tempfile.mkdtemp(prefix=f"{EXPORT_PREFIX}-", dir=data_dir))
    try:
        write_table(interactions, export / "interactions.parquet")
        write_table(outcomes, export / "outcomes.parquet")
        yield export
    finally:
        shutil.rmtree(export, ignore_errors=True)
