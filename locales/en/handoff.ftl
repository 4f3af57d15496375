## Talking to a person: a resident writes to the working group, a member answers.

handoff-menu = 💬 Talk to a person
handoff-btn-talk = 💬 Talk to a person
handoff-btn-end = ✖️ End the conversation

handoff-opened = You are writing to the city council's working group. Tell us what happened — a member of the group will answer here, in this chat.
handoff-resumed = Your conversation with the working group goes on. Write here — we will pass it on.
handoff-who = You are talking to { $role ->
        [admin] an administrator of the city council's chatbot
       *[operator] a member of the city council's working group
    }.
handoff-queue = { $ahead ->
        [0] You are first in the queue. A member of the group will join as soon as they are free.
        [one] There is { $ahead } conversation ahead of you. A member of the group will join as soon as they are free.
       *[other] There are { $ahead } conversations ahead of you. A member of the group will join as soon as they are free.
    }
handoff-after-hours = We are outside working hours now, so the answer will not come at once. Write your question: we will read it and answer during working hours.
handoff-hours = 🕘 The working group answers: { $hours }.
handoff-how-to-end = To end the conversation, press “End the conversation” or send /cancel.
handoff-received = Received. A member of the working group will answer here.
handoff-closed-by-you = Your conversation with the working group has ended.
handoff-ended = Your conversation with the working group has ended. If you have more questions, start a new one.
handoff-ended-menu = Your conversation with the working group has ended, so your message was not passed on. Here is the main menu.

handoff-notify-taken =
    💬 You are talking to { $role ->
        [admin] an administrator of the city council's chatbot
       *[operator] a member of the city council's working group
    }. The answer will come here, to this chat.
handoff-notify-reply =
    💬 { $role ->
        [admin] Chatbot administrator
       *[operator] Working group
    }:

    { $text }
handoff-notify-closed = The working group has ended the conversation. Thank you for writing to us! If you have more questions, press “Talk to a person” in the menu.

handoff-error-closed = This conversation has already ended.
handoff-error-taken = Another member of the group is already answering this conversation.
handoff-error-no-canned = There is no such ready answer.

handoff-op-btn = 💬 Conversations ({ $count })
handoff-op-title = Conversations with residents. Waiting for a member of the group: { $count }. The longest waiting first.
handoff-op-empty = No open conversations.
handoff-op-not-found = Conversation not found.
handoff-op-item = Conversation No. { $reference }, started { $opened }
handoff-op-status = { $status ->
        [waiting] ⏳ Waiting for a member of the group
        [taken] 💬 A member of the group is answering
       *[closed] ✔️ Ended
    }
handoff-op-line-resident = Resident: { $text }
handoff-op-line-us = Working group: { $text }
handoff-op-no-messages = The resident has not written anything yet.
handoff-op-btn-take = ✋ Take the conversation
handoff-op-btn-reply = ✍️ Reply
handoff-op-btn-canned = 📋 Ready answer
handoff-op-btn-close = ✔️ End the conversation
handoff-op-btn-refresh = 🔄 Refresh
handoff-op-reply-ask = Write the reply in one message (up to { $limit } characters). The resident gets it in the messenger they write from.
handoff-op-canned-ask = Choose a ready answer. The resident gets it in their language.
handoff-op-done-take = You have taken the conversation. The resident has been told a member of the working group is answering.
handoff-op-done-reply = The reply has been sent to the resident.
handoff-op-done-canned = The ready answer has been sent to the resident.
handoff-op-done-close = The conversation has ended. The resident has been told.

## The console

web-admin-nav-handoff = Conversations with residents
web-admin-handoff-title = Conversations with residents
web-admin-handoff-waiting = { $count ->
        [0] Nobody is waiting for a member of the group.
        [one] { $count } conversation is waiting for a member of the group.
       *[other] { $count } conversations are waiting for a member of the group.
    }
web-admin-handoff-live = The list refreshes itself every { $seconds } seconds.
web-admin-handoff-filter = Which conversations to show
web-admin-handoff-show-open = Open
web-admin-handoff-show-all = All
web-admin-handoff-order-open = Open conversations, the longest waiting first
web-admin-handoff-order-all = Every conversation, newest first
web-admin-handoff-empty = No open conversations.
web-admin-handoff-empty-all = There have been no conversations yet.
web-admin-handoff-opened = Started
web-admin-handoff-last = Last message
web-admin-handoff-reference = No. { $reference }
web-admin-handoff-conversation = Conversation No. { $reference }
web-admin-handoff-status = { $status ->
        [waiting] Waiting for a member of the group
        [taken] A member of the group is answering
       *[closed] Ended
    }
web-admin-handoff-taken-by = Answered by
web-admin-handoff-closed-at = Ended
web-admin-handoff-transcript = Messages
web-admin-handoff-from-resident = Resident
web-admin-handoff-from-us = Working group
web-admin-handoff-no-messages = The resident has not written anything yet.
web-admin-handoff-refresh = Refresh the page
web-admin-handoff-take = Take the conversation
web-admin-handoff-reply = Reply
web-admin-handoff-reply-label = Reply to the resident
web-admin-handoff-reply-hint = Up to { $limit } characters. The resident gets it in the messenger they write from.
web-admin-handoff-send = Send
web-admin-handoff-canned = Ready answer
web-admin-handoff-canned-label = Choose an answer (the resident gets it in their language)
web-admin-handoff-canned-send = Send the ready answer
web-admin-handoff-close = End the conversation
web-admin-handoff-done = { $action ->
        [take] You have taken the conversation. The resident has been told who is answering.
        [reply] The reply has been sent.
        [canned] The ready answer has been sent.
       *[close] The conversation has ended. The resident has been told.
    }
