"""`value-assist pools ...`: the command-line twin of /v1/pools, through the same schemas.

pools list [--json]                  pools, members' skill and free seats
pools set POOL_ID FILE.json          create or replace a pool (the PUT /v1/pools body)
pools import FILE.json               several pools ([{pool_id, ...}]), all or nothing
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.service import local_actor


def register(group: click.Group) -> None:
    group.add_command(pools)


def load_json(schema, path: Path, many: bool = False):
    """The file's JSON through the API's schema; every problem printed as field: reason."""
    from marshmallow import ValidationError

    from assist_api.errors import flatten_messages

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path}: not readable JSON: {exc}") from exc
    try:
        return schema.load(raw, many=many)
    except ValidationError as exc:
        lines = [
            f"{path}: {name}: {'; '.join(reasons)}"
            for name, reasons in flatten_messages(exc.messages).items()
        ]
        raise click.ClickException("\n".join(lines)) from exc


def service_call(action):
    """Run a service call; its AssistError becomes a CLI error naming every field."""
    from assist_api.errors import AssistError

    try:
        return action()
    except AssistError as exc:
        fields = exc.details.get("fields", {})
        lines = [f"{name}: {'; '.join(reasons)}" for name, reasons in fields.items()]
        raise click.ClickException("\n".join([exc.message, *lines])) from exc


@click.group()
def pools():
    """Agent pools: members, languages, channels, measured skill, free seats."""


@pools.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the GET /v1/pools JSON.")
def pools_list(as_json):
    """List pools with their members' measured skill and their free seats."""
    from assist_api.schemas.pools import PoolListSchema
    from assist_api.services.routing.pools import list_pools

    settings = settings_from_env()
    with open_store(settings) as store:
        found = list_pools(
            store,
            now=datetime.now(UTC),
            stale_seconds=settings.capacity_stale_seconds,
            min_attempts=settings.skill_min_attempts,
        )
    if as_json:
        click.echo(json.dumps(PoolListSchema().dump({"pools": found}), indent=2))
        return
    for pool in found:
        skill = pool["measured_skill"]
        seats = pool["capacity"]
        free = "unknown" if seats["free"] is None or seats["stale"] else seats["free"]
        click.echo(
            f"{pool['pool_id']:<16} {'value ' if pool['is_value_pool'] else '      '}"
            f"members {len(pool['members']):>4}  skill "
            f"{'n/a' if skill is None else f'{skill:+.3f}':>7}  free seats {free}  "
            f"{','.join(pool['languages'])} / {','.join(pool['channels'])}"
        )


@pools.command("set")
@click.argument("pool_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def pools_set(pool_id, file):
    """Create or replace POOL_ID from FILE (the PUT /v1/pools/{pool_id} JSON body)."""
    from assist_api.schemas.pools import PoolRequestSchema
    from assist_api.services.routing.pools import put_pool

    data = load_json(PoolRequestSchema(), file)
    with open_store(settings_from_env()) as store:
        created = service_call(
            lambda: put_pool(store, pool_id, data, actor=local_actor(), now=datetime.now(UTC))
        )
    click.echo(
        f"pool {pool_id} {'created' if created else 'replaced'} with "
        f"{len(data['members'])} member(s)"
    )


@pools.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def pools_import(file):
    """Create or replace every pool in FILE (a JSON list of pools with pool_id)."""
    from assist_api.schemas.pools import PoolImportSchema
    from assist_api.services.routing.pools import import_pools

    data = load_json(PoolImportSchema(), file, many=True)
    with open_store(settings_from_env()) as store:
        saved = service_call(
            lambda: import_pools(store, data, actor=local_actor(), now=datetime.now(UTC))
        )
    click.echo(f"{len(saved)} pool(s) saved: {', '.join(saved)}")
