## Linking channels: one profile across Telegram, Viber and the web chat (docs/linking.md).

linking-channel = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] the web chat
        [console] the terminal chat
       *[other] { $channel }
    }
linking-code =
    🔗 Your code: { $reference }
    It works for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, once. Send it to us in your other messenger or open the link.
linking-code-link = { $channel }: { $website }
linking-code-here = Have a code from another messenger? Send it here.
linking-btn-open = Open: { $channel }
linking-not-a-code = That does not look like a code. A code is 6 Latin letters and digits, as shown in your other messenger.
linking-linked = Linked messengers: { $channels }. They share subscriptions, feedback, votes and language.
linking-notify-auto = Notifications go to: { $channel } (the messenger you wrote from last).
linking-notify-chosen = Notifications go to: { $channel } (your choice).
linking-btn-another = ➕ Connect one more messenger
linking-btn-choose = 🔔 Where notifications go
linking-btn-unlink = ✂️ Unlink this chat
linking-btn-auto = 🕘 The messenger used last
linking-choose = Choose where to send notifications. Each notification comes once.
linking-unlink-confirm =
    Unlink this chat ({ $channel })?
    Subscriptions, feedback and votes stay in your other messengers; here the profile starts afresh.
linking-unlinked = Done, this chat is unlinked. Its data is separate now.
linking-done = ✅ Done, messengers linked: { $channels }. They now share subscriptions, feedback, votes and language.
linking-wrong = There is no such code. Check the letters and digits or ask for a new code: Settings → “Connect another messenger”.
linking-expired = This code no longer works: a code is valid for 10 minutes. Ask for a new one in Settings.
linking-used = This code has already been used. Ask for a new one in Settings.
linking-own = This code is from this same profile: these chats are already linked. Send the code in another messenger.
linking-same-channel = This code is from another account in the same messenger. You can link different messengers: Telegram, Viber and the web chat.
linking-too-many = Too many failed tries. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
linking-vote-twice = You have already voted in this poll from a linked messenger. One person, one vote: the first one counts.
