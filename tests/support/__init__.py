"""Test support: databases, a conversation client, fake platform servers."""
