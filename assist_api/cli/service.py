"""`value-assist serve` and `value-assist keys …`."""

from datetime import UTC, datetime

import click

from assist_api.cli.context import open_store, settings_from_env
from features.vocabulary import ROLES


def register(group: click.Group) -> None:
    group.add_command(serve_command)
    group.add_command(keys)
    group.add_command(settings_command)


@click.command("settings")
def settings_command():
    """Print every setting: environment variable, default and meaning (Markdown)."""
    from assist_api.config import settings_reference

    click.echo("| variable | default | meaning |\n| --- | --- | --- |")
    for name, default, meaning in settings_reference():
        click.echo(f"| `{name}` | `{default}` | {meaning} |")


def local_actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="about one per core")
@click.option(
    "--threads", default=None, type=int, help="per worker (default: VALUE_ASSIST_SERVE_THREADS)"
)
@click.option(
    "--keepalive",
    default=None,
    type=int,
    help="seconds an idle connection is kept (default: VALUE_ASSIST_SERVE_KEEPALIVE_SECONDS)",
)
def serve_command(host, port, workers, threads, keepalive):
    """Serve the API under gunicorn (gthread workers; migrations are applied first)."""
    from assist_api.serve import serve
    from assist_api.store.migrate import upgrade

    settings = settings_from_env()
    upgrade(settings.database_url)
    threads = threads or settings.serve_threads
    keepalive = settings.serve_keepalive_seconds if keepalive is None else keepalive
    click.echo(
        f"serving on http://{host}:{port} with {workers} workers x {threads} threads "
        f"(keep-alive {keepalive} s)"
    )
    # The workers size their long-poll cap (guidance_max_waits) from the threads they run.
    app_config = {"serve_threads": threads} if threads != settings.serve_threads else None
    serve(
        host,
        port,
        workers,
        settings.data_dir,
        threads=threads,
        keepalive=keepalive,
        app_config=app_config,
    )


@click.group()
def keys():
    """API keys: create (shown once), list, revoke."""


@keys.command("create")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", required=True)
@click.option(
    "--test",
    is_flag=True,
    help="A test key: its traffic is left out of every report and training set.",
)
@click.option("--agent-id", default=None, help="Bind an agent key to this agent.")
@click.option("--team", default=None, help="Bind an agent key to this team (a pool id).")
def keys_create(role, name, test, agent_id, team):
    """Create an API key; it is printed once and only its hash is stored."""
    from assist_api.errors import InvalidFields
    from assist_api.services.access.keys import create_key
    from assist_api.store.migrate import upgrade

    settings = settings_from_env()
    upgrade(settings.database_url)
    with open_store(settings) as store, store.uow() as uow:
        try:
            key = create_key(
                uow.session,
                role=role,
                name=name,
                actor=local_actor(),
                now=datetime.now(UTC),
                test=test,
                agent_id=agent_id,
                team=team,
            )
        except InvalidFields as exc:
            reasons = "; ".join(f"{f}: {', '.join(r)}" for f, r in exc.details["fields"].items())
            raise click.BadParameter(reasons) from exc
        uow.commit()
    click.echo(key)


@keys.command("list")
def keys_list():
    """List keys (never the keys themselves)."""
    from assist_api.services.access.keys import list_keys

    with open_store(settings_from_env()) as store, store.uow() as uow:
        for row in list_keys(uow.session):
            state = f"revoked {row['revoked_at']:%Y-%m-%d}" if row["revoked_at"] else "active"
            used = row["last_used_at"] or "never"
            test = " (test)" if row["test"] else ""
            bound = row["agent_id"] or row["team"]
            bound = f"  bound to {'agent' if row['agent_id'] else 'team'} {bound}" if bound else ""
            click.echo(
                f"{row['key_id']}  {row['role']:<9} {state:<18} last used {used}  "
                f"{row['name']}{test}{bound}"
            )


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id):
    """Revoke a key by its id (the part after va_ and before the next _)."""
    from assist_api.errors import NotFound
    from assist_api.services.access.keys import revoke_key

    with open_store(settings_from_env()) as store, store.uow() as uow:
        try:
            revoke_key(uow.session, key_id, actor=local_actor(), now=datetime.now(UTC))
        except NotFound as exc:
            raise click.ClickException(exc.message) from exc
        uow.commit()
    click.echo(f"revoked {key_id}")
