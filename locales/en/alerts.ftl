## Air-raid alerts: the operators' switch in the chat and on the console.

alerts-btn-on = 🚨 Alert
alerts-btn-off = ✅ All clear
alerts-state-on = 🚨 An air-raid alert is active (since { $since }, { $who }). Non-urgent notifications wait for the all-clear; urgent broadcasts and answers to residents go at once.
alerts-state-off = ✅ No alert: notifications are sent as usual.
alerts-source-api = reported by alerts.in.ua
alerts-source-operator = declared by the working group
alerts-switched-on = 🚨 Alert declared. Reminders, updates and non-urgent broadcasts wait for the all-clear; urgent broadcasts and answers to residents go at once.
alerts-switched-off = ✅ All clear. The held notifications are going out to residents (stale reminders are not).
alerts-already-on = The alert is already active.
alerts-already-off = There is no alert.
alerts-usage = Send /alert on to declare an alert, /alert off for the all-clear, or /alert to see the state.

web-admin-nav-alerts = Alert
web-admin-alerts-intro = While an alert is active, reminders, plan updates, schedule changes and non-urgent broadcasts wait for the all-clear; urgent broadcasts and answers to residents go at once.
web-admin-alerts-feed = The alerts.in.ua feed: { $status ->
    [ok] working
    [degraded] not answering (notifications are sent as usual)
   *[off] off (no ALERTS_API_TOKEN)
}
