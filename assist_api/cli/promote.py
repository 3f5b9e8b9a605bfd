"""`value-assist promote VERSION`: point the champion alias at a version by hand.

The training-time rule (training.promote) already promotes a candidate that wins; this is
the manual override, refused without --force for a version that lost or whose feature
spec differs. Heavy libraries are imported inside the command.
"""

import getpass
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env


def _lost_to(info, champion_info) -> str | None:
    """Why `info` lost to this champion when it was trained, or None if it did not."""
    if champion_info is None or champion_info.version == info.version:
        return None
    tags = info.tags
    compared = tags.get("champion_version_compared")
    reason = tags.get("promotion.reason", "")
    if compared == champion_info.version and reason.startswith("not better"):
        return reason
    return None


def _spec(client, info) -> dict:
    import tempfile

    from models.artifacts import load_fast_path
    from models.registry import download_fast_path

    with tempfile.TemporaryDirectory() as folder:
        return load_fast_path(download_fast_path(client, info, Path(folder))).spec


@click.command("promote")
@click.argument("version")
@click.option("--actor", default=None, help="Who is promoting (default: the OS user).")
@click.option(
    "--force",
    is_flag=True,
    help="Promote even though it lost to the champion, or its feature spec differs from the "
    "champion's.",
)
def promote(version, actor, force):
    """Point the champion alias at VERSION (manual override; recorded in the audit log).

    A version whose feature spec differs from the champion's changes what every worker
    builds from a request, and the two cannot be compared on the same rows; that takes
    --force, as does a version that lost to the champion at training time.
    """
    from mlflow.exceptions import MlflowException

    from assist_api.services.audit import record_audit
    from models.registry import champion, connect, set_alias, version_info

    settings = settings_from_env()
    client = connect(settings.mlflow_tracking_uri)
    name, alias = settings.model_name, settings.model_alias
    try:
        info = version_info(client, name, version)
    except MlflowException as exc:
        raise click.ClickException(f"{name} has no version {version!r}") from exc
    previous = champion(client, name, alias)
    lost = _lost_to(info, previous)
    if lost and not force:
        raise click.ClickException(
            f"version {info.version} lost to the champion v{previous.version} on the same test "
            f"rows at training time ({lost}); pass --force to promote it anyway"
        )
    if previous is not None and not force and _spec(client, info) != _spec(client, previous):
        raise click.ClickException(
            f"{name} version {info.version} was trained with a different feature spec than "
            f"the champion v{previous.version}: check it, then pass --force"
        )
    actor = actor or getpass.getuser()
    with open_store(settings) as store, store.uow() as uow:
        record_audit(
            uow.session,
            actor=actor,
            action="promote_model",
            entity_type="model",
            entity_id=f"{name}:{info.version}",
            details={
                "alias": alias,
                "version": info.version,
                "previous_version": previous.version if previous else None,
                "run_id": info.run_id,
                "test_roc_auc": info.metrics.get("test_roc_auc"),
                "test_log_loss": info.metrics.get("test_log_loss"),
                "forced": force,
            },
        )
        set_alias(client, name, info.version, alias)
        uow.commit()
    client.set_model_version_tag(name, info.version, "promoted_by", actor)
    was = f" (was v{previous.version})" if previous else ""
    click.echo(f"{name} @{alias} -> version {info.version}{was}; recorded as {actor}")
