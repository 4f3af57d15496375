## Plan feedback: commitments, progress, feedback, polls, the working group's screens.

plan-status = { $status ->
        [not_started] не розпочато
        [limited] обмежений прогрес
        [substantial] суттєвий прогрес
        [complete] завершено
       *[other] { $status }
    }
plan-commitment-short = зобовʼязання { $number }
plan-example-mark = (приклад)
plan-example-note = ⚠️ Статус, прогрес і відповідальні — приклад: місто уточнить їх перед запуском.
plan-not-found = Не знайшли цього запису — можливо, його оновили. Ось актуальний перелік.
plan-empty = План дій ще не завантажено. Зазирніть, будь ласка, пізніше.
plan-period = Період: { $period }
plan-period-ended = Період плану завершився. Нижче — підсумковий стан кожного зобовʼязання.
plan-choose-final = Зобовʼязання плану — оберіть, щоб переглянути підсумок і залишити відгук:
plan-final-status-line = Підсумковий стан: { plan-status }
plan-last-update = Останнє оновлення: { $date }
plan-example-note-updated = ⚠️ Опис і цілі — приклад, місто їх уточнить. Стан — з оновлень.
plan-btn-goals = 🎯 Цілі й відповідальні
plan-btn-updates = 📰 Оновлення
plan-choose-commitment = Зобовʼязання плану — оберіть, щоб переглянути прогрес і залишити відгук:
plan-btn-mine = 📝 Мої відгуки
plan-btn-polls = 🗳 Опитування
plan-btn-all = 📋 Усі зобовʼязання

plan-lead = Відповідальні: { $lead }
plan-dates = Строки: { $period }
plan-ogp-id = Номер у міжнародній базі планів дій: { $id }
plan-status-line = Стан виконання: { plan-status }
plan-progress-line = Прогрес: { $bar }
plan-goals = Цілі:
plan-latest-updates = Останні оновлення:
plan-your-rating = Ваша оцінка: { $stars } ({ $rating } з 5)
plan-btn-rate = ⭐ Оцінити
plan-btn-rerate = ⭐ Змінити оцінку
plan-btn-follow = 🔔 Стежити за прогресом
plan-btn-unfollow = 🔕 Не стежити
plan-followed = Готово: надсилатимемо вам оновлення зобовʼязання { $number }.
plan-unfollowed = Ви більше не стежите за зобовʼязанням { $number }.

plan-rate-ask =
    Як ви оцінюєте виконання зобовʼязання?
    { $title }
    1 — погано, 5 — відмінно.
plan-rate-current = Ваша поточна оцінка — { $rating }; нова її замінить.
plan-comment-ask = Дякуємо, оцінку { $rating } збережено. Хочете щось додати? Напишіть коментар (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }) або натисніть «Пропустити».
plan-btn-skip = Пропустити
plan-consent-ask = Чи може робоча група звʼязатися з вами щодо цього відгуку через цей месенджер?
plan-thanks = Дякуємо за відгук! Номер звернення: { $reference }.
plan-thanks-consent = Робоча група може звʼязатися з вами. Відповідь на коментар прийде сюди, у чат.
plan-thanks-anon = Ми не передаватимемо ваших контактів. Відповідь на коментар прийде сюди, у чат.
plan-btn-to-commitment = ◀️ До зобовʼязання

plan-mine-empty = Ви ще не залишали відгуків. Оберіть зобовʼязання й оцініть його.
plan-mine-title = Ваші відгуки:
plan-mine-head = № { $reference } від { $date }
plan-mine-replaced = (оцінку згодом змінено)
plan-mine-comment = Ви написали: «{ $comment }»
plan-mine-answer = Відповідь робочої групи: { $answer }
plan-mine-waiting = Очікує відповіді робочої групи.

plan-news-title = 📰 Новини і прогрес плану дій
plan-news-empty = Оновлень поки немає.
plan-news-followed = Зобовʼязання, за якими ви стежите:
plan-news-follow-hint = Відкрийте зобовʼязання й натисніть «Стежити за прогресом», щоб отримувати оновлення.

plan-poll-list = Опитування. Оберіть, щоб проголосувати або переглянути результати:
plan-poll-none = Зараз немає опитувань.
plan-poll-not-found = Такого опитування немає.
plan-poll-example = (приклад опитування: місто замінить його перед запуском)
plan-poll-period = Голосування: { $start } – { $end }
plan-poll-since = Голосування: з { $start }
plan-poll-until = Голосування: до { $end }
plan-poll-choose = Оберіть один варіант. Голос зараховується один раз, змінити його не можна.
plan-poll-not-open = Голосування ще не почалося.
plan-poll-closed = Опитування завершено.
plan-poll-your-vote = Ваш голос: { $option }
plan-poll-vote-counted = Дякуємо, ваш голос зараховано!
plan-poll-vote-twice = Ви вже проголосували в цьому опитуванні — голос зараховано раніше.
plan-poll-vote-late = На жаль, опитування вже завершилося, голос не зараховано.
plan-poll-votes = { $votes ->
        [one] { $votes } голос
        [few] { $votes } голоси
        [many] { $votes } голосів
       *[other] { $votes } голосу
    }
plan-poll-result-line = { $option } — { plan-poll-votes } ({ $percent }%)
plan-poll-total = Усього: { plan-poll-votes }

plan-notify-update =
    📢 Оновлення зобовʼязання { $number } плану дій
    Статус: { plan-status } · прогрес { $progress }%

    { $text }
plan-notify-answer =
    💬 Відповідь робочої групи на ваш відгук № { $reference } (зобовʼязання { $number })

    Ви написали: «{ $comment }»

    Відповідь: { $answer }

plan-op-title = Робоча група плану дій. Що робимо?
plan-op-btn-inbox = 📥 Відгуки
plan-op-btn-publish = 📢 Опублікувати оновлення
plan-op-btn-polls = 🗳 Опитування
plan-op-inbox-title = Відгуки (фільтр: { $filter }). Спершу — коментарі без відповіді.
plan-op-inbox-empty = Відгуків немає.
plan-op-filter-all = Усі
plan-op-item =
    Відгук № { $reference } від { $date }
    { $commitment }
    Оцінка: { $rating } з 5
plan-op-item-comment = Коментар: «{ $comment }»
plan-op-item-no-comment = Без коментаря.
plan-op-item-contact = Згода на контакт: так — { $channel }:{ $user } ({ $name })
plan-op-item-no-consent = Згоди на контакт немає.
plan-op-item-answer = Відповідь: { $answer }
plan-op-item-reviewed = Розглянуто.
plan-op-item-new = Новий, ще не розглянуто.
plan-op-btn-answer = ✍️ Відповісти
plan-op-btn-reviewed = ✔️ Позначити розглянутим
plan-op-marked-reviewed = Позначено як розглянутий.
plan-op-answer-ask = Напишіть відповідь (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }). Мешканець отримає її в чаті.
plan-op-answered = Відповідь збережено й поставлено в чергу на надсилання.
plan-op-publish-choose = Оновлення якого зобовʼязання публікуємо?
plan-op-publish-status = { $commitment }
    Новий стан виконання:
plan-op-keep = Залишити: { $value }
plan-op-publish-progress = Новий відсоток виконання (0–100; зараз { $current }%):
plan-op-bad-percent = Потрібне ціле число від 0 до 100.
plan-op-publish-text = Текст оновлення (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }):
plan-op-publish-preview =
    Перевірте оновлення:
    { $commitment }
    Статус: { $status }
    Прогрес: { $bar }

    { $text }

    Сповіщення отримають: { $followers }.
plan-op-btn-confirm = ✅ Опублікувати
plan-op-btn-cancel = ✖️ Скасувати
plan-op-cancelled = Публікацію скасовано.
plan-op-published = Оновлення опубліковано. Сповіщень у черзі: { $count }.
plan-op-polls-title = Опитування (усі, разом із чернетками):
plan-op-poll-state = { $state ->
        [draft] чернетка
        [open] відкрите
        [closed] закрите
       *[other] { $state }
    }
plan-op-poll-state-line = Стан: { plan-op-poll-state }
plan-op-btn-new-poll = ➕ Нове опитування
plan-op-btn-open = ▶️ Відкрити
plan-op-btn-close = ⏹ Закрити
plan-op-poll-opened = Опитування відкрито. Посилання для мешканців: /start { $link }
plan-op-poll-closed = Опитування закрито; мешканці бачать результати.
plan-op-poll-created = Чернетку опитування створено. Відкрийте її, коли будете готові.
plan-op-new-question = Напишіть запитання опитування (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }):
plan-op-new-options = Напишіть варіанти відповіді, кожен з нового рядка: від 2 до 10, кожен до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }.
plan-op-bad-options = Отримано варіантів: { $count }. Потрібно від 2 до 10, кожен до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }.
plan-op-new-closes = До якої дати триває опитування? Напишіть дату ДД.ММ.РРРР або натисніть «Без кінцевої дати».
plan-op-btn-no-end = Без кінцевої дати
plan-op-bad-date = Не вдалося прочитати дату. Напишіть майбутню дату як 31.12.2026.
