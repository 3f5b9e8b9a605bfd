"""The demo-world simulator: customers, agents, responses, outcomes and transcripts of a
synthetic contact centre.
"""
