"""Playbooks: editing and reading versioned cards in the store, the per-worker catalog of
published cards, and card ranking.
"""
