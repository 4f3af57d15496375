## Розмова з людиною: мешканець пише робочій групі, працівник відповідає.

handoff-menu = 💬 Поговорити з людиною
handoff-btn-talk = 💬 Поговорити з людиною
handoff-btn-end = ✖️ Завершити розмову

handoff-opened = Ви пишете робочій групі міської ради. Опишіть, що сталося, — працівник відповість тут, у цьому чаті.
handoff-resumed = Розмова з робочою групою триває. Пишіть сюди — ми передамо.
handoff-who = Вам відповідає { $role ->
        [admin] адміністратор чат-бота міської ради
       *[operator] працівник робочої групи міської ради
    }.
handoff-queue = { $ahead ->
        [0] Ви перші в черзі. Працівник приєднається, щойно звільниться.
        [one] Перед вами в черзі { $ahead } розмова. Працівник приєднається, щойно звільниться.
        [few] Перед вами в черзі { $ahead } розмови. Працівник приєднається, щойно звільниться.
        [many] Перед вами в черзі { $ahead } розмов. Працівник приєднається, щойно звільниться.
       *[other] Перед вами в черзі { $ahead } розмови. Працівник приєднається, щойно звільниться.
    }
handoff-after-hours = Зараз неробочий час, тож відповідь прийде не одразу. Напишіть своє запитання: ми прочитаємо його й відповімо в робочий час.
handoff-hours = 🕘 Робоча група відповідає: { $hours }.
handoff-how-to-end = Щоб завершити розмову, натисніть «Завершити розмову» або надішліть /cancel.
handoff-received = Отримали. Працівник робочої групи відповість тут.
handoff-closed-by-you = Розмову з робочою групою завершено.
handoff-ended = Розмову з робочою групою завершено. Якщо маєте ще запитання, почніть нову.
handoff-ended-menu = Розмову з робочою групою завершено, тож повідомлення нікому не передано. Ось головне меню.

handoff-notify-taken =
    💬 Вам відповідає { $role ->
        [admin] адміністратор чат-бота міської ради
       *[operator] працівник робочої групи міської ради
    }. Відповідь прийде сюди, у цей чат.
handoff-notify-reply =
    💬 { $role ->
        [admin] Адміністратор чат-бота
       *[operator] Робоча група
    }:

    { $text }
handoff-notify-closed = Робоча група завершила розмову. Дякуємо, що написали! Якщо маєте ще запитання, натисніть «Поговорити з людиною» в меню.

handoff-error-closed = Цю розмову вже завершено.
handoff-error-taken = Цю розмову вже веде інший працівник.
handoff-error-no-canned = Такої готової відповіді немає.

handoff-op-btn = 💬 Розмови ({ $count })
handoff-op-title = Розмови з мешканцями. Чекають на працівника: { $count }. Спершу ті, хто чекає найдовше.
handoff-op-empty = Відкритих розмов немає.
handoff-op-not-found = Розмову не знайдено.
handoff-op-item = Розмова № { $reference }, почата { $opened }
handoff-op-status = { $status ->
        [waiting] ⏳ Чекає на працівника
        [taken] 💬 Працівник відповідає
       *[closed] ✔️ Завершена
    }
handoff-op-line-resident = Мешканець: { $text }
handoff-op-line-us = Робоча група: { $text }
handoff-op-no-messages = Мешканець ще нічого не написав.
handoff-op-btn-take = ✋ Взяти розмову
handoff-op-btn-reply = ✍️ Відповісти
handoff-op-btn-canned = 📋 Готова відповідь
handoff-op-btn-close = ✔️ Завершити розмову
handoff-op-btn-refresh = 🔄 Оновити
handoff-op-reply-ask = Напишіть відповідь одним повідомленням (до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }). Мешканець отримає її в месенджері, з якого пише.
handoff-op-canned-ask = Оберіть готову відповідь. Мешканець отримає її своєю мовою.
handoff-op-done-take = Розмову взято. Мешканцю повідомили, що йому відповідає працівник робочої групи.
handoff-op-done-reply = Відповідь надіслано мешканцю.
handoff-op-done-canned = Готову відповідь надіслано мешканцю.
handoff-op-done-close = Розмову завершено. Мешканцю повідомили.

## Консоль

web-admin-nav-handoff = Розмови з мешканцями
web-admin-handoff-title = Розмови з мешканцями
web-admin-handoff-waiting = { $count ->
        [0] Ніхто не чекає на працівника.
        [one] На працівника чекає { $count } розмова.
        [few] На працівника чекають { $count } розмови.
        [many] На працівника чекають { $count } розмов.
       *[other] На працівника чекають { $count } розмови.
    }
web-admin-handoff-live = { $seconds ->
        [one] Список оновлюється сам раз на { $seconds } секунду.
        [few] Список оновлюється сам раз на { $seconds } секунди.
        [many] Список оновлюється сам раз на { $seconds } секунд.
       *[other] Список оновлюється сам раз на { $seconds } секунди.
    }
web-admin-handoff-filter = Які розмови показати
web-admin-handoff-show-open = Відкриті
web-admin-handoff-show-all = Усі
web-admin-handoff-order-open = Відкриті розмови: спершу ті, що чекають найдовше
web-admin-handoff-order-all = Усі розмови, найновіші спершу
web-admin-handoff-empty = Відкритих розмов немає.
web-admin-handoff-empty-all = Розмов ще не було.
web-admin-handoff-opened = Почата
web-admin-handoff-last = Останнє повідомлення
web-admin-handoff-reference = № { $reference }
web-admin-handoff-conversation = Розмова № { $reference }
web-admin-handoff-status = { $status ->
        [waiting] Чекає на працівника
        [taken] Працівник відповідає
       *[closed] Завершена
    }
web-admin-handoff-taken-by = Веде
web-admin-handoff-closed-at = Завершена
web-admin-handoff-transcript = Листування
web-admin-handoff-from-resident = Мешканець
web-admin-handoff-from-us = Робоча група
web-admin-handoff-no-messages = Мешканець ще нічого не написав.
web-admin-handoff-refresh = Оновити сторінку
web-admin-handoff-take = Взяти розмову
web-admin-handoff-reply = Відповісти
web-admin-handoff-reply-label = Відповідь мешканцю
web-admin-handoff-reply-hint = До { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }. Мешканець отримає її в месенджері, з якого пише.
web-admin-handoff-send = Надіслати
web-admin-handoff-canned = Готова відповідь
web-admin-handoff-canned-label = Оберіть відповідь (мешканець отримає її своєю мовою)
web-admin-handoff-canned-send = Надіслати готову відповідь
web-admin-handoff-close = Завершити розмову
web-admin-handoff-done = { $action ->
        [take] Розмову взято. Мешканцю повідомили, хто відповідає.
        [reply] Відповідь надіслано.
        [canned] Готову відповідь надіслано.
       *[close] Розмову завершено. Мешканцю повідомили.
    }
