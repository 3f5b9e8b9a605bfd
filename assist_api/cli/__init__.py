"""The `value-assist` command line: one click group, one module per topic.

Commands call the same services the HTTP routes call; nothing here holds domain logic.
"""

import importlib

import click

# Each module defines `register(group)` and adds its commands to the main group.
COMMAND_MODULES = (
    "assist_api.cli.data",
    "assist_api.cli.demo",
    "assist_api.cli.service",
    "assist_api.cli.playbooks",
    "assist_api.cli.simulate",
    "assist_api.cli.pools",
    "assist_api.cli.routing",
    "assist_api.cli.models",
    "assist_api.cli.reasons",
    "assist_api.cli.privacy",
    "assist_api.cli.reports",
)


@click.group()
@click.version_option(package_name="value-assist")
def main():
    """Value Assist: value-enhancement guidance for customer-service agents."""


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(main)
