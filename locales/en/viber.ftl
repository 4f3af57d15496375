## Viber channel: the persistent menu under every answer.

viber-help = ❓ Help
