"""The ROI report's per-customer figures beside each world's truth, on named worlds.

    .venv/bin/python bench/roi_worlds.py

For each world (retention a customer fact, several contacts per customer) prints the
extra retained customers, retained value, retention lift and VE-success lift with their
95 % intervals, the truth computed per customer from the simulator, and the old
per-contact count (lift x offered contacts) beside them.
"""

from assist_api.reports.customers import customer_frame
from assist_api.reports.effects import MEASURES, effect
from assist_api.reports.financial import customer_return
from assist_api.reports.offline import frame_from_tables
from assist_api.reports.units import contact_effect, customer_effect
from training.simulator.study import outcome_world

WORLDS = {
    "3.7 contacts/customer, 30k contacts": (30_000, 12, 0.35),
    "2.5 contacts/customer, 30k contacts": (30_000, 12, 0.65),
    "3.7 contacts/customer, 100k contacts": (100_000, 12, 0.35),
}


def figures(n: int, seed: int, customers_per_interaction: float) -> list[tuple]:
    world = outcome_world(n, seed, customers_per_interaction)
    frame = frame_from_tables(world.interactions, world.outcomes)
    customers = customer_frame(frame)
    truth = world.customer_truth.set_index("customer_id").loc[customers["customer_id"]]
    offered = truth[~truth["holdout"].to_numpy(bool)]
    holdout = frame["holdout"].to_numpy(bool)
    money = customer_return(customers, int((~holdout).sum()), 1.0)
    retention = customer_effect(
        customers["retained_60d"].to_numpy(float),
        customers["holdout"].to_numpy(bool),
        "retained_60d",
    )
    ves = contact_effect(frame, "ve_success")
    retained = frame["retained_60d"].to_numpy(float)
    old = effect(retained[~holdout], retained[holdout], MEASURES["retained_60d"])
    contacts = int((~holdout).sum())
    contact_truth = world.truth["p_success_offered"] - world.truth["p_success_holdout"]
    return [
        ("customers / contacts", len(customers), None, len(frame)),
        (
            "extra retained customers",
            money["incremental_retained"]["value"],
            money["incremental_retained"]["ci95"],
            offered["retention_effect"].sum(),
        ),
        (
            "  old: lift x offered contacts",
            old["lift"] * contacts,
            [b * contacts for b in old["ci95"]],
            offered["retention_effect"].sum(),
        ),
        (
            "retained value (CLV)",
            money["retained_value"]["value"],
            money["retained_value"]["ci95"],
            (offered["retention_effect"] * offered["clv"]).sum(),
        ),
        (
            "retention lift (customer)",
            retention["lift"],
            retention["ci95"],
            truth["retention_effect"].mean(),
        ),
        ("VE success lift (clustered)", ves["lift"], ves["ci95"], contact_truth.mean()),
    ]


def main() -> None:
    for name, spec in WORLDS.items():
        print(f"\n{name} (seed {spec[1]})")
        for label, value, interval, truth in figures(*spec):
            if interval is None:
                print(f"  {label:<32} {value:,} / {truth:,}")
                continue
            inside = interval[0] <= truth <= interval[1]
            print(
                f"  {label:<32} {value:>14,.4g}  95% CI [{interval[0]:,.4g}, {interval[1]:,.4g}]"
                f"  truth {truth:,.4g}  {'contains' if inside else 'MISSES'}"
            )


if __name__ == "__main__":
    main()
