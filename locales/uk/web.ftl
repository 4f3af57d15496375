## Web chat (bot/channels/web): the page and its script.

web-title = Свої — чат Хмельницької міської ради
web-heading = Свої
web-subtitle = Чат Хмельницької міської ради з громадою
web-skip-to-input = Перейти до поля повідомлення
web-language-nav = Мова сторінки
web-switch-language = English
web-log-label = Розмова
web-input-label = Ваше повідомлення
web-input-hint = Щоб надіслати, натисніть клавішу введення ⏎; новий рядок — ⇧ і ⏎ разом. Між кнопками в повідомленнях можна переходити клавішею табуляції ⇥.
web-send = Надіслати
web-menu = Головне меню
web-help = Довідка
web-noscript = Щоб чат працював, дозвольте браузеру виконувати скрипти на цій сторінці. Також можна написати «Своїм» у Telegram або Viber.
web-you = Ви
web-svoi = Свої
web-sending = Надсилаємо…
web-send-failed = Не вдалося надіслати. Перевірте зʼєднання і спробуйте ще раз.
web-too-many-new-chats = З вашої мережі цієї години почато забагато нових розмов. Спробуйте пізніше або напишіть «Своїм» у Telegram чи Viber.
web-bad-request = Сторінка надіслала запит, який «Свої» не змогли прочитати. Оновіть сторінку і спробуйте ще раз.
web-unavailable = «Свої» ненадовго недоступні. Спробуйте ще раз за хвилину.
web-offline = Звʼязок перервано, поновлюємо…
web-online = На звʼязку.
web-location-asking = Браузер запитає дозвіл поділитися геолокацією…
web-location-denied = Геолокація недоступна. Напишіть адресу текстом.
web-location-unsupported = Цей браузер не вміє ділитися геолокацією. Напишіть адресу текстом.
web-location-sent = 📍 Моя геолокація
web-phone-label = Номер телефону
web-phone-send = Надіслати номер
web-download = Завантажити
web-map-link = Показати на мапі
web-new-messages = Нове повідомлення від «Своїх».

## Operator console (/admin).

web-admin-title = Свої · робоча група
web-admin-skip = Перейти до змісту
web-admin-nav = Розділи консолі
web-admin-nav-dashboard = Огляд
web-admin-nav-feedback = Відгуки
web-admin-nav-commitments = Зобовʼязання
web-admin-nav-polls = Опитування
web-admin-nav-broadcasts = Розсилки
web-admin-nav-waste = Вивезення відходів
web-admin-nav-services = Каталог послуг
web-admin-nav-audit = Журнал дій
web-admin-signed-in = { $account } ({ $role })
web-admin-logout = Вийти
web-admin-no-data = Поки що немає даних.
web-admin-chart-table = Ті самі дані таблицею
web-admin-example = приклад

web-admin-login-title = Вхід до консолі
web-admin-login-account = Обліковий запис
web-admin-login-account-hint = Канал і ваш ідентифікатор у ньому, наприклад telegram:123456789
web-admin-login-password = Пароль
web-admin-login-submit = Увійти
web-admin-login-failed = Неправильний обліковий запис або пароль.
web-admin-login-locked = Забагато невдалих спроб. Вхід для цього облікового запису заблоковано приблизно на { $minutes } { $minutes ->
        [one] хвилину
        [few] хвилини
        [many] хвилин
       *[other] хвилини
    }.

web-admin-refused-title = Доступ заборонено
web-admin-refused-login = Увійдіть, щоб працювати з консоллю.
web-admin-refused-role = Ваша роль ({ $role }) не дає доступу до консолі робочої групи.
web-admin-refused-csrf = Запит відхилено: форма застаріла або надіслана з іншого сайту. Оновіть сторінку і спробуйте ще раз.

web-admin-notice-answered = Відповідь збережено; мешканець отримає її у своєму месенджері.
web-admin-notice-reviewed = Позначено як розглянутий.
web-admin-notice-published = Оновлення опубліковано; підписники отримають сповіщення.
web-admin-notice-poll-created = Опитування створено як чернетку. Відкрийте його, коли будете готові.
web-admin-notice-poll-opened = Опитування відкрито.
web-admin-notice-poll-closed = Опитування закрито.
web-admin-notice-poll-edited = Зміни в опитуванні збережено.
web-admin-notice-broadcast-queued = Розсилку поставлено в чергу.
web-admin-notice-broadcast-scheduled = Розсилку заплановано.
web-admin-notice-broadcast-cancelled = Розсилку скасовано; повідомлення, що ще чекали, не надсилатимуться.
web-admin-notice-waste-saved = Зміну графіка збережено; підписники отримають сповіщення.
web-admin-notice-logged-out = Ви вийшли з консолі.

web-admin-error-empty = Текст порожній.
web-admin-error-too-long = Текст задовгий: можна до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }.
web-admin-error-not-found = Не знайдено.
web-admin-error-already-answered = На цей відгук уже відповіли або він без коментаря.
web-admin-error-status = Невідомий статус.
web-admin-error-progress = Прогрес — ціле число від 0 до 100.
web-admin-error-options = Потрібно від 2 до 10 варіантів, кожен до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }, по одному в рядку.
web-admin-error-past = Дата закриття вже минула.
web-admin-error-poll-options-locked = Варіанти можна змінити лише в чернетці, за яку ще ніхто не голосував. Запитання й дату закриття змінити можна.
web-admin-error-audience = Ця аудиторія недоступна: оберіть іншу або її значення.
web-admin-error-link = Посилання має вигляд «Підпис | https://…», підпис до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }.
web-admin-error-schedule = Час розсилки має бути в майбутньому, не далі ніж за { $days } { $days ->
        [one] день
        [few] дні
       *[many] днів
    }.
web-admin-error-finished = Розсилка вже завершена або скасована.
web-admin-error-reason = Вкажіть причину українською.
web-admin-error-schedule-day = Цю зміну не можна застосувати: { $detail }
web-admin-error-date = Вкажіть правильну дату.
web-admin-error-file = Оберіть файл для імпорту.

web-admin-chart-channels = Мешканці за каналами
web-admin-chart-languages = Мешканці за мовою
web-admin-chart-ratings = Середня оцінка зобовʼязань (1–5) і кількість оцінок
web-admin-chart-poll = Результати, % голосів
web-admin-language = { $code ->
        [uk] українська
        [en] англійська
       *[other] { $code }
    }
web-admin-rating-shown = { $average } ({ $count })
web-admin-residents = Мешканці
web-admin-residents-total = Активних: { $active }, тих, хто заблокував бота: { $inactive }.
web-admin-subscriptions = Підписки
web-admin-subscriptions-kind = { $kind ->
        [plan] Стежать за зобовʼязаннями
        [waste] Нагадування про вивезення
        [mutes] Вимкнені сповіщення
       *[other] { $kind }
    }
web-admin-ratings = Оцінки зобовʼязань
web-admin-delivery = Доставка
web-admin-delivery-waiting = Чекають на надсилання: { $count }.
web-admin-delivery-oldest = Найстаріше з { $when }.
web-admin-delivery-day = Повідомлення за останню добу
web-admin-channel = Канал
web-admin-outbox-status = { $status ->
        [sent] надіслано
        [pending] чекає
        [sending] надсилається
        [failed] помилка
        [skipped] пропущено
        [unknown] невідомо
       *[other] { $status }
    }

web-admin-filter-commitment = Зобовʼязання
web-admin-filter-all = Усі
web-admin-filter-waiting = Лише ті, що чекають відповіді або перегляду
web-admin-filter-apply = Показати
web-admin-feedback-count = { $count ->
        [one] { $count } відгук
        [few] { $count } відгуки
        [many] { $count } відгуків
       *[other] { $count } відгуку
    }
web-admin-feedback-empty = Відгуків немає.
web-admin-reference = Номер
web-admin-date = Дата
web-admin-commitment = Зобовʼязання
web-admin-rating = Оцінка
web-admin-rating-of = { $rating } з 5
web-admin-comment = Коментар
web-admin-state = Стан
web-admin-state-waiting = чекає відповіді
web-admin-state-answered = є відповідь
web-admin-state-reviewed = розглянуто
web-admin-state-new = новий
web-admin-feedback-title = Відгук { $reference }
web-admin-no-comment = без коментаря
web-admin-contact = Контакт
web-admin-no-consent = мешканець не дав згоди на контакт
web-admin-answer = Відповідь
web-admin-answer-label = Відповідь мешканцю
web-admin-answer-hint = До { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }. Мешканець отримає її у тому месенджері, де залишив відгук.
web-admin-answer-send = Надіслати відповідь
web-admin-mark-reviewed = Позначити як розглянутий

web-admin-status = Статус
web-admin-progress = Прогрес
web-admin-followers = Стежать
web-admin-publish-title = Опублікувати оновлення
web-admin-keep = Залишити: { $value }
web-admin-progress-label = Прогрес, %
web-admin-progress-hint = Порожнє поле — залишити { $current }%.
web-admin-update-text = Текст оновлення
web-admin-notify-followers = Сповістити тих, хто стежить ({ $count })
web-admin-publish = Опублікувати
web-admin-timeline = Хронологія

web-admin-poll-question = Запитання
web-admin-poll-closes = Закривається
web-admin-poll-state = { $state ->
        [draft] чернетка
        [open] відкрите
        [closed] закрите
       *[other] { $state }
    }
web-admin-poll-new = Нове опитування
web-admin-poll-options = Варіанти відповіді
web-admin-poll-options-hint = Від 2 до 10 варіантів, по одному в рядку.
web-admin-poll-closes-hint = Необовʼязково: опитування закриється наприкінці цього дня (за київським часом).
web-admin-poll-create = Створити чернетку
web-admin-poll-link = Посилання для чату: /start { $link }
web-admin-poll-total = Усього голосів: { $count }
web-admin-poll-open = Відкрити опитування
web-admin-poll-close = Закрити опитування

web-admin-broadcast-new = Нова розсилка
web-admin-broadcast-text = Текст
web-admin-broadcast-link = Кнопка-посилання (необовʼязково)
web-admin-broadcast-link-hint = Підпис | https://адреса, наприклад: Деталі | https://khm.gov.ua
web-admin-audience = Аудиторія
web-admin-audience-kind = { $kind ->
        [everyone] усі мешканці
        [language] за мовою
        [followers] ті, хто стежить за зобовʼязанням
        [zone] підписники зони вивезення
       *[other] { $kind }
    }
web-admin-audience-value = Значення аудиторії
web-admin-audience-count = Отримають: { $count } ({ $channels })
web-admin-viber-cost = Орієнтовна вартість у Viber: { $count } { $count ->
        [one] повідомлення
        [few] повідомлення
        [many] повідомлень
       *[other] повідомлення
    } ≈ { $cost } { $currency ->
        [UAH] грн
       *[other] { $currency }
    }
web-admin-broadcast-urgent = Термінова (надсилати і в тихі години)
web-admin-broadcast-schedule = Запланувати на
web-admin-broadcast-when = Час надсилання
web-admin-broadcast-when-hint = За київським часом.
web-admin-broadcast-preview = Попередній перегляд
web-admin-broadcast-send = Надіслати
web-admin-broadcast-preview-title = Як це побачать у кожному каналі
web-admin-broadcast-recent = Останні розсилки
web-admin-broadcast-sent = Надіслано
web-admin-broadcast-status = { $status ->
        [scheduled] заплановано
        [sending] надсилається
        [done] завершено
        [cancelled] скасовано
       *[other] { $status }
    }
web-admin-broadcast-title = Розсилка № { $id }
web-admin-broadcast-progress = Хід розсилки
web-admin-broadcast-done = Оброблено
web-admin-broadcast-blocked = Заблокували бота
web-admin-broadcast-failed = Помилки
web-admin-broadcast-waiting = Чекають
web-admin-broadcast-skipped = Пропущено
web-admin-broadcast-doubled = Під час розсилки сервер перезапустився: до { $count } { $count ->
        [one] мешканця
       *[other] мешканців
    } могли отримати повідомлення двічі. Нічого не втрачено.
web-admin-broadcast-digested = Ще { $count } { $count ->
        [one] мешканець отримає
        [few] мешканці отримають
       *[other] мешканців отримають
    } цю розсилку в дайджесті новин — так вони обрали в налаштуваннях.
web-admin-broadcast-cancel = Скасувати розсилку

web-admin-waste-new = Перенести або скасувати день вивезення
web-admin-waste-zone = Зона
web-admin-waste-type = Вид відходів
web-admin-waste-date = День за графіком
web-admin-waste-action = Що змінити
web-admin-waste-cancel = Скасувати вивезення цього дня
web-admin-waste-move = Перенести на
web-admin-waste-new-date = Нова дата
web-admin-waste-reason-uk = Причина (українською)
web-admin-waste-reason-en = Причина (англійською, необовʼязково)
web-admin-waste-save = Зберегти і сповістити підписників
web-admin-waste-upcoming = Зміни графіка попереду
web-admin-waste-cancelled = скасовано

web-admin-services-counts = У каталозі: послуг — { $services }, категорій — { $categories }, офісів — { $offices }.
web-admin-services-source = Останній імпорт: { $when }. Файл:
web-admin-services-report = Звіт перевірки
web-admin-services-problems = { $count ->
        [one] Знайдено { $count } проблему; нічого не змінено.
        [few] Знайдено { $count } проблеми; нічого не змінено.
        [many] Знайдено { $count } проблем; нічого не змінено.
       *[other] Знайдено { $count } проблеми; нічого не змінено.
    }
web-admin-services-valid = Файл правильний (перевірка без змін):
web-admin-services-imported = Імпортовано:
web-admin-services-import = Імпорт каталогу
web-admin-services-file = Файл каталогу
web-admin-services-file-hint = Підходять файли { $formats }. Як їх скласти, описано у файлі { $guide }. Файл з помилками нічого не змінює.
web-admin-services-dry-run = Лише перевірити, нічого не змінювати
web-admin-services-submit = Завантажити

web-admin-audit-actor = Хто
web-admin-audit-action = Дія
web-admin-audit-target = Обʼєкт
web-admin-audit-outcome = Результат

web-admin-zone = Київ

web-admin-nav-questions = Запитання мешканців
web-admin-nav-questions-waiting = Запитання мешканців ({ $count })
web-admin-notice-question-answered = Відповідь надіслано; мешканець отримає її у своєму месенджері.
web-admin-notice-question-redirected = Мешканцеві надіслано, куди звернутися.
web-admin-questions-waiting = { $count ->
        [one] На відповідь чекає { $count } запитання.
        [few] На відповідь чекають { $count } запитання.
        [many] На відповідь чекають { $count } запитань.
       *[other] На відповідь чекають { $count } запитання.
    }
web-admin-questions-live = { $seconds ->
        [one] Список оновлюється сам раз на { $seconds } секунду.
        [few] Список оновлюється сам раз на { $seconds } секунди.
        [many] Список оновлюється сам раз на { $seconds } секунд.
       *[other] Список оновлюється сам раз на { $seconds } секунди.
    }
web-admin-questions-filter = Які запитання показати
web-admin-questions-show-waiting = Ті, що чекають на відповідь
web-admin-questions-show-all = Усі запитання
web-admin-questions-order-waiting = Спершу ті, що чекають найдовше.
web-admin-questions-order-all = Спершу найновіші.
web-admin-questions-empty = Нових запитань немає.
web-admin-questions-empty-all = Мешканці ще не ставили запитань.
web-admin-question = Запитання
web-admin-question-reference = № { $reference }
web-admin-question-title = Запитання № { $reference }
web-admin-question-state = { $status ->
        [answered] є відповідь
        [redirected] не до міської ради: ми підказали, куди звернутися
       *[new] чекає на відповідь
    }
web-admin-question-search = Що мешканець шукав
web-admin-question-service = Послуга (код у каталозі)
web-admin-question-pointer = Куди звернутися
web-admin-question-answered-by = Хто відповів і коли
web-admin-question-answer = Відповісти
web-admin-question-answer-hint = До { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }. Мешканець отримає відповідь у месенджері, з якого запитував.
web-admin-question-redirect = Не до нас: куди звернутися
web-admin-question-redirect-label = Куди мешканцеві звернутися
web-admin-question-redirect-hint = Установа, адреса чи телефон; до { $limit } { $limit ->
        [one] символу
        [few] символів
        [many] символів
       *[other] символу
    }. Мешканець отримає це у своєму месенджері.
web-admin-question-redirect-send = Надіслати, куди звернутися
web-admin-question-already = На це запитання вже відповіли. Мешканець не отримає другої відповіді.
web-admin-poll-edit = Змінити опитування
web-admin-poll-save = Зберегти зміни
web-admin-poll-options-locked = Варіанти вже не змінити: опитування відкрите або за нього голосували.
web-photo = 📷 Фото
web-photo-sent = 📷 Фото
web-photo-too-large = Фото завелике. Надішліть, будь ласка, менше.
