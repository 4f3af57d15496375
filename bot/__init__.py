"""Svoi: the citizen-engagement chatbot of the city of Khmelnytskyi."""

__version__ = "0.1.0"
