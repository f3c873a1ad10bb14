"""Load, validate and render the ML Engineer interview handbook data."""
