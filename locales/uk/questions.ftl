## Запитання мешканців до міської ради і відповіді робочої групи.

questions-status = { $status ->
        [answered] ✅ Відповідь надано
        [redirected] ↪️ Запитання не до міської ради
       *[new] ⏳ Чекає на відповідь
    }
questions-btn-mine = 📨 Мої запитання
questions-btn-ask = ✍️ Поставити запитання
questions-mine-title = Ваші запитання до міської ради:
questions-mine-empty = Ви ще не ставили запитань. Напишіть нам — відповідь прийде сюди, у цей чат.
questions-mine-item =
    № { $reference } від { $date }
    «{ $question }»
    { $status }
questions-mine-answer = Відповідь: { $answer }

questions-notify-answer =
    💬 Відповідь на ваше запитання № { $reference }

    Ви запитали: «{ $question }»

    Відповідь: { $answer }
questions-notify-redirected =
    ↪️ Ваше запитання № { $reference } не належить до повноважень міської ради.

    Ви запитали: «{ $question }»

    Куди звернутися: { $answer }

questions-op-title = Запитання мешканців, що чекають на відповідь: { $count }. Спершу ті, що чекають найдовше.
questions-op-empty = Нових запитань немає.
questions-op-not-found = Запитання не знайдено.
questions-op-item = Запитання № { $reference } від { $date }
questions-op-item-text = «{ $question }»
questions-op-item-search = Мешканець шукав: «{ $query }»
questions-op-item-service = Послуга: { $service }
questions-op-btn-answer = 💬 Відповісти
questions-op-btn-redirect = ↪️ Не наше: куди звернутися
questions-op-answer-ask = Напишіть відповідь одним повідомленням (до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }). Мешканець отримає її в тому месенджері, з якого запитував.
questions-op-redirect-ask = Напишіть, куди мешканцеві звернутися: установа, адреса чи телефон (до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }).
questions-op-answered = Відповідь надіслано мешканцеві.
questions-op-redirected = Мешканцеві надіслано, куди звернутися.
questions-op-already = На це запитання вже відповіли.
plan-op-btn-questions = ❓ Запитання ({ $count })
