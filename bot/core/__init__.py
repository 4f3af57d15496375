"""The channel-neutral core: messages, capabilities, rendering, i18n and the turn engine."""
