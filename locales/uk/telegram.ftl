## Telegram channel: the commands menu, the bot's descriptions, Telegram-only hints.

telegram-cmd-start = Почати спочатку
telegram-cmd-menu = Головне меню
telegram-cmd-help = Довідка і команди
telegram-cmd-settings = Налаштування
telegram-cmd-language = Змінити мову
telegram-description =
    «Свої» — чат-бот Хмельницької міської ради для діалогу з громадою: план відкритого урядування і ваші відгуки, міські послуги, графік вивезення сміття та нагадування, новини.
    Натисніть «Почати», щоб обрати мову.
telegram-short-description = Чат-бот Хмельницької міської ради: план, послуги, сміття, новини.
telegram-edited-ignored = Я не обробляю змінені повідомлення. Якщо хочете щось виправити, надішліть, будь ласка, новий текст.
