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

from scipy.stats import norm

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
