## Digests: a daily or weekly message instead of notifications as they happen (docs/digests.md).

settings-digests = 📰 Notification digests
digests-title = 📰 How should we send notifications? Right away, or in one message — daily or weekly. Collection reminders, collection changes within the next week and urgent broadcasts always come right away.
digests-line = • { $category }: { $choice }
digests-category = { $category ->
        [plan] Action plan updates
        [news] City council announcements
        [waste] Changes of waste collection days
        [answers] Answers to your comments and questions
       *[other] { $category }
    }
digests-choice = { $mode ->
        [daily] daily at { $hour }
        [weekly] every Monday at { $hour }
       *[other] as it happens
    }
digests-choose = { $category }: when should we send them?
digests-saved = ✅ Saved. { $category }: { $choice }.
digests-message-title = 📰 Your digest: { $count ->
        [one] { $count } new message
       *[other] { $count } new messages
    }
