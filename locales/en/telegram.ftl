## Telegram channel: the commands menu, the bot's descriptions, Telegram-only hints.

telegram-cmd-start = Start over
telegram-cmd-menu = Main menu
telegram-cmd-help = Help and commands
telegram-cmd-settings = Settings
telegram-cmd-language = Change language
telegram-description =
    Svoi is the chatbot of Khmelnytskyi City Council for talking with residents: the city's action plan and your feedback, city services, the waste collection schedule with reminders, and news.
    Press Start to choose your language.
telegram-short-description = Khmelnytskyi City Council chatbot: action plan, services, waste collection, news.
telegram-edited-ignored = We don't process edited messages. If you want to correct something, please send the new text as a new message.
