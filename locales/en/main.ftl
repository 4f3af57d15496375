## Core: onboarding, menu, help, settings, errors.

onboarding-welcome =
    Вітаємо! Це «Свої» — чат-бот Хмельницької міської ради для діалогу з громадою.
    Welcome! This is Svoi, the chatbot of Khmelnytskyi City Council.

    Оберіть мову / Choose your language:
onboarding-pick-language = Please choose a language with the buttons below.
onboarding-done = Great, we'll talk in English. You can change the language in Settings or with /language.
welcome-back = Welcome back to Svoi!
privacy-short = We keep only what we need to answer you and send reminders, and we share it with no one. More: Settings → Privacy.
privacy-full =
    Privacy in Svoi

    We keep your messenger id, your language, your ratings and comments, your subscriptions and the addresses you gave for reminders — only to answer you and to send what you subscribed to.
    The data is processed by Khmelnytskyi City Council under the Law of Ukraine "On Personal Data Protection". You can unsubscribe from messages at any time.

menu-title = Main menu. What are you interested in?
menu-plan = 📋 Plan & feedback
menu-services = 🏛 City services
menu-waste = ♻️ Waste collection
menu-news = 📰 News & progress
menu-settings = ⚙️ Settings
menu-operator = 🛠 Working group

btn-back = ◀️ Back
btn-menu = 🏠 Menu
btn-yes = Yes
btn-no = No
btn-more = More ▶️
btn-prev = ◀️ Previous

help-text =
    Svoi is the chatbot of Khmelnytskyi City Council.
    Here you can browse the city's action plan and leave feedback, find an administrative service, check the waste collection schedule and subscribe to reminders.

    Commands:
    /menu — main menu
    /settings — settings
    /language — change language
    /cancel — cancel the current action
    /help — this help

help-operator =
    For the working group:
    /operator — feedback, residents' questions, progress updates, polls
    /broadcast — a message to residents
    /handoffs — conversations with residents
    /reports — residents' reports of a problem

help-admin =
    For admins:
    /roles — who has a role
    /grant channel:id role — give a role
    /revoke channel:id — take a role away
    /audit — the latest audit entries

settings-title = Settings. Language: { $language }.
settings-language = 🌐 Language
settings-privacy = 🔒 Privacy
settings-linking = 🔗 Connect another messenger
settings-choose-language = Choose a language:
settings-language-changed = Done, the language has been changed.

cancel-done = Cancelled.
cancel-nothing = There is nothing to cancel.

input-empty = The message is empty. Please type some text or use the buttons.
input-too-long = The message is too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, the limit is { $limit }. Please shorten it.
input-unsupported = For now we understand text, buttons, locations, contacts and photos. Please write in text.
input-attachment-unexpected = Thank you for the photo, but it isn't needed right now. You can add photos to a report: "Report a problem" in the menu.
attachment-too-large = The file is too large: { $limit } MB at most. Please send a smaller photo.
attachment-not-an-image = This does not look like a photo. Please send a picture from your phone's camera or gallery.
attachment-unavailable = We could not get the photo. Please try sending it again.
input-location-unexpected = Thank you for the location, but it isn't needed right now.
input-contact-unexpected = Thank you, but a contact isn't needed right now.
unknown-command = There is no command /{ $command }. See /help for the list.
fallback-use-buttons = We didn't quite get that. Please use the buttons or /help.
stale-menu = That menu is out of date. Here is the current one:
operator-only = This section is for the working group only.
error-apology = Sorry, something went wrong on our side. We have been notified (code { $ref }). Please try again from the main menu.

render-choose-number = Send the number of your choice.
render-choose-number-hash = To choose an option, send # and its number, e.g. #1.
render-share-location = Send your location: /location <latitude> <longitude>
render-share-phone = Send your phone number: /contact <number>

count-reminders = { $count ->
        [one] { $count } reminder
       *[other] { $count } reminders
    }
