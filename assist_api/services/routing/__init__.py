"""Routing: choosing the agent pool for a call (rules and value routing), pools and their live
capacity, agent and pool skill.
"""
