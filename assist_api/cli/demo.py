"""`value-assist demo`: simulate, train, register, seed and serve — on embedded defaults."""

import json
import shlex
from pathlib import Path

import click

from assist_api.cli.context import settings_from_env

# What the printed /v1/assist samples send: a made-up contact in each card language (the
# API docs' example customer, under a demo id), posted with the test key.
SAMPLE_LINES = {
    "en": ("How do I set up the sharing feature?", "chat"),
    "ja": ("共有機能の設定方法を教えてください。", "phone"),
}


def sample_assist(language: str = "en") -> dict:
    from assist_api.schemas.customers import EXAMPLE_PROFILE

    line, channel = SAMPLE_LINES[language]
    return {
        "interaction_id": f"demo-sample-{language}-1",
        "customer": {"customer_id": f"demo-sample-customer-{language}", **EXAMPLE_PROFILE},
        "channel": channel,
        "language": language,
        "contact_reason": "how_to",
        "transcript": [f"Customer: {line}"],
        "customer_sentiment": 0.2,
        "elapsed_seconds": 95,
    }


def register(group: click.Group) -> None:
    group.add_command(demo)


def sample_calls(base: str, key: str) -> list[str]:
    """The curl calls the demo prints, all with `key` (the test-flagged sample key)."""
    auth = shlex.quote(f"Authorization: Bearer {key}")
    json_type = "-H 'Content-Type: application/json'"
    calls = [f"curl -s -H {auth} {base}/v1/models/current"]
    for language in SAMPLE_LINES:
        body = shlex.quote(json.dumps(sample_assist(language), ensure_ascii=False))
        calls.append(f"curl -s -H {auth} {json_type} -d {body} {base}/v1/assist")
    return calls


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
    click.echo(f"API docs:        {base}/docs  (Authorize with the sample key: a test key)")
    click.echo(f"sample key:      {info.sample_key}")
    click.echo("sample calls (a test key: they never count in reports or training):")
    for call in sample_calls(base, info.sample_key):
        click.echo(f"  {call}")
    if no_serve:
        return
    serve("127.0.0.1", port, workers, settings.data_dir, app_config=settings)
