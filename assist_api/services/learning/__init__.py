"""Learning from the service's own decisions.

Owns the exploration policy (which card is shown first, with a known probability), the
off-policy estimators that value a candidate policy on logged decisions, and the
promotion rule's paired bootstrap. Plain Python and numpy: the assist pipeline, the CLI,
the closed-loop study and the tests call the same functions.
"""
