"""The `value-assist` command line: one click group, one module per topic.

Commands call the same services the HTTP routes call; nothing here holds domain logic.
The topic modules are imported when the group first lists or looks up a command, not
when this package is imported, so importing `assist_api.cli` does no work.
"""

import click


class CommandGroup(click.Group):
    """The main group: each topic module's `register(group)` adds its commands, once."""

    _registered = False

    def _register_topics(self) -> None:
        if self._registered:
            return
        self._registered = True
        from assist_api.cli import (
            data,
            demo,
            models,
            playbooks,
            pools,
            privacy,
            reasons,
            reports,
            routing,
            service,
            simulate,
        )

        for topic in (
            data,
            demo,
            service,
            playbooks,
            simulate,
            pools,
            routing,
            models,
            reasons,
            privacy,
            reports,
        ):
            topic.register(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._register_topics()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._register_topics()
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup)
@click.version_option(package_name="value-assist")
def main():
    """Value Assist: value-enhancement guidance for customer-service agents."""
