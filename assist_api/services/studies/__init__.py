"""Studies: offline work kept out of the request path (demo seeding, demo pools, routing
replays on simulated worlds).
"""
