"""Decisions: the durable log of every assist answer, its disk spool for store outages, and the
drain that replays it.
"""
