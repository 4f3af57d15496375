"""Repositories: the queries the dialogs share. Each takes the caller's session.

Not the only place that builds queries: the delivery, the channels' durable inboxes,
content import and export, maintenance and some operator screens query directly.
"""
