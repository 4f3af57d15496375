## Digests: a daily or weekly message instead of notifications as they happen (docs/digests.md).

settings-digests = 📰 Дайджести сповіщень
digests-title = 📰 Як надсилати сповіщення? Можна одразу, а можна одним повідомленням — щодня або щотижня. Нагадування про вивезення, зміни вивезення на найближчий тиждень і термінові розсилки надходять одразу завжди.
digests-line = • { $category }: { $choice }
digests-category = { $category ->
        [plan] Оновлення плану дій
        [news] Розсилки міської ради
        [waste] Зміни днів вивезення відходів
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
