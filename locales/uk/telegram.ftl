## Telegram channel: the commands menu, the bot's descriptions, Telegram-only hints.

telegram-cmd-start = Почати спочатку
telegram-cmd-menu = Головне меню
telegram-cmd-help = Довідка і команди
telegram-cmd-settings = Налаштування
telegram-cmd-language = Змінити мову
telegram-description =
    «Свої» — чат-бот Хмельницької міської ради для діалогу з громадою: план дій міста і ваші відгуки, міські послуги, графік вивезення відходів і нагадування, новини.
    Натисніть «Почати», щоб обрати мову.
telegram-short-description = Чат-бот Хмельницької міської ради: план дій, послуги, вивезення відходів, новини.
telegram-edited-ignored = Змінені повідомлення ми не обробляємо. Якщо хочете щось виправити, надішліть, будь ласка, новий текст.
