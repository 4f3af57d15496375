reports-menu = 📷 Повідомити про проблему
reports-start = Про яку проблему повідомити? Робоча група отримає звернення й напише вам, що з ним зроблено.
reports-btn-mine = 📋 Мої звернення
reports-place = Де це? Надішліть геолокацію або напишіть адресу, наприклад «вул. Трудова, 5». Для парку чи двору опишіть місце словами.
reports-place-known = Звернення про невивезені відходи за адресою { $address }.
reports-btn-location = 📍 Надіслати геолокацію
reports-place-elsewhere = Схоже, це адреса в іншому населеному пункті. Звернення приймаємо лише про Хмельницький: напишіть адресу в місті або надішліть геолокацію.
reports-photos = { $count ->
        [0] Додайте фото проблеми, якщо можете: просто надішліть його сюди. Найбільше фото: { $limit }.
       *[other] Фото додано: { $count } з { $limit }. Надішліть ще одне або натисніть «Готово».
    }
reports-btn-photos-done = ✅ Готово
reports-btn-no-photos = Без фото
reports-photos-limit = Більше фото додати не можна: найбільше { $limit }.
reports-description = Коротко опишіть проблему (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }) або натисніть «Пропустити».
reports-btn-skip = Пропустити
reports-place-point = геолокація
reports-place-none = не вказано
reports-no-description = без опису
reports-confirm =
    Перевірте звернення:
    Проблема: { $category }
    Місце: { $place }
    Фото: { $photos }
    Опис: { $description }
reports-btn-send = 📨 Надіслати
reports-sent = ✅ Звернення № { $reference } надіслано робочій групі. Коли його статус зміниться, ми напишемо вам тут. Усі звернення — у «Мої звернення».
reports-mine-empty = Ви ще не надсилали звернень.
reports-mine-title = Ваші звернення:
reports-mine-item = № { $reference } від { $date } — { $category }: { $status ->
        [received] отримано
        [in_progress] у роботі
        [resolved] вирішено
       *[rejected] відхилено
    }
reports-mine-comment = Коментар робочої групи: { $comment }
reports-notify-status = Звернення № { $reference }: { $status ->
        [received] отримано
        [in_progress] робоча група взяла його в роботу
        [resolved] проблему вирішено
       *[rejected] звернення відхилено
    }. Коментар: { $comment }
reports-notify-status-bare = Звернення № { $reference }: { $status ->
        [received] отримано
        [in_progress] робоча група взяла його в роботу
        [resolved] проблему вирішено
       *[rejected] звернення відхилено
    }.
reports-error-category = Такої категорії звернень немає.
reports-error-not-found = Такого звернення немає.
reports-op-missed = 🗑 Не вивезли: { $zone }, { $date } — звернень: { $count }
reports-op-no-zone = зона невідома
reports-op-title = Звернення мешканців. Нових: { $count }
reports-op-empty = Звернень поки немає.
reports-op-not-found = Звернення не знайдено. Можливо, мешканець видалив свої дані.
reports-op-item =
    Звернення № { $reference } від { $when }
    Проблема: { $category }
    Місце: { $place }
    Фото: { $photos } (дивіться в панелі робочої групи)
    Опис: { $description }
    Статус: { $status ->
        [received] отримано
        [in_progress] у роботі
        [resolved] вирішено
       *[rejected] відхилено
    }
reports-op-set = { $status ->
        [received] Отримано
        [in_progress] 🔧 У роботі
        [resolved] ✅ Вирішено
       *[rejected] ❌ Відхилити
    }
reports-op-comment = Напишіть коментар для мешканця (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }) або натисніть «Без коментаря».
reports-op-btn-no-comment = Без коментаря
reports-op-done = Статус звернення № { $reference } змінено: { $status ->
        [received] отримано
        [in_progress] у роботі
        [resolved] вирішено
       *[rejected] відхилено
    }. Мешканцю надіслано сповіщення.

# The console's reports pages (bot/channels/web/admin/pages/reports.py)
web-admin-nav-reports = Звернення
web-admin-reports-title = Звернення мешканців
web-admin-reports-any = усі
web-admin-reports-category = Проблема
web-admin-reports-download = Завантажити вибране:
web-admin-reports-missed-title = Невивезені відходи: звернення за { $days ->
        [one] останній { $days } день
        [few] останні { $days } дні
       *[other] останні { $days } днів
    } за зонами
web-admin-reports-missed-none = Звернень про невивезені відходи за цей час немає.
web-admin-reports-count = Звернень
web-admin-reports-which = Які
web-admin-reports-short = № { $reference }
web-admin-reports-plan-title = Де це
web-admin-reports-plan-caption = Звернень із геолокацією на схемі: { $count }. Натисніть точку, щоб відкрити звернення; карта міста — у вивантаженні для геопорталу.
web-admin-reports-without-place = { $count ->
        [one] Ще { $count } звернення без геолокації є лише в списку.
        [few] Ще { $count } звернення без геолокації є лише в списку.
       *[other] Ще { $count } звернень без геолокації є лише в списку.
    }
web-admin-reports-list-title = Усі вибрані звернення, нові вгорі
web-admin-reports-list-cut = Показано { $count } { $count ->
        [one] найновіше
        [few] найновіші
       *[other] найновіших
    }. Усі вибрані звернення — у вивантаженні для таблиць.
web-admin-reports-reference = Звернення № { $reference }
web-admin-reports-place = Місце
web-admin-reports-photos = Фото
web-admin-reports-status = { $status ->
        [received] отримано
        [in_progress] у роботі
        [resolved] вирішено
       *[rejected] відхилено
    }
web-admin-reports-empty = Звернень із такими умовами немає.
web-admin-reports-osm = відкрити на OpenStreetMap
web-admin-reports-description = Опис
web-admin-reports-channel = Канал
web-admin-reports-comment = Коментар робочої групи
web-admin-reports-updated = Змінено
web-admin-reports-photo-alt = Фото { $number } до звернення № { $reference }
web-admin-reports-photos-hint = Метадані (зокрема місце зйомки) вилучено під час збереження. Кожен перегляд фото записано в журнал дій.
web-admin-reports-no-photos = Мешканець не додав фото.
web-admin-reports-set = Змінити статус
web-admin-reports-comment-label = Коментар для мешканця (необовʼязково)
web-admin-reports-comment-hint = До { $limit } { $limit ->
        [one] символу
       *[other] символів
    }. Мешканець отримає сповіщення в тому месенджері, з якого надіслав звернення.
web-admin-reports-save = Зберегти й сповістити
web-admin-notice-report-status = Статус збережено. Якщо він змінився, мешканець отримає сповіщення.
