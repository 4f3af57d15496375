## Linking channels: one profile across Telegram, Viber and the web chat (docs/linking.md).

linking-channel = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] вебчат на сайті
        [console] чат у терміналі
       *[other] { $channel }
    }
linking-code =
    🔗 Ваш код: { $reference }
    Код діє { $minutes ->
        [one] { $minutes } хвилину
        [few] { $minutes } хвилини
        [many] { $minutes } хвилин
       *[other] { $minutes } хвилини
    } і лише один раз. Надішліть його нам в іншому месенджері або відкрийте посилання.
linking-code-link = { $channel }: { $website }
linking-code-here = Маєте код з іншого месенджера? Надішліть його сюди.
linking-btn-open = Відкрити: { $channel }
linking-not-a-code = Це не схоже на код. Код — 6 латинських літер і цифр, як на екрані іншого месенджера.
linking-linked = Повʼязані месенджери: { $channels }. У них спільні підписки, відгуки, голоси й мова.
linking-notify-auto = Сповіщення надсилаємо сюди: { $channel } (месенджер, де ви писали востаннє).
linking-notify-chosen = Сповіщення надсилаємо сюди: { $channel } (ваш вибір).
linking-btn-another = ➕ Ще один месенджер
linking-btn-choose = 🔔 Куди надсилати сповіщення
linking-btn-unlink = ✂️ Відʼєднати цей чат
linking-btn-auto = 🕘 Де писали востаннє
linking-choose = Оберіть, куди надсилати сповіщення. Кожне сповіщення надійде один раз.
linking-unlink-confirm =
    Відʼєднати цей чат ({ $channel })?
    Підписки, відгуки й голоси залишаться в інших месенджерах, а тут профіль почнеться з початку.
linking-unlinked = Готово, цей чат відʼєднано. Тепер його дані окремі.
linking-done = ✅ Готово, месенджери повʼязано: { $channels }. Тепер у них спільні підписки, відгуки, голоси й мова.
linking-wrong = Такого коду немає. Перевірте літери й цифри або попросіть новий код: Налаштування → «Підʼєднати інший месенджер».
linking-expired = Цей код уже не діє: код дійсний 10 хвилин. Попросіть новий у налаштуваннях.
linking-used = Цей код уже використано. Попросіть новий у налаштуваннях.
linking-own = Це код цього ж профілю: ці чати вже повʼязані. Надішліть код в іншому месенджері.
linking-same-channel = Цей код — з іншого облікового запису в тому самому месенджері. Повʼязати можна різні месенджери: Telegram, Viber і вебчат.
linking-too-many = Забагато невдалих спроб. Спробуйте знову через { $minutes ->
        [one] { $minutes } хвилину
        [few] { $minutes } хвилини
        [many] { $minutes } хвилин
       *[other] { $minutes } хвилини
    }.
linking-vote-twice = Ви вже голосували в цьому опитуванні з повʼязаного месенджера. Одна людина — один голос; зараховано перший.
