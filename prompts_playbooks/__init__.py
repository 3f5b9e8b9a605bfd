"""Playbook cards as data: schema, loader, rule checks and a sandboxed renderer.

Modules: `cards` (the frozen data), `schema` (marshmallow validation), `loader` (YAML
files in and out), `templates` (the sandbox), `render`, `context` and `rules` (the fast,
pandas-free checks the assist path runs per request). Imports only `features.vocabulary`,
the one shared constants module, so the playbook can never disagree with the contract.
"""

from pathlib import Path

SHIPPED_CARDS_DIR = Path(__file__).parent / "cards"
