"""Card text as sandboxed Jinja2 templates: checked when saved, compiled once, rendered fast.

Cards are written by CS leads in a web editor, so their text is untrusted code. Three
layers keep it harmless:
1. `check_template` walks the parsed template and accepts only a small set of node
   types, the whitelisted `customer.*` / `interaction.*` fields and a few filters. Any
   `_`-attribute (`''.__class__`), call, loop, import or arithmetic is rejected, so a bad
   card fails when it is saved, never at request time.
   Filter arguments must be constants within each filter's bounds (`template_limits`).
2. Every branch of the template is trial-rendered against `CHECK_CONTEXTS` at the same
   moment, within the rendered-size cap.
3. Rendering itself runs in Jinja2's `SandboxedEnvironment` with `StrictUndefined`, and
   stops once the output passes `MAX_RENDERED_CHARS`.

Only fields that are useful in conversation and harmless to show are exposed: no ids,
no CLV (a commercial figure never to be read out to a customer), no sentiment, no
transcript.
"""

from functools import lru_cache

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from prompts_playbooks.context import CHECK_CONTEXTS, InteractionContext
from prompts_playbooks.labels import LABELLED_FIELDS, value_label
from prompts_playbooks.template_limits import (
    FILTER_ARGUMENTS,
    TooManyBranches,
    branch_templates,
    filter_argument_problems,
    render_bounded,
)

ALLOWED_FIELDS = {
    "customer": (
        "days_since_purchase",
        "persona",
        "plan_tier",
        "products_owned",
        "feature_adoption",
    ),
    "interaction": ("channel", "contact_reason", "language"),
}
ALLOWED_VARIABLES = tuple(
    f"{root}.{name}" for root, names in ALLOWED_FIELDS.items() for name in names
)
ALLOWED_FILTERS = frozenset(FILTER_ARGUMENTS)
ALLOWED_TESTS = frozenset({"none", "defined", "number", "string"})
# Output, conditions and comparisons only: no calls, loops, assignments, imports,
# subscripts or arithmetic (`'x' * 10**9` would exhaust memory even in the sandbox).
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.Getattr,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
)
_MARKERS = ("{{", "{%", "{#")
# The language the card is shown in, for `label`. Not a name a template can use: the save
# check accepts only `customer` and `interaction`.
CARD_LANGUAGE = "_card_language"


MAX_PERCENT_DIGITS = 4


def percent(value: float | None, digits: int = 0) -> str:
    """0.35 -> "35%": feature adoption is stored as a share but spoken as a percentage.

    `digits` comes from the template: the save-time check bounds it, and so does this
    (a card stored before that check must not build a megabyte-long number)."""
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError("percent: digits must be a whole number")
    if not 0 <= digits <= MAX_PERCENT_DIGITS:
        raise ValueError(f"percent: digits must be from 0 to {MAX_PERCENT_DIGITS}")
    if value is None:
        return ""
    return f"{value * 100:.{digits}f}%"


# Card text is plain text: the API returns it in JSON and pages escape all of it on display
# (`render.render_html`). Jinja's autoescape would not do, as it leaves the template's own
# literal text unescaped, and that text comes from the editor too.
ENV = SandboxedEnvironment(
    undefined=StrictUndefined,
    autoescape=False,
    # An unknown contact reason is None: print nothing rather than "None".
    finalize=lambda value: "" if value is None else value,
)
ENV.filters["percent"] = percent


@pass_context
def label(context: Context, value: str | None) -> str:
    """`{{ customer.plan_tier | label }}`: the plan's (or persona's) name in the card's
    language, "Standard" / 「スタンダード」, instead of the code `standard`. Only after
    `customer.persona` or `customer.plan_tier` (checked when saved); a lookup in a fixed
    table, so its output is never longer than its input or the longest label."""
    return value_label(value, context.get(CARD_LANGUAGE) or "en")


ENV.filters["label"] = label


def template_namespaces(context: InteractionContext, language: str | None = None) -> dict:
    """The only names a template sees, for a card shown in `language` (default: the
    interaction's)."""
    customer = ((name, getattr(context, name)) for name in ALLOWED_FIELDS["customer"])
    return {
        # an unknown value is left out: a text using it fails (StrictUndefined) and its
        # card is not shown, unless the text says what to write instead (`| default(...)`)
        "customer": {name: value for name, value in customer if value is not None},
        "interaction": {
            "channel": context.channel,
            "contact_reason": context.contact_reason,
            "language": context.language,
        },
        CARD_LANGUAGE: language or context.language,
    }


@lru_cache(maxsize=8192)
def compiled(source: str):
    """The compiled template for `source`, or the plain string when it has no markup.

    Keyed by the text itself, so every card version compiles once per process and a
    draft preview can never be served a stale template. Plain strings skip Jinja.
    """
    if not any(marker in source for marker in _MARKERS):
        return source
    return ENV.from_string(source)


def render(source: str, namespaces: dict[str, dict]) -> str:
    """`source` rendered as plain text for one interaction."""
    template = compiled(source)
    if isinstance(template, str):
        return template.strip()
    return render_bounded(template, namespaces).strip()


def _check_node(node: nodes.Node, parent: nodes.Node | None, reasons: list[str]) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        reasons.append(
            f"{type(node).__name__} is not allowed in card text: use fields, filters, "
            "if and comparisons only"
        )
    elif isinstance(node, nodes.Getattr):
        if node.attr.startswith("_"):
            reasons.append(f"attribute {node.attr!r} reaches Python internals")
        elif not isinstance(node.node, nodes.Name) or node.node.name not in ALLOWED_FIELDS:
            reasons.append(f"attribute {node.attr!r} may only follow customer. or interaction.")
        elif node.attr not in ALLOWED_FIELDS[node.node.name]:
            reasons.append(
                f"unknown variable '{node.node.name}.{node.attr}'; "
                f"allowed: {', '.join(ALLOWED_VARIABLES)}"
            )
    elif isinstance(node, nodes.Name):
        if node.name not in ALLOWED_FIELDS:
            reasons.append(f"unknown variable {node.name!r}")
        elif not isinstance(parent, nodes.Getattr):
            example = f"{node.name}.{ALLOWED_FIELDS[node.name][0]}"
            reasons.append(f"use a field of {node.name!r} such as {example}, not the whole object")
    elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        allowed = ", ".join(sorted(ALLOWED_FILTERS))
        reasons.append(f"filter {node.name!r} is not allowed; allowed: {allowed}")
    elif isinstance(node, nodes.Filter):
        reasons.extend(filter_argument_problems(node))
        if node.name == "label" and not _labelled_field(node.node):
            fields = " or ".join(f"customer.{name}" for name in LABELLED_FIELDS)
            reasons.append(f"filter 'label' names a code: use it right after {fields}")
    elif isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
        reasons.append(f"test {node.name!r} is not allowed")
    for child in node.iter_child_nodes():
        _check_node(child, node, reasons)


def _labelled_field(node: nodes.Node | None) -> bool:
    return (
        isinstance(node, nodes.Getattr)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "customer"
        and node.attr in LABELLED_FIELDS
    )


def check_template(source: str) -> list[str]:
    """Every reason `source` may not be saved as card text; empty when it is safe."""
    try:
        tree = ENV.parse(source)
    except TemplateSyntaxError as exc:
        return [f"template error on line {exc.lineno}: {exc.message}"]
    reasons = [
        f"unknown variable {name!r}"
        for name in sorted(meta.find_undeclared_variables(tree) - ALLOWED_FIELDS.keys())
    ]
    _check_node(tree, None, reasons)
    if not reasons:
        reasons.extend(_render_every_branch(tree))
    return list(dict.fromkeys(reasons))  # the same reason once, in order


def _render_every_branch(tree: nodes.Template) -> list[str]:
    """Render all branches at once for each check context: a branch that fails, or all of
    them together past the size cap, blocks the save (not a live request later)."""
    try:
        variants = branch_templates(tree)
    except TooManyBranches:
        return ["too many conditions in one text: split it or simplify the conditions"]
    checked = []
    for variant in variants:
        variant.set_environment(ENV)
        variant.set_lineno(1)
        checked.append(ENV.from_string(variant))
    for sample in CHECK_CONTEXTS:
        names = template_namespaces(sample)
        for template in checked:
            try:
                render_bounded(template, names)
            except Exception as exc:  # any failure here must block the save
                return [f"does not render for a sample interaction: {exc}"]
    return []
