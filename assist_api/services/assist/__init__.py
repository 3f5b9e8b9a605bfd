"""The assist pipeline: one /v1/assist request from features to the logged decision."""
