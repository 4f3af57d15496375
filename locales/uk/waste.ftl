## Waste collection: schedules, reminders, change notices, calendar, drop-off points.

waste-start =
    ♻️ Вивезення відходів.
    Напишіть вулицю й номер будинку — наприклад, «Трудова 5» — або надішліть геолокацію, і ми покажемо найближчі дні вивезення.
waste-btn-location = 📍 Надіслати геолокацію
waste-btn-subscriptions = 🔔 Мої нагадування ({ $count })
waste-btn-missed = 🗑 Не вивезли відходи
waste-btn-dropoff = 🗺 Куди здати інші відходи
waste-btn-operator = 🛠 Змінити графік
waste-address-unknown = Не знайшли такої адреси серед вулиць Хмельницького. Перевірте назву й напишіть ще раз, наприклад «вул. Трудова, 5».
waste-address-other-city = Схоже, це адреса в іншому населеному пункті. «Свої» показують графік вивезення відходів лише для Хмельницького. Якщо ви живете в Хмельницькому, напишіть вулицю й номер будинку, наприклад «вул. Трудова, 5».
waste-pick-street = Знайшли кілька схожих вулиць. Яку саме ви мали на увазі?
waste-ask-house = Вулиця: { $street }. Напишіть номер будинку — графік залежить від боку вулиці.
waste-house-invalid = Це не схоже на номер будинку. Напишіть, наприклад, «5» або «12а».
waste-house-not-found = Будинку { $house } немає в наших даних (вулиця: { $street }). Перевірте номер.
waste-street-renamed = «{ $old }» — стара назва. Тепер це { $street }.
waste-street-no-schedule =
    📍 { $street }: ця вулиця є в переліку вулиць міста, але її графік вивезення ще не оприлюднено.
    Графік можна дізнатися в міській службі вивезення відходів.
waste-location-outside = Ця точка далеко від Хмельницького. Напишіть, будь ласка, адресу.
waste-address-location = Ваша геолокація
waste-pick-zone = Ви на межі зон вивезення. Оберіть свою:

waste-schedule-title = 📍 { $address } — { $zone }
waste-next-line = • { $type } — { $when }, { $date }{ $window }
waste-when = { $when ->
        [today] сьогодні
        [tomorrow] завтра
       *[days] через { $days } { $days ->
            [one] день
            [few] дні
           *[many] днів
        }
    }
waste-item = • { $type }{ $window }
waste-item-moved = (перенесено з { $date })
waste-example-mark = (приклад)
waste-example-note = ⚠️ Позначене «(приклад)» — ще не справжній графік: місто оприлюднить його пізніше.
waste-no-schedule = Для цієї адреси ще немає графіка вивезення.
waste-btn-subscribe = 🔔 Нагадувати мені
waste-btn-other-address = 🔎 Інша адреса

waste-choose-types = Про що нагадувати? Позначте види відходів:
waste-btn-next = Далі ▶️
waste-choose-time = Коли нагадувати?
waste-remind-evening = Напередодні о { $hour }
waste-remind-morning = У день вивезення о { $hour }
waste-subscribed =
    Готово! Ми нагадуватимемо про вивезення:
    { $when }.
waste-saved = Збережено.
waste-already-subscribed = Адреса «{ $address }» вже є у ваших підписках. Ось вона — тут можна змінити види відходів і час нагадування.
waste-too-many = Нагадування можна ввімкнути щонайбільше для { $limit } { $limit ->
        [one] адреси
       *[other] адрес
    }. Видаліть одну, щоб додати нову.

waste-subs-title = Ваші нагадування ({ $count ->
        [one] { $count } адреса
        [few] { $count } адреси
       *[many] { $count } адрес
    }):
waste-sub-line = { $address } — { $types }; { $state }
waste-paused = ⏸ призупинено
waste-no-subscriptions = У вас ще немає нагадувань. Знайдіть свою адресу й натисніть «Нагадувати мені».
waste-btn-add-address = ➕ Додати адресу
waste-btn-calendar = 📅 Додати в календар
waste-btn-change-types = Змінити види
waste-btn-change-time = Змінити час
waste-btn-pause = ⏸ Призупинити
waste-btn-resume = ▶️ Відновити
waste-btn-remove = 🗑 Видалити
waste-remove-confirm = Видалити нагадування для адреси { $address }?
waste-removed = Нагадування видалено.
waste-stopped = Нагадування для цієї адреси вимкнено. Увімкнути знову можна кнопкою «Відновити».
waste-resumed = Нагадування знову увімкнено.
waste-sub-not-found = Цього нагадування вже немає.

waste-calendar-document = Ваш календар вивезення на рік. Відкрийте файл — і дати з нагадуваннями зʼявляться у вашому календарі.
waste-calendar-link = Ваш календар вивезення: відкрийте посилання або додайте його в календар як підписку. Не пересилайте його іншим.
waste-btn-open-calendar = 📅 Відкрити календар
waste-ics-name = Вивезення відходів — «Свої»
waste-ics-summary = Вивезення: { $type }

waste-reminder = 🔔 { $when ->
        [today] Сьогодні
       *[tomorrow] Завтра
    }, { $date }, вивезення за адресою { $address }:
    { $items }{ $example ->
        [yes] {"\u000A"}{"\u000A"}⚠️ Це приклад графіка, а не затверджений розклад.
       *[no] {""}
    }
waste-change-moved =
    ⚠️ Зміна графіка: { $address }
    Вивезення перенесено: { $type }, не { $date }, а { $new_date }
    Причина: { $reason }
waste-change-cancelled =
    ⚠️ Зміна графіка: { $address }
    Вивезення скасовано: { $type }, { $date }
    Причина: { $reason }
waste-btn-stop = 🔕 Не нагадувати
waste-btn-change = ⚙️ Змінити

waste-dropoff-title = 🗺 Куди здати інші відходи
waste-centre =
    ♻️ { $name }, { $address }
    🕘 { $hours }, безоплатно
waste-centres = ♻️ { $name } ({ $hours }, безоплатно):
waste-centre-address = 📍 { $address }
waste-btn-ecobus = 🚌 Небезпечні відходи
waste-centre-accepts = Приймають: { $accepts }
waste-office = 📞 { $name }: { $address }, тел. { $phone }
waste-ecobus-next =
    🚌 Екобус приймає небезпечні відходи: батарейки, лампи, термометри, фарби й розчинники, електроніку, побутову хімію, прострочені ліки.
    Найближчі зупинки:
waste-ecobus-stop = • { $date }, { $start }–{ $end } — { $place }
waste-ecobus-none = 🚌 Розклад Екобуса на найближчі дні ще не опубліковано.
waste-ecobus-nearest = Найближча зупинка Екобуса ({ $distance } км від вас):
waste-btn-ecobus-near = 📍 Екобус поруч зі мною

waste-ops-zone = Зміна графіка. Оберіть зону вивезення:
waste-ops-type = Який вид відходів?
waste-ops-date = Який день змінюється? Оберіть або напишіть дату (ДД.ММ.РРРР).
waste-ops-date-invalid = Не вдалося прочитати дату. Напишіть, наприклад, 03.12.2026.
waste-ops-action = { $date }: перенести чи скасувати вивезення?
waste-btn-ops-move = Перенести
waste-btn-ops-cancel = Скасувати
waste-ops-new = На який день перенести? Оберіть або напишіть дату.
waste-ops-reason = Напишіть причину — її побачать мешканці.
waste-ops-summary =
    Перевірте:
    Зона вивезення: { $zone }
    Вид: { $type }
    День: { $date }
    Новий день: { $new_date }
    Причина: { $reason }
waste-btn-ops-confirm = ✅ Підтвердити й повідомити
waste-ops-not-a-day = Цього дня в цій зоні вивезення немає. Оберіть інший день.
waste-ops-done = Зміну збережено. { $count ->
        [one] Надіслано { $count } сповіщення
        [few] Надіслано { $count } сповіщення
       *[many] Надіслано { $count } сповіщень
    } мешканцям.
