"""`value-assist demo`: simulate, train, register, seed and serve — on embedded defaults."""

import json
import shlex
from pathlib import Path

import click

from assist_api.cli.context import settings_from_env


# What the printed /v1/assist sample sends: a made-up contact (the API docs' example
# customer), posted with the test key.
def sample_assist() -> dict:
    from assist_api.schemas.customers import EXAMPLE_PROFILE

    return {
        "interaction_id": "demo-sample-1",
        "customer": {"customer_id": "demo-sample-customer", **EXAMPLE_PROFILE},
        "channel": "phone",
        "language": "en",
        "contact_reason": "inquiry",
        "transcript": ["How do I set up the sharing feature?"],
        "customer_sentiment": 0.2,
        "elapsed_seconds": 95,
    }


def register(group: click.Group) -> None:
    group.add_command(demo)


def sample_calls(base: str, key: str) -> list[str]:
    """The curl calls the demo prints, all with `key` (the test-flagged sample key)."""
    auth = shlex.quote(f"Authorization: Bearer {key}")
    body = shlex.quote(json.dumps(sample_assist(), ensure_ascii=False))
    return [
        f"curl -s -H {auth} {base}/v1/models/current",
        f"curl -s -H {auth} -H 'Content-Type: application/json' -d {body} {base}/v1/assist",
    ]


@click.command()
@click.option("--data-dir", type=click.Path(path_type=Path), help="default: VALUE_ASSIST_DATA_DIR")
@click.option("--interactions", default=30_000, show_default=True, type=int)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="prepare everything, then stop")
def demo(data_dir, interactions, port, workers, no_serve):
    """Simulate a demo world, train and register a model, seed playbooks, pools and API keys,
    and serve on 127.0.0.1."""
    from assist_api.serve import serve
    from assist_api.services.studies.demo import prepare_demo

    settings = settings_from_env()
    if data_dir is not None:
        data_dir = data_dir.resolve()
        settings = settings.with_overrides(
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'value_assist.db'}",
            mlflow_tracking_uri=f"sqlite:///{data_dir / 'mlflow.db'}",
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    info = prepare_demo(settings, interactions, echo=click.echo)
    base = f"http://127.0.0.1:{port}"
    click.echo("")
    click.echo(f"model ve-openness version {info.model_version} is the champion")
    click.echo("API keys (shown once; only their hashes are stored):")
    for role, key in info.keys.items():
        click.echo(f"  {role:<9} {key}")
    click.echo(f"agent desk:      {base}/ui/desk")
    click.echo(f"playbook editor: {base}/ui/playbooks")
    click.echo(f"ROI dashboard:   {base}/ui/reports/roi")
    click.echo(f"API docs:        {base}/docs")
    click.echo("sample calls (a test key: they never count in reports or training):")
    for call in sample_calls(base, info.sample_key):
        click.echo(f"  {call}")
    if no_serve:
        return
    serve("127.0.0.1", port, workers, settings.data_dir, app_config=settings)
