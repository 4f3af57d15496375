## Plan feedback: commitments, progress, feedback, polls, the working group's screens.

plan-status = { $status ->
        [not_started] not started
        [limited] limited
        [substantial] substantial
        [complete] complete
       *[other] { $status }
    }
plan-commitment-short = commitment { $number }
plan-example-mark = (example)
plan-example-note = ⚠️ Status, progress and lead institutions are example data: the city will confirm them before launch.
plan-not-found = We couldn't find that — it may have been updated. Here is the current list.
plan-empty = The action plan has not been loaded yet. Please check back later.
plan-period = Period: { $period }
plan-period-ended = The plan's period has ended. Below is the final state of each commitment.
plan-choose-final = The plan's commitments — choose one to see where it ended and leave feedback:
plan-final-status-line = Final state: { plan-status }
plan-last-update = Last update: { $date }
plan-example-note-updated = ⚠️ The description and goals are an example the city will confirm. The state comes from updates.
plan-btn-goals = 🎯 Goals and leads
plan-btn-updates = 📰 Updates
plan-choose-commitment = The plan's commitments — choose one to see its progress and give feedback:
plan-btn-mine = 📝 My feedback
plan-btn-polls = 🗳 Polls
plan-btn-all = 📋 All commitments

plan-lead = Lead: { $lead }
plan-dates = Dates: { $period }
plan-ogp-id = Number in the international action plan database: { $id }
plan-status-line = Progress status: { plan-status }
plan-progress-line = Progress: { $bar }
plan-goals = Goals:
plan-latest-updates = Latest updates:
plan-your-rating = Your rating: { $stars } ({ $rating } of 5)
plan-btn-rate = ⭐ Rate
plan-btn-rerate = ⭐ Change my rating
plan-btn-follow = 🔔 Follow progress
plan-btn-unfollow = 🔕 Unfollow
plan-followed = Done: we'll send you the updates of commitment { $number }.
plan-unfollowed = You no longer follow commitment { $number }.

plan-rate-ask =
    How do you rate the progress of this commitment?
    { $title }
    1 — poor, 5 — excellent.
plan-rate-current = Your current rating is { $rating }; a new one replaces it.
plan-comment-ask = Thank you, your rating { $rating } is saved. Anything to add? Write a comment (up to { $limit } characters) or press Skip.
plan-btn-skip = Skip
plan-consent-ask = May the working group contact you about this feedback through this messenger?
plan-thanks = Thank you for your feedback! Reference number: { $reference }.
plan-thanks-consent = The working group may contact you. The answer to your comment will come here, to this chat.
plan-thanks-anon = We won't share your contact details. The answer to your comment will come here, to this chat.
plan-btn-to-commitment = ◀️ Back to the commitment

plan-mine-empty = You haven't given any feedback yet. Choose a commitment and rate it.
plan-mine-title = Your feedback:
plan-mine-head = No. { $reference } of { $date }
plan-mine-replaced = (rating changed later)
plan-mine-comment = You wrote: "{ $comment }"
plan-mine-answer = The working group's answer: { $answer }
plan-mine-waiting = Waiting for the working group's answer.

plan-news-title = 📰 News & progress of the action plan
plan-news-empty = No updates yet.
plan-news-followed = Commitments you follow:
plan-news-follow-hint = Open a commitment and press "Follow progress" to receive its updates.

plan-poll-list = Polls. Choose one to vote or to see the results:
plan-poll-none = There are no polls right now.
plan-poll-not-found = There is no such poll.
plan-poll-example = (example poll: the city will replace it before launch)
plan-poll-period = Voting: { $start } – { $end }
plan-poll-since = Voting: since { $start }
plan-poll-until = Voting: until { $end }
plan-poll-choose = Choose one option. A vote counts once and cannot be changed.
plan-poll-not-open = Voting has not started yet.
plan-poll-closed = The poll is closed.
plan-poll-your-vote = Your vote: { $option }
plan-poll-vote-counted = Thank you, your vote is counted!
plan-poll-vote-twice = You have already voted in this poll — your earlier vote is counted.
plan-poll-vote-late = Sorry, the poll has already closed; the vote was not counted.
plan-poll-votes = { $votes ->
        [one] { $votes } vote
       *[other] { $votes } votes
    }
plan-poll-result-line = { $option } — { plan-poll-votes } ({ $percent }%)
plan-poll-total = Total: { plan-poll-votes }

plan-notify-update =
    📢 Update on commitment { $number } of the action plan
    Status: { plan-status } · progress { $progress }%

    { $text }
plan-notify-answer =
    💬 The working group's answer to your feedback No. { $reference } (commitment { $number })

    You said: "{ $comment }"

    Answer: { $answer }

plan-op-title = Action plan working group. What shall we do?
plan-op-btn-inbox = 📥 Feedback
plan-op-btn-publish = 📢 Publish an update
plan-op-btn-polls = 🗳 Polls
plan-op-inbox-title = Feedback (filter: { $filter }). Unanswered comments first.
plan-op-inbox-empty = No feedback.
plan-op-filter-all = All
plan-op-item =
    Feedback No. { $reference } of { $date }
    { $commitment }
    Rating: { $rating } of 5
plan-op-item-comment = Comment: "{ $comment }"
plan-op-item-no-comment = No comment.
plan-op-item-contact = Consent to contact: yes — { $channel }:{ $user } ({ $name })
plan-op-item-no-consent = No consent to contact.
plan-op-item-answer = Answer: { $answer }
plan-op-item-reviewed = Reviewed.
plan-op-item-new = New, not reviewed yet.
plan-op-btn-answer = ✍️ Answer
plan-op-btn-reviewed = ✔️ Mark reviewed
plan-op-marked-reviewed = Marked as reviewed.
plan-op-answer-ask = Write the answer (up to { $limit } characters). The resident receives it in the chat.
plan-op-answered = The answer is saved and queued for sending.
plan-op-publish-choose = Which commitment is the update about?
plan-op-publish-status = { $commitment }
    New progress status:
plan-op-keep = Keep: { $value }
plan-op-publish-progress = New completion percentage (0–100; now { $current }%):
plan-op-bad-percent = A whole number from 0 to 100, please.
plan-op-publish-text = Text of the update (up to { $limit } characters):
plan-op-publish-preview =
    Check the update:
    { $commitment }
    Status: { $status }
    Progress: { $bar }

    { $text }

    Followers to notify: { $followers }.
plan-op-btn-confirm = ✅ Publish
plan-op-btn-cancel = ✖️ Cancel
plan-op-cancelled = Publishing cancelled.
plan-op-published = The update is published. Notifications queued: { $count }.
plan-op-polls-title = Polls (all, drafts included):
plan-op-poll-state = { $state ->
        [draft] draft
        [open] open
        [closed] closed
       *[other] { $state }
    }
plan-op-poll-state-line = State: { plan-op-poll-state }
plan-op-btn-new-poll = ➕ New poll
plan-op-btn-open = ▶️ Open
plan-op-btn-close = ⏹ Close
plan-op-poll-opened = The poll is open. Link for residents: /start { $link }
plan-op-poll-closed = The poll is closed; residents see the results.
plan-op-poll-created = The draft poll is created. Open it when you are ready.
plan-op-new-question = Write the poll question (up to { $limit } characters):
plan-op-new-options = Write the answer options, one a line: 2 to 10, each up to { $limit } characters.
plan-op-bad-options = Options received: { $count }. 2 to 10 are needed, each up to { $limit } characters.
plan-op-new-closes = Until what date does the poll run? Write a date DD.MM.YYYY or press "No end date".
plan-op-btn-no-end = No end date
plan-op-bad-date = Couldn't read the date. Write a future date like 31.12.2026.
