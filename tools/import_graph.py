"""The import graph of our own packages, read with `ast`, and the cycles in it.

Usage:  .venv/bin/python tools/import_graph.py [--root DIR]

Every `import` and `from … import` counts, at module level or inside a function (a
function-level import still ties the two modules together; it only hides the tie from
import time). `from package import name` counts as an import of `package.name` when that
is a module, else of `package`. Tests and migrations are left out: they are leaves.
Prints the number of modules, of edges and each cycle (a strongly connected component
of more than one module), and exits 1 if there is any.
"""

import argparse
import ast
import sys
from pathlib import Path

PACKAGES = ("assist_api", "features", "models", "training", "prompts_playbooks")
SKIPPED_PARTS = {"migrations", "__pycache__"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path) -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if not SKIPPED_PARTS & set(path.relative_to(root).parts):
                modules[module_name(root, path)] = path
    return modules


def imported(node: ast.AST, here: str, is_package: bool, modules: dict) -> set[str]:
    """Our modules that one import statement reaches (relative imports resolved)."""
    found = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            found.add(alias.name)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = here.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            found.add(candidate if candidate in modules else base)
    return {_owner(name, modules) for name in found} - {None, here}


def _owner(name: str, modules: dict) -> str | None:
    """The longest prefix of a dotted name that is one of our modules."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = project_modules(root)
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= imported(node, name, is_package, modules)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    graph = import_graph(args.root)
    found = cycles(graph)
    edges = sum(len(targets) for targets in graph.values())
    print(f"{len(graph)} modules, {edges} import edges, {len(found)} cycles")
    for component in found:
        print("cycle:", " <-> ".join(component))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
