"""HTTP routes: one blueprint per resource; each view parses, calls a service, dumps."""
