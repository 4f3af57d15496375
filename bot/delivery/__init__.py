"""Delivery: the outbox every proactive message goes through, and the senders that drain it."""
