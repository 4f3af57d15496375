## Web chat (bot/channels/web): the page and its script.

web-title = Svoi — Khmelnytskyi City Council chat
web-heading = Svoi
web-subtitle = Khmelnytskyi City Council's chat with residents
web-skip-to-input = Skip to the message box
web-language-nav = Page language
web-switch-language = Українська
web-log-label = Conversation
web-input-label = Your message
web-input-hint = Enter sends, Shift+Enter starts a new line. Reach the buttons in messages with Tab.
web-send = Send
web-menu = Main menu
web-help = Help
web-noscript = The chat needs JavaScript. You can also write to Svoi on Telegram or Viber.
web-you = You
web-svoi = Svoi
web-sending = Sending…
web-send-failed = Could not send. Check your connection and try again.
web-too-many-new-chats = Too many new chats were started from your network this hour. Please try later, or write to Svoi on Telegram or Viber.
web-bad-request = The page sent a request Svoi could not read. Please reload the page and try again.
web-unavailable = Svoi is unavailable for a moment. Please try again in a minute.
web-offline = Connection lost, reconnecting…
web-online = Connected.
web-location-asking = Your browser will ask to share your location…
web-location-denied = Location unavailable. Please type the address instead.
web-location-unsupported = This browser cannot share a location. Please type the address instead.
web-location-sent = 📍 My location
web-phone-label = Phone number
web-phone-send = Send the number
web-download = Download
web-map-link = Show on the map
web-new-messages = A new message from Svoi.

## Operator console (/admin).

web-admin-title = Svoi · working group
web-admin-skip = Skip to the content
web-admin-nav = Console sections
web-admin-nav-dashboard = Overview
web-admin-nav-feedback = Feedback
web-admin-nav-commitments = Commitments
web-admin-nav-polls = Polls
web-admin-nav-broadcasts = Broadcasts
web-admin-nav-waste = Waste collection
web-admin-nav-services = Services catalogue
web-admin-nav-audit = Audit log
web-admin-signed-in = { $account } ({ $role })
web-admin-logout = Log out
web-admin-no-data = No data yet.
web-admin-chart-table = The same figures as a table
web-admin-example = example

web-admin-login-title = Log in to the console
web-admin-login-account = Account
web-admin-login-account-hint = The channel and your id in it, for example telegram:123456789
web-admin-login-password = Password
web-admin-login-submit = Log in
web-admin-login-failed = Wrong account or password.
web-admin-login-locked = Too many failed attempts. Logins to this account are locked for about { $minutes } min.

web-admin-refused-title = Access denied
web-admin-refused-login = Please log in to use the console.
web-admin-refused-role = Your role ({ $role }) does not give access to the working group's console.
web-admin-refused-csrf = Request refused: the form is out of date or was sent from another site. Reload the page and try again.

web-admin-notice-answered = The answer is saved; the resident will get it in their messenger.
web-admin-notice-reviewed = Marked as reviewed.
web-admin-notice-published = The update is published; followers will be notified.
web-admin-notice-poll-created = The poll is created as a draft. Open it when ready.
web-admin-notice-poll-opened = The poll is open.
web-admin-notice-poll-closed = The poll is closed.
web-admin-notice-poll-edited = The poll's changes are saved.
web-admin-notice-broadcast-queued = The broadcast is queued.
web-admin-notice-broadcast-scheduled = The broadcast is scheduled.
web-admin-notice-broadcast-cancelled = The broadcast is cancelled; messages still waiting will not be sent.
web-admin-notice-waste-saved = The schedule change is saved; subscribers will be notified.
web-admin-notice-logged-out = You have logged out.

web-admin-error-empty = The text is empty.
web-admin-error-too-long = The text is too long: { $limit } characters at most.
web-admin-error-not-found = Not found.
web-admin-error-already-answered = This feedback is already answered or has no comment.
web-admin-error-status = Unknown status.
web-admin-error-progress = Progress is a whole number from 0 to 100.
web-admin-error-options = Give 2 to 10 options of up to { $limit } characters, one a line.
web-admin-error-past = The closing date has passed.
web-admin-error-poll-options-locked = Options can only change in a draft nobody has voted in. The question and the closing date can change.
web-admin-error-audience = This audience is not available: choose another one or its value.
web-admin-error-link = A link is "Label | https://…" with a label of up to { $limit } characters.
web-admin-error-schedule = The time must be in the future and at most { $days } { $days ->
        [one] day
       *[other] days
    } ahead.
web-admin-error-finished = The broadcast has already finished or was cancelled.
web-admin-error-reason = Give the reason in Ukrainian.
web-admin-error-schedule-day = This change cannot apply: { $detail }
web-admin-error-date = Give a valid date.
web-admin-error-file = Choose a file to import.

web-admin-chart-channels = Residents by channel
web-admin-chart-languages = Residents by language
web-admin-chart-ratings = Average rating of commitments (1–5) and number of ratings
web-admin-chart-poll = Results, % of votes
web-admin-language = { $code ->
        [uk] Ukrainian
        [en] English
       *[other] { $code }
    }
web-admin-rating-shown = { $average } ({ $count })
web-admin-residents = Residents
web-admin-residents-total = Active: { $active }, who blocked the bot: { $inactive }.
web-admin-subscriptions = Subscriptions
web-admin-subscriptions-kind = { $kind ->
        [plan] Following commitments
        [waste] Waste reminders
        [mutes] Muted notifications
       *[other] { $kind }
    }
web-admin-ratings = Ratings of commitments
web-admin-delivery = Delivery
web-admin-delivery-waiting = Waiting to be sent: { $count }.
web-admin-delivery-oldest = The oldest since { $when }.
web-admin-delivery-day = Messages in the last 24 hours
web-admin-channel = Channel
web-admin-outbox-status = { $status ->
        [sent] sent
        [pending] pending
        [sending] sending
        [failed] failed
        [skipped] skipped
        [unknown] unknown
       *[other] { $status }
    }

web-admin-filter-commitment = Commitment
web-admin-filter-all = All
web-admin-filter-waiting = Only those waiting for an answer or review
web-admin-filter-apply = Show
web-admin-feedback-count = { $count ->
        [one] { $count } item of feedback
       *[other] { $count } items of feedback
    }
web-admin-feedback-empty = No feedback.
web-admin-reference = Number
web-admin-date = Date
web-admin-commitment = Commitment
web-admin-rating = Rating
web-admin-rating-of = { $rating } of 5
web-admin-comment = Comment
web-admin-state = State
web-admin-state-waiting = waiting for an answer
web-admin-state-answered = answered
web-admin-state-reviewed = reviewed
web-admin-state-new = new
web-admin-feedback-title = Feedback { $reference }
web-admin-no-comment = no comment
web-admin-contact = Contact
web-admin-no-consent = the resident did not consent to be contacted
web-admin-answer = Answer
web-admin-answer-label = Answer to the resident
web-admin-answer-hint = Up to { $limit } characters. The resident gets it in the messenger where they left the feedback.
web-admin-answer-send = Send the answer
web-admin-mark-reviewed = Mark as reviewed

web-admin-status = Status
web-admin-progress = Progress
web-admin-followers = Following
web-admin-publish-title = Publish an update
web-admin-keep = Keep: { $value }
web-admin-progress-label = Progress, %
web-admin-progress-hint = Leave empty to keep { $current }%.
web-admin-update-text = Text of the update
web-admin-notify-followers = Notify those following ({ $count })
web-admin-publish = Publish
web-admin-timeline = Timeline

web-admin-poll-question = Question
web-admin-poll-closes = Closes
web-admin-poll-state = { $state ->
        [draft] draft
        [open] open
        [closed] closed
       *[other] { $state }
    }
web-admin-poll-new = New poll
web-admin-poll-options = Options
web-admin-poll-options-hint = 2 to 10 options, one a line.
web-admin-poll-closes-hint = Optional: the poll closes at the end of this day (Kyiv time).
web-admin-poll-create = Create a draft
web-admin-poll-link = Link for the chat: /start { $link }
web-admin-poll-total = Votes in all: { $count }
web-admin-poll-open = Open the poll
web-admin-poll-close = Close the poll

web-admin-broadcast-new = New broadcast
web-admin-broadcast-text = Text
web-admin-broadcast-link = Link button (optional)
web-admin-broadcast-link-hint = Label | https://address, for example: Details | https://khm.gov.ua
web-admin-audience = Audience
web-admin-audience-kind = { $kind ->
        [everyone] all residents
        [language] by language
        [followers] followers of a commitment
        [zone] subscribers of a waste zone
       *[other] { $kind }
    }
web-admin-audience-value = Audience value
web-admin-audience-count = Recipients: { $count } ({ $channels })
web-admin-viber-cost = Viber cost estimate: { $count } { $count ->
        [one] message
       *[other] messages
    } ≈ { $cost } { $currency ->
        [UAH] hryvnias
       *[other] { $currency }
    }
web-admin-broadcast-urgent = Urgent (send during quiet hours too)
web-admin-broadcast-schedule = Schedule for
web-admin-broadcast-when = Sending time
web-admin-broadcast-when-hint = Kyiv time.
web-admin-broadcast-preview = Preview
web-admin-broadcast-send = Send
web-admin-broadcast-preview-title = How each channel will show it
web-admin-broadcast-recent = Recent broadcasts
web-admin-broadcast-sent = Sent
web-admin-broadcast-status = { $status ->
        [scheduled] scheduled
        [sending] sending
        [done] finished
        [cancelled] cancelled
       *[other] { $status }
    }
web-admin-broadcast-title = Broadcast No. { $id }
web-admin-broadcast-progress = Progress
web-admin-broadcast-done = Processed
web-admin-broadcast-blocked = Blocked the bot
web-admin-broadcast-failed = Failed
web-admin-broadcast-waiting = Waiting
web-admin-broadcast-skipped = Skipped
web-admin-broadcast-doubled = A server restarted during the broadcast: up to { $count } { $count ->
        [one] resident
       *[other] residents
    } may have received the message twice. Nothing was lost.
web-admin-broadcast-digested = { $count ->
        [one] { $count } more resident gets
       *[other] { $count } more residents get
    } this broadcast in their news digest, as they chose in their settings.
web-admin-broadcast-cancel = Cancel the broadcast

web-admin-waste-new = Move or cancel a collection day
web-admin-waste-zone = Zone
web-admin-waste-type = Waste type
web-admin-waste-date = Scheduled day
web-admin-waste-action = What changes
web-admin-waste-cancel = Cancel the collection on that day
web-admin-waste-move = Move to
web-admin-waste-new-date = New date
web-admin-waste-reason-uk = Reason (in Ukrainian)
web-admin-waste-reason-en = Reason (in English, optional)
web-admin-waste-save = Save and notify subscribers
web-admin-waste-upcoming = Upcoming schedule changes
web-admin-waste-cancelled = cancelled

web-admin-services-counts = In the catalogue: { $services } services, { $categories } categories, { $offices } offices.
web-admin-services-source = Last import: { $when }. File:
web-admin-services-report = Validation report
web-admin-services-problems = { $count ->
        [one] { $count } problem found; nothing was changed.
       *[other] { $count } problems found; nothing was changed.
    }
web-admin-services-valid = The file is valid (checked, nothing changed):
web-admin-services-imported = Imported:
web-admin-services-import = Import the catalogue
web-admin-services-file = Catalogue file
web-admin-services-file-hint = Accepted files: { $formats }. How to write them is described in { $guide }. A file with errors changes nothing.
web-admin-services-dry-run = Only check, change nothing
web-admin-services-submit = Upload

web-admin-audit-actor = Who
web-admin-audit-action = Action
web-admin-audit-target = On what
web-admin-audit-outcome = Outcome

web-admin-zone = Kyiv

web-admin-nav-questions = Residents' questions
web-admin-nav-questions-waiting = Residents' questions ({ $count })
web-admin-notice-question-answered = Answer sent; the resident gets it in their messenger.
web-admin-notice-question-redirected = The resident has been told where to turn.
web-admin-questions-waiting = { $count ->
        [one] { $count } question is waiting for an answer.
       *[other] { $count } questions are waiting for an answer.
    }
web-admin-questions-live = This list refreshes itself every { $seconds } seconds.
web-admin-questions-filter = Which questions to show
web-admin-questions-show-waiting = Waiting for an answer
web-admin-questions-show-all = All questions
web-admin-questions-order-waiting = Those waiting longest first.
web-admin-questions-order-all = Newest first.
web-admin-questions-empty = No new questions.
web-admin-questions-empty-all = Residents have not asked any questions yet.
web-admin-question = Question
web-admin-question-reference = № { $reference }
web-admin-question-title = Question № { $reference }
web-admin-question-state = { $status ->
        [answered] answered
        [redirected] not for the council: told where to turn
       *[new] waiting for an answer
    }
web-admin-question-search = What the resident searched for
web-admin-question-service = Service (catalogue code)
web-admin-question-pointer = Where to turn
web-admin-question-answered-by = Answered by, when
web-admin-question-answer = Answer
web-admin-question-answer-hint = Up to { $limit } characters. The resident gets the answer in the messenger they asked from.
web-admin-question-redirect = Not ours: where to turn
web-admin-question-redirect-label = Where the resident should turn
web-admin-question-redirect-hint = An institution, address or phone; up to { $limit } characters. The resident gets it in their messenger.
web-admin-question-redirect-send = Send where to turn
web-admin-question-already = This question has already been answered. The resident will not get a second answer.
web-admin-poll-edit = Edit the poll
web-admin-poll-save = Save changes
web-admin-poll-options-locked = The options cannot change any more: the poll is open or has votes.
web-photo = 📷 Photo
web-photo-sent = 📷 Photo
web-photo-too-large = The photo is too large. Please send a smaller one.
