"""Bad input at scale: Schemathesis against the live /openapi.json, every operation.

A real `value-assist serve` (gunicorn, 2 workers) with a tiny real champion, on SQLite
and on PostgreSQL; an admin key passes every role check, so generated requests reach the
schemas and the services. Every operation in the live document gets its examples, the
coverage phase's boundary values and a bounded number of generated requests, valid and
invalid. Every response must be below 500 and match the operation's documented schema
(errors match the contract's error shape, every operation's default response). Routes
added later are covered as soon as they are in the document.

Schemathesis runs as its command line (`st run`): its pytest integration does not load
a schema from a fixture under pytest 9. One Schemathesis worker: with two, its coverage
phase sometimes fails inside Hypothesis (a thread-safety error, not a finding). The JSON
report is kept in test-artifacts/.

Wrong-method requests with a body (the coverage phase's QUERY/DELETE/PUT/GET to an operation)
once timed out after 10 s under the gthread keep-alive workers: Flask answered 405 without
reading the body, and gunicorn's discard after the answer could swallow the client's next
request (assist_api/body_drain.py reads it first; tests/routes/test_body_drain.py).
"""

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.databases import temporary_database
from tests.helpers.server import BIN, create_key, serve, service_env, stop
from tests.helpers.tiny_model import register_tiny_model

pytestmark = pytest.mark.integration
EXAMPLES_PER_OPERATION = 15
CHECKS = "not_a_server_error,response_schema_conformance"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("registry")
    tracking = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(tracking, folder / "mlartifacts")
    return tracking


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_no_server_error_and_every_response_matches_the_schema(tmp_path, registry, kind):
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"schemathesis-{kind}.json"
    with temporary_database(kind, tmp_path) as url:
        # connectors configured (unconfigured they answer 503 by design); long-polls short
        # enough to answer inside Schemathesis' request timeout
        env = service_env(
            tmp_path / "data",
            url,
            registry,
            twilio_auth_token="test-twilio-token",
            zendesk_webhook_secret="test-zendesk-secret",
            guidance_wait_seconds=1.0,
            guidance_poll_seconds=0.5,
        )
        service = serve(env, ready_path="/readyz")
        try:
            key = create_key(service.env, "admin")
            run = subprocess.run(
                [str(BIN / "st"), "run", f"{service.url}/openapi.json"]
                + ["--header", f"Authorization: Bearer {key}", "--checks", CHECKS]
                + ["--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", "20261123"]
                + ["--phases", "examples,coverage,fuzzing", "--workers", "1"]
                + ["--generation-database", "none", "--suppress-health-check", "all"]
                + ["--report", "json", "--report-json-path", str(report), "--no-color"],
                capture_output=True,
                text=True,
                timeout=900,
                cwd=tmp_path,  # its cache folder (.schemathesis/) stays out of the repository
            )
        finally:
            stop(service)
    summary = json.loads(report.read_text())
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert summary["failures"] == [] and summary["errors"] == []
    assert summary["operations"]["tested"] == summary["operations"]["total"] >= 15
    assert summary["test_cases"]["generated"] >= 10 * summary["operations"]["total"]
