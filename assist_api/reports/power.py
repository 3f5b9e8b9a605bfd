"""How many customers a plan needs: the sample size computed when the plan is declared.

For the primary measure's minimum effect worth detecting (delta), a two-sided test at
alpha = 5 % with 80 % power, and the control group's share h of customers:

    N = (z_{1-alpha/2} + z_{power})^2 x (var_offered / (1 - h) + var_holdout / h) / delta^2

customers in total. A share's variances are p(1 - p) at the baseline rate p (offered at
p + delta); a mean's are the baseline's variance in both arms. Contact-level measures are
clustered by customer: N is then multiplied by the design effect measured on the baseline
data (the clustered variance over the variance as if contacts were independent) and
divided by the contacts per customer, so it is still counted in customers.
"""

import math

import numpy as np
from scipy.stats import norm

from assist_api.reports.clustered import cluster_mean
from assist_api.reports.customers import customer_frame
from assist_api.reports.effects import MEASURES
from assist_api.reports.units import CUSTOMER_MEASURES

ALPHA = 0.05
POWER = 0.80
METHOD = (
    "two-sided z test at alpha 5 % with 80 % power, unequal allocation by the holdout "
    "share; contact-level measures scaled by the design effect of repeat contacts"
)


def customers_needed(
    *,
    kind: str,
    baseline: float,
    minimum_effect: float,
    holdout_rate: float,
    sd: float | None = None,
    design_effect: float = 1.0,
    contacts_per_customer: float = 1.0,
) -> int | None:
    """Customers in total (both arms) to detect `minimum_effect`, or None if impossible."""
    if minimum_effect == 0 or not 0 < holdout_rate < 1:
        return None
    if kind == "share":
        treated = baseline + minimum_effect
        if not 0 <= baseline <= 1 or not 0 <= treated <= 1:
            return None
        var_offered, var_holdout = treated * (1 - treated), baseline * (1 - baseline)
    else:
        if sd is None or not math.isfinite(sd):
            return None
        var_offered = var_holdout = sd**2
    z = norm.ppf(1 - ALPHA / 2) + norm.ppf(POWER)
    per_unit = var_offered / (1 - holdout_rate) + var_holdout / holdout_rate
    units = z**2 * per_unit / minimum_effect**2
    customers = units * max(design_effect, 1.0) / max(contacts_per_customer, 1.0)
    return int(math.ceil(customers))


HISTORY_DAYS = 90
MIN_HISTORY = 30  # values before a baseline is read from history


def declaration_power(frame, primary: dict, holdout_rate: float) -> dict:
    """The power section stored with a plan, from the history rows in `frame` (the
    population's contacts in the HISTORY_DAYS before declaration; may be empty).

    The baseline comes from the control group when it holds enough values, else from all
    rows, else from the plan's own `baseline` / `sd`; the design effect of repeat contacts
    (contact-level measures) is measured on the same history.
    """
    measure = primary["measure"]
    kind = MEASURES[measure].kind if measure in MEASURES else "mean"
    baseline, sd, source = primary.get("baseline"), primary.get("sd"), "declared"
    design, per_customer = 1.0, 1.0
    if measure in MEASURES and len(frame):
        customer_level = measure in CUSTOMER_MEASURES
        rows = customer_frame(frame) if customer_level else frame
        values = rows[measure].to_numpy(float)
        control = values[rows["holdout"].to_numpy(bool)]
        usable = control[~np.isnan(control)]
        if usable.size < MIN_HISTORY:
            usable = values[~np.isnan(values)]
        if usable.size >= MIN_HISTORY:
            baseline, sd, source = float(usable.mean()), float(usable.std(ddof=1)), "history"
            if not customer_level:
                _mean, clustered, n, groups = cluster_mean(values, frame["customer_id"].to_numpy())
                naive = values[~np.isnan(values)].var(ddof=1) / n
                design = clustered / naive if naive > 0 else 1.0
                per_customer = n / groups
    needed = None
    if baseline is not None:
        needed = customers_needed(
            kind=kind,
            baseline=baseline,
            minimum_effect=primary["minimum_effect"],
            holdout_rate=holdout_rate,
            sd=sd,
            design_effect=design,
            contacts_per_customer=per_customer,
        )
    return {
        "customers_needed": needed,
        "baseline": None if baseline is None else round(baseline, 4),
        "sd": None if sd is None else round(sd, 4),
        "design_effect": round(design, 3),
        "contacts_per_customer": round(per_customer, 3),
        "baseline_source": source if baseline is not None else None,
        "holdout_rate": holdout_rate,
        "alpha": ALPHA,
        "power": POWER,
        "method": METHOD,
    }
