## Delivery: muting notifications, the author's report, operator broadcasts.

delivery-btn-mute = 🔕 Вимкнути такі повідомлення
delivery-btn-unmute = 🔔 Повернути
delivery-muted = Гаразд, ви більше не отримуватимете повідомлення «{ $category }». Повернути їх можна кнопкою нижче.
delivery-unmuted = Повідомлення «{ $category }» знову надходитимуть.
delivery-mute-invalid = Ця кнопка застаріла. Відкрийте головне меню.
delivery-category-waste = вивезення відходів
delivery-category-broadcast = розсилки міської ради
delivery-category-plan = новини плану дій
delivery-category-plan-answers = відповіді на ваші відгуки
delivery-category-question-answers = відповіді на ваші запитання
delivery-category-other = { $category }
delivery-report =
    Розсилку № { $id } завершено.
    Надіслано: { $sent } з { $total }
    Заблокували бота: { $blocked }
    Не вдалося: { $failed }
    Пропущено (вимкнули сповіщення, скасовано): { $skipped }
    { $digested ->
        [0] {""}
       *[other] Отримають у дайджесті новин: { $digested }
    }

broadcast-title = Розсилки робочої групи.
broadcast-btn-new = ✍️ Нова розсилка
broadcast-btn-recent = 📊 Останні розсилки
broadcast-compose = Надішліть текст розсилки (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }). Мешканці побачать його саме так.
broadcast-link = Додати кнопку-посилання? Надішліть «Назва | https://…» або натисніть «Без посилання».
broadcast-btn-no-link = Без посилання
broadcast-link-invalid = Не вдалося прочитати посилання. Формат: «Назва | https://…», назва до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }.
broadcast-audience = Кому надіслати?
broadcast-audience-pick-everyone = 👥 Усім
broadcast-audience-pick-language = 🌐 За мовою
broadcast-audience-pick-followers = 📋 Стежать за зобовʼязанням
broadcast-audience-pick-zone = ♻️ За зоною вивезення
broadcast-pick-language = Оберіть мову отримувачів:
broadcast-language-uk = Українська
broadcast-language-en = English
broadcast-pick-followers = Оберіть зобовʼязання:
broadcast-pick-zone = Оберіть зону вивезення:
broadcast-no-choices = Для цієї аудиторії ще немає даних. Оберіть іншу.
broadcast-audience-everyone = усі мешканці
broadcast-audience-language = мова: { $value ->
        [uk] українська
        [en] англійська
       *[other] { $value }
    }
broadcast-audience-followers = ті, хто стежить за зобовʼязанням: { $value }
broadcast-audience-zone = підписники зони вивезення: { $value }
channel-name = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] вебчат
        [console] чат у терміналі
       *[other] { $channel }
    }
broadcast-summary =
    Аудиторія: { $audience }.
    Отримувачів: { $count } ({ $channels }).
    Терміново (без тихих годин): { $urgent ->
        [yes] так
       *[no] ні
    }.
broadcast-viber-cost = Viber: { $count } { $count ->
        [one] повідомлення
        [few] повідомлення
        [many] повідомлень
       *[other] повідомлення
    }, орієнтовна вартість { $cost } { $currency ->
        [UAH] грн
       *[other] { $currency }
    }.
broadcast-preview = Так мешканці побачать повідомлення:
broadcast-confirm = Надіслати?
broadcast-btn-send = ✅ Надіслати зараз
broadcast-btn-schedule = 🕒 Запланувати
broadcast-btn-urgent = ⚡ Позначити терміновою
broadcast-btn-urgent-off = Зняти позначку «терміново»
broadcast-btn-edit = ✏️ Змінити текст
broadcast-schedule = Коли надіслати? Напишіть дату й час за київським часом, наприклад { $example }, або лише час.
broadcast-schedule-invalid = Не вдалося прочитати час. Приклад: 01.12.2026 10:00 або 10:00.
broadcast-schedule-range = Час має бути в майбутньому, не пізніше ніж через { $days } { $days ->
        [one] день
        [few] дні
       *[many] днів
    }.
broadcast-queued = Розсилку № { $id } поставлено в чергу: { $count } { $count ->
        [one] отримувач
        [few] отримувачі
        [many] отримувачів
       *[other] отримувача
    }. Коли її буде завершено, ви отримаєте звіт.
broadcast-scheduled = Розсилку № { $id } заплановано на { $when }.
broadcast-none = Розсилок ще не було.
broadcast-line = № { $id } · { $status } · { $when } · отримувачів: { $recipients }
broadcast-status-scheduled = заплановано
broadcast-status-sending = надсилається
broadcast-status-done = завершено
broadcast-status-cancelled = скасовано
broadcast-not-found = Розсилку № { $id } не знайдено.
broadcast-progress =
    Надіслано: { $sent } з { $total }
    Заблокували бота: { $blocked }
    Не вдалося: { $failed }
    Очікують: { $waiting }
    Пропущено: { $skipped }
broadcast-btn-progress = 🔄 Оновити стан
broadcast-btn-cancel = ⛔ Скасувати розсилку
broadcast-cancelled = Розсилку скасовано: повідомлення, що ще чекали, не буде надіслано.
broadcast-cancel-late = Цю розсилку вже завершено або скасовано.
