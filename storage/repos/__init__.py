"""Repositories: the only code that builds queries. Each takes the turn's session."""
