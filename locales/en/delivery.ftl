## Delivery: muting notifications, the author's report, operator broadcasts.

delivery-btn-mute = 🔕 Stop these messages
delivery-btn-unmute = 🔔 Undo
delivery-muted = All right, you will no longer receive "{ $category }" messages. The button below brings them back.
delivery-unmuted = "{ $category }" messages will come again.
delivery-mute-invalid = This button is out of date. Please open the main menu.
delivery-category-waste = waste collection
delivery-category-broadcast = city council announcements
delivery-category-plan = action plan news
delivery-category-plan-answers = answers to your feedback
delivery-category-question-answers = answers to your questions
delivery-category-other = { $category }
delivery-report =
    Broadcast #{ $id } has finished.
    Sent: { $sent } of { $total }
    Blocked the bot: { $blocked }
    Failed: { $failed }
    Skipped (muted, cancelled): { $skipped }
    { $digested ->
        [0] {""}
       *[other] In their news digest: { $digested }
    }

broadcast-title = Working group broadcasts.
broadcast-btn-new = ✍️ New broadcast
broadcast-btn-recent = 📊 Recent broadcasts
broadcast-compose = Send the text of the broadcast (up to { $limit } characters). Residents will see it exactly like this.
broadcast-link = Add a link button? Send "Label | https://…" or press "No link".
broadcast-btn-no-link = No link
broadcast-link-invalid = We could not read the link. The format is "Label | https://…", a label of up to { $limit } characters.
broadcast-audience = Who should receive it?
broadcast-audience-pick-everyone = 👥 Everyone
broadcast-audience-pick-language = 🌐 By language
broadcast-audience-pick-followers = 📋 Followers of a commitment
broadcast-audience-pick-zone = ♻️ By collection zone
broadcast-pick-language = Choose the recipients' language:
broadcast-language-uk = Українська
broadcast-language-en = English
broadcast-pick-followers = Choose the commitment:
broadcast-pick-zone = Choose the waste collection zone:
broadcast-no-choices = There is no data for this audience yet. Please choose another.
broadcast-audience-everyone = all residents
broadcast-audience-language = language: { $value ->
        [uk] Ukrainian
        [en] English
       *[other] { $value }
    }
broadcast-audience-followers = following the commitment: { $value }
broadcast-audience-zone = subscribers of the collection zone: { $value }
channel-name = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] web chat
        [console] terminal chat
       *[other] { $channel }
    }
broadcast-summary =
    Audience: { $audience }.
    Recipients: { $count } ({ $channels }).
    Urgent (ignores quiet hours): { $urgent ->
        [yes] yes
       *[no] no
    }.
broadcast-viber-cost = Viber: { $count } { $count ->
        [one] message
       *[other] messages
    }, estimated cost { $cost } { $currency ->
        [UAH] hryvnias
       *[other] { $currency }
    }.
broadcast-preview = This is how residents will see the message:
broadcast-confirm = Send it?
broadcast-btn-send = ✅ Send now
broadcast-btn-schedule = 🕒 Schedule
broadcast-btn-urgent = ⚡ Mark as urgent
broadcast-btn-urgent-off = Remove "urgent"
broadcast-btn-edit = ✏️ Change the text
broadcast-schedule = When should it go out? Type a date and time in Kyiv time, e.g. { $example }, or just a time.
broadcast-schedule-invalid = We could not read the time. Example: 01.12.2026 10:00 or 10:00.
broadcast-schedule-range = The time must be in the future and no more than { $days } { $days ->
        [one] day
       *[other] days
    } ahead.
broadcast-queued = Broadcast #{ $id } is queued for { $count } { $count ->
        [one] recipient
       *[other] recipients
    }. You will get a report when it has finished.
broadcast-scheduled = Broadcast #{ $id } is scheduled for { $when }.
broadcast-none = There have been no broadcasts yet.
broadcast-line = #{ $id } · { $status } · { $when } · recipients: { $recipients }
broadcast-status-scheduled = scheduled
broadcast-status-sending = sending
broadcast-status-done = finished
broadcast-status-cancelled = cancelled
broadcast-not-found = Broadcast #{ $id } was not found.
broadcast-progress =
    Sent: { $sent } of { $total }
    Blocked the bot: { $blocked }
    Failed: { $failed }
    Waiting: { $waiting }
    Skipped: { $skipped }
broadcast-btn-progress = 🔄 Refresh
broadcast-btn-cancel = ⛔ Cancel the broadcast
broadcast-cancelled = The broadcast is cancelled: messages still waiting will not be sent.
broadcast-cancel-late = This broadcast has already finished or was cancelled.
