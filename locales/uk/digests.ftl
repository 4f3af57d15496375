## Digests: a daily or weekly message instead of notifications as they happen (docs/digests.md).

settings-digests = 📰 Дайджести сповіщень
digests-title = 📰 Як надсилати сповіщення? Можна одразу, а можна одним повідомленням — щодня або щотижня. Термінові сповіщення (зміни вивезення відходів, тривоги) надходять одразу завжди.
digests-line = • { $category }: { $choice }
digests-category = { $category ->
        [plan] Оновлення плану дій
        [answers] Відповіді на ваші відгуки й запитання
       *[other] { $category }
    }
digests-choice = { $mode ->
        [daily] щодня о { $hour }
        [weekly] щопонеділка о { $hour }
       *[other] одразу
    }
digests-choose = { $category }: коли надсилати?
digests-saved = ✅ Збережено. { $category }: { $choice }.
digests-message-title = 📰 Ваш дайджест: { $count ->
        [one] { $count } нове повідомлення
        [few] { $count } нові повідомлення
        [many] { $count } нових повідомлень
       *[other] { $count } нового повідомлення
    }
