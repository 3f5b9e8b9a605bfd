"""`value-assist routing suggest-pool --activity A`: a pool by competence (e.g. educators)."""

import json
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from features.vocabulary import SYNCHRONOUS_CHANNELS


def suggest_for_activity(activity: str, pool_id: str, size: int | None, out: Path | None):
    """Print the agents proven on `activity`; with --out, a PUT body for a new pool of them
    (a value pool on the live channels, its skill named), for a lead to review."""
    from assist_api.schemas.pools import PoolRequestSchema
    from assist_api.services.routing.activity_skill import suggest_activity_pool
    from assist_api.services.routing.pool_skill import stored_activity_cells

    settings = settings_from_env()
    with open_store(settings) as store:
        measured = stored_activity_cells(store, activity)
    if not measured:
        raise click.ClickException(
            f"no agent measured on {activity} yet: run `value-assist routing skill --by-activity`"
        )
    languages = {cell.agent_id: langs for cell, langs in measured}
    suggested = suggest_activity_pool([cell for cell, _ in measured], activity, size)
    for c in suggested:
        click.echo(f"{c.agent_id:<12} {c.skill:+.3f} [{c.low:+.3f}, {c.high:+.3f}]  {c.attempts}")
    pool_id = pool_id if pool_id != "ve_champions" else f"{activity}_specialists"
    click.echo(
        f"{len(suggested)} agent(s) proven on {activity} suggested for {pool_id}; "
        "nothing was changed"
    )
    if out and suggested:
        body = {
            "name": f"{activity} specialists",
            "description": f"Agents whose measured {activity} skill clears the average agent",
            "is_value_pool": True,
            "languages": sorted({lang for c in suggested for lang in languages[c.agent_id]}),
            "channels": sorted(SYNCHRONOUS_CHANNELS),
            "skills": [activity],
            "members": [
                {"agent_id": c.agent_id, "languages": languages[c.agent_id]} for c in suggested
            ],
        }
        out.write_text(json.dumps(PoolRequestSchema().dump(body), indent=2, ensure_ascii=False))
        click.echo(f"review {out}, then accept it with: value-assist pools set {pool_id} {out}")
