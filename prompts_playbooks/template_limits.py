"""Bounds on what card text may cost: filter arguments checked when saved, every branch
trial-rendered, and the rendered size capped while it is produced.

A lead's template is untrusted code that runs on the agents' real-time path. The sandbox
stops it reaching Python internals, but not from asking a filter for five million digits
(`percent(5000000)`) or from hiding a template that fails inside an `{% if %}` the sample
interactions never enter. So, in order:
1. `filter_argument_problems`: every filter argument must be a constant within the
   filter's declared bounds (`FILTER_ARGUMENTS`): no argument can make one filter call
   produce an unbounded string.
2. `branch_templates`: the template rewritten so that every branch of every `if`, every
   arm of `a if c else b` and both sides of `and` / `or` are evaluated in one render; the
   save-time check renders that for each check context, so a branch that fails (or
   overflows) fails the save, not a live request.
3. `render_bounded`: rendering stops as soon as the output passes `MAX_RENDERED_CHARS`
   (RenderTooLarge), so even a template that slipped past the checks costs bounded
   memory and time on the live path.
"""

import itertools
from collections.abc import Callable, Iterable

from jinja2 import nodes

MAX_RENDERED_CHARS = 1000  # a card's longest source text is 300 characters
MAX_CONSTANT_CHARS = 200
MAX_BRANCH_VARIANTS = 64  # expression variants one template may expand to when checked


class RenderTooLarge(ValueError):
    """The rendered text passed MAX_RENDERED_CHARS; nothing of it is shown."""


def _int_between(low: int, high: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
        return None

    return check


def _one_of(*choices: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _short_constant(value: object) -> str | None:
    if isinstance(value, str) and len(value) > MAX_CONSTANT_CHARS:
        return f"must be at most {MAX_CONSTANT_CHARS} characters"
    if not isinstance(value, str | int | float | bool) and value is not None:
        return "must be a text, number or true/false"
    return None


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


# filter -> its parameters after the value, in order: (name, check of a constant value)
FILTER_ARGUMENTS: dict[str, tuple[tuple[str, Callable[[object], str | None]], ...]] = {
    "percent": (("digits", _int_between(0, 4)),),
    "round": (("precision", _int_between(0, 4)), ("method", _one_of("common", "ceil", "floor"))),
    "default": (("default_value", _short_constant), ("boolean", _boolean)),
    "int": (("default", _int_between(-(10**9), 10**9)), ("base", _int_between(2, 36))),
    "trim": (("chars", _short_constant),),
    "lower": (),
    "upper": (),
    "title": (),
    "capitalize": (),
    "label": (),  # a code's name in the card's language (templates.label)
}


def filter_argument_problems(node: nodes.Filter) -> list[str]:
    """Why the arguments of one filter call may not be saved (empty: they may)."""
    spec = FILTER_ARGUMENTS.get(node.name)
    if spec is None:
        return []  # an unknown filter is refused by the whitelist check
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return [f"filter {node.name!r}: arguments must be written out, not unpacked"]
    if len(node.args) > len(spec):
        return [f"filter {node.name!r} takes at most {len(spec)} argument(s)"]
    given = list(zip((name for name, _ in spec), node.args, strict=False))
    given += [(keyword.key, keyword.value) for keyword in node.kwargs]
    checks = dict(spec)
    problems = []
    for name, argument in given:
        if name not in checks:
            problems.append(f"filter {node.name!r} has no argument {name!r}")
        elif not isinstance(argument, nodes.Const):
            problems.append(f"filter {node.name!r}: {name} must be a constant")
        elif reason := checks[name](argument.value):
            problems.append(f"filter {node.name!r}: {name} {reason}")
    return problems


class TooManyBranches(ValueError):
    pass


def _product(parts: list[list[nodes.Expr]]) -> Iterable[tuple[nodes.Expr, ...]]:
    total = 1
    for part in parts:
        total *= len(part)
    if total > MAX_BRANCH_VARIANTS:
        raise TooManyBranches
    return itertools.product(*parts)


def _variants(expr: nodes.Expr | None, checks: list[nodes.Expr]) -> list[nodes.Expr]:
    """Every value `expr` may take by choosing each conditional's arm; the conditions
    themselves go to `checks` (they must evaluate too, but print nothing)."""
    if expr is None:
        return [nodes.Const("")]
    if isinstance(expr, nodes.CondExpr):
        checks.extend(_variants(expr.test, checks))
        return _variants(expr.expr1, checks) + _variants(expr.expr2, checks)
    if isinstance(expr, nodes.And | nodes.Or):
        return _variants(expr.left, checks) + _variants(expr.right, checks)
    if isinstance(expr, nodes.Not):
        return [nodes.Not(v) for v in _variants(expr.node, checks)]
    if isinstance(expr, nodes.Filter | nodes.Test):
        inner = _variants(expr.node, checks)
        return [
            type(expr)(v, expr.name, expr.args, expr.kwargs, expr.dyn_args, expr.dyn_kwargs)
            for v in inner
        ]
    if isinstance(expr, nodes.Compare):
        parts = [_variants(expr.expr, checks)] + [_variants(op.expr, checks) for op in expr.ops]
        return [
            nodes.Compare(
                first, [nodes.Operand(op.op, v) for op, v in zip(expr.ops, rest, strict=True)]
            )
            for first, *rest in _product(parts)
        ]
    if isinstance(expr, nodes.Concat):
        return [nodes.Concat(list(c)) for c in _product([_variants(n, checks) for n in expr.nodes])]
    return [expr]  # Const, Name, Getattr: one value


def _flatten(body: list[nodes.Node], shown: list[nodes.Node], checks: list[nodes.Expr]) -> None:
    for node in body:
        if isinstance(node, nodes.If):
            checks.extend(_variants(node.test, checks))
            _flatten(node.body, shown, checks)
            for branch in node.elif_:
                checks.extend(_variants(branch.test, checks))
                _flatten(branch.body, shown, checks)
            _flatten(node.else_, shown, checks)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    shown.append(child)
                else:
                    shown.extend(_variants(child, checks))
        else:
            raise TypeError(f"unexpected {type(node).__name__}")  # refused by the whitelist


def branch_templates(tree: nodes.Template) -> tuple[nodes.Template, nodes.Template]:
    """(every branch's output in one template, every condition in another).

    Rendering the first gives at least as many characters as any single path through the
    original can (so it also bounds the size); rendering the second evaluates every
    condition. Raises TooManyBranches past MAX_BRANCH_VARIANTS.
    """
    shown: list[nodes.Node] = []
    checks: list[nodes.Expr] = []
    _flatten(tree.body, shown, checks)
    outputs = nodes.Template([nodes.Output(shown)]) if shown else nodes.Template([])
    conditions = nodes.Template([nodes.Output(checks)]) if checks else nodes.Template([])
    return outputs, conditions


def render_bounded(template, namespaces: dict, limit: int = MAX_RENDERED_CHARS) -> str:
    """`template` rendered, raising RenderTooLarge as soon as it passes `limit` characters."""
    parts, size = [], 0
    for chunk in template.generate(namespaces):
        size += len(chunk)
        if size > limit:
            raise RenderTooLarge(f"renders to more than {limit} characters")
        parts.append(chunk)
    return "".join(parts)
