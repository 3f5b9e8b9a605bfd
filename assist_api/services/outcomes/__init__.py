"""Outcomes: recording what happened after a decision, importing history, building training
data, and purging old rows.
"""
