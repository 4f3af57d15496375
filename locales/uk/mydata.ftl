## /mydata: what Svoi stores about a resident, section by section, and the file beside it.

mydata-intro =
    📦 Ваші дані у «Своїх» станом на { $date }
    Нижче — коротко, розділ за розділом. Усі записи повністю — у файлі { $name }: його можна зберегти або відкрити програмою.

mydata-profile-title = Профіль
mydata-profile-channel = Месенджер: { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] вебчат на сайті
        [console] чат у терміналі
       *[other] { $channel }
    }
mydata-profile-name = Імʼя: { $name }
mydata-profile-since = Пишете нам від { $date }
mydata-profile-seen = Останнє повідомлення: { $date }
mydata-profile-off = Повідомлення від нас вимкнено: месенджер повідомив, що ви відписалися.
mydata-language = Мова: { $language ->
        [uk] українська
        [en] англійська
       *[other] { $language }
    }
mydata-language-chosen = Мову ви обрали самі.
mydata-language-guessed = Мову ще не обрано: ми взяли мову вашого застосунку.
mydata-role = Роль у робочій групі: { $role ->
        [admin] адміністратор
        [operator] учасник робочої групи
        [viewer] перегляд статистики
       *[other] { $role }
    }. Її зберігаємо й після видалення даних, щоб було видно, хто що робив.
mydata-account = Ваш обліковий запис для панелі робочої групи: { $account }

mydata-subscriptions-title = Нагадування про вивезення відходів: { $count }
mydata-subscription =
    📍 { $address }
    { $types }
mydata-subscription-when = Нагадуємо { $offset ->
        [0] у день вивезення
       *[other] напередодні
    } о { $hour }.
mydata-subscription-paused = Нагадування призупинено.
mydata-calendar-links = Посилання на календар вивезення: { $count }

mydata-notifications-title = Сповіщення
mydata-muted = Ви вимкнули: { $categories }.
mydata-muted-none = Усі сповіщення увімкнено.
mydata-messages = Повідомлення від нас (розсилки, нагадування, відповіді) у журналі надсилання: { $count }

mydata-follows-title = Ви стежите за зобовʼязаннями плану дій: { $count }
mydata-follow = • Зобовʼязання { $number }: { $title }

mydata-feedback-title = Ваші відгуки про план дій: { $count }
mydata-feedback-head = Відгук № { $reference } від { $date }: оцінка { $rating } з 5
mydata-feedback-about = Зобовʼязання { $number }: { $title }
mydata-feedback-comment = Ваш коментар: { $comment }
mydata-feedback-answer = Відповідь робочої групи: { $answer }
mydata-feedback-waiting = Відповіді ще немає.

mydata-votes-title = Ваші голоси в опитуваннях: { $count }
mydata-vote =
    Опитування: { $question }
    Ваш вибір: { $option }

mydata-questions-title = Ваші запитання до міської ради: { $count }
mydata-question-head = Запитання № { $reference } від { $date }
mydata-question-text = Ви запитали: { $text }
mydata-question-answer = Відповідь: { $answer }

mydata-conversations-title = Ваші розмови з робочою групою: { $count }
mydata-conversation-head = Розмова від { $date }: { $status ->
        [waiting] чекає на працівника
        [taken] триває
       *[closed] завершена
    }, повідомлень: { $messages }
mydata-conversation-line = { $author ->
        [resident] Ви
       *[operator] Робоча група
    }: { $text }

mydata-reports-title = Ваші звернення про проблеми: { $count }
mydata-report = № { $reference } від { $date } — { $category }: { $status ->
        [received] отримано
        [in_progress] у роботі
        [resolved] вирішено
       *[rejected] відхилено
    }
mydata-photos-title = Ваші фото: { $count }
mydata-photo = Фото від { $date }, зберігається до { $until }. Робоча група бачить його лише разом зі зверненням.

mydata-more = …і ще { $count } — у файлі.
mydata-empty = Немає записів у розділах: { $sections }.
mydata-section-name = { $section ->
        [subscriptions] нагадування
        [notifications] сповіщення
        [follows] стеження
        [feedback] відгуки
        [votes] голоси
        [questions] запитання
        [conversations] розмови з робочою групою
        [reports] звернення
        [photos] фото
       *[other] { $section }
    }

mydata-other-title = Інші записи про вас (у файлі — розділ з такою самою назвою):
mydata-other-line = • { $name }: { $count }

mydata-internal = Службові записи: { $items }. Вони потрібні для роботи чату й видаляються самі; у файлі їх позначено як службові.
mydata-internal-none = Службових записів про вас зараз немає.
mydata-internal-dialog = крок розмови, на якому ви зараз
mydata-internal-flood = лічильник частоти повідомлень
mydata-internal-downloads = тимчасові посилання на файли
mydata-internal-web-pending = повідомлення, що чекають на вебчат
mydata-internal-receipts = позначки про доставку
mydata-internal-linking = коди для повʼязування месенджерів і лічильник невдалих спроб
mydata-not-exported = Не показуємо: { $items }.
mydata-internal-inbound = технічний журнал вхідних повідомлень (текст стираємо одразу після обробки)
mydata-internal-console-sessions = входи до панелі робочої групи
mydata-rights = Видалити всі ці дані: /deleteme

## Linked messengers (docs/linking.md).
mydata-linked-channel = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] вебчат на сайті
        [console] чат у терміналі
       *[other] { $channel }
    }
mydata-linked = Повʼязані месенджери: { $channels }
mydata-linked-notify = Куди надсилаємо сповіщення: { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] вебчат на сайті
        [console] чат у терміналі
       *[other] { $channel }
    }
deleteme-linked = Ваші месенджери повʼязано: { $channels }. Видалення прибере дані з усіх повʼязаних месенджерів.
