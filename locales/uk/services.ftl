## Міські послуги: каталог, пошук, інформаційні картки, запитання до міської ради.

services-title =
    🏛 Міські послуги

    Оберіть категорію або просто напишіть, що шукаєте: наприклад, «паспорт», «прописка» чи «довідка про склад сімʼї».
services-empty = Каталог послуг поки порожній. Зверніться, будь ласка, до ЦНАП.
services-gone = Цієї послуги або категорії вже немає в каталозі. Ось актуальний перелік:
services-category-title = 📂 { $category }
services-category-empty = У цій категорії поки немає послуг.
services-page = Сторінка { $page } з { $pages }
services-results-title = 🔍 Знайдено за запитом «{ $query }»:
services-search-hint = Оберіть послугу кнопкою або напишіть запит інакше.
services-nothing-found =
    🔍 За запитом «{ $query }» нічого не знайшлося.

    Спробуйте сформулювати інакше (наприклад, «паспорт» чи «субсидія»), оберіть категорію нижче або поставте запитання міській раді.
services-elsewhere-title = 🔍 «{ $query }» — це не послуга ЦНАП. Ось хто цим займається:
services-elsewhere-example = ⚠️ Це ще не перевірені містом дані: уточнюйте за офіційними контактами.
services-elsewhere-hint = Шукали послугу ЦНАП? Оберіть категорію нижче або поставте запитання міській раді.
services-btn-elsewhere-site = 🌐 Сайт установи
services-btn-categories = 📂 Категорії
services-btn-ask = ✍️ Запитати міську раду
services-btn-ask-about = ✍️ Поставити запитання
services-btn-cancel-ask = ◀️ Скасувати
services-btn-location = 📍 Показати на мапі
services-btn-online = 💻 Оформити онлайн
services-btn-website = 🌐 Сайт ЦНАП
services-btn-details = 📄 Документи і деталі
services-btn-notice = ⚠️ Прийом у воєнний час

services-example-note = ⚠️ Приклад: ці дані ще не підтверджені містом.
services-office-example = ⚠️ Дані про цей офіс — приклад: уточнюйте за телефоном.
services-card-title = 🏛 { $name }
services-details-title = 📄 { $name }
services-card-category = Категорія: { $category }
services-card-how = 📝 Як подати: { $how }
services-card-documents = 📄 Документи:
services-card-fee-free = 💰 Вартість: безоплатно
services-card-fee-paid = 💰 Вартість: { $fee }
services-card-fee-ask = платно, суму уточнюйте в ЦНАП
services-card-fee-basis = Підстава: { $basis }
services-card-term = ⏱ Строк: { $value }
services-card-result = 📌 Результат: { $value }
services-card-delivery = 📬 Як отримати результат: { $value }
services-card-online = 💻 Онлайн: { $value }
services-card-refusal = ⛔ Підстави для відмови: { $value }
services-card-legal = ⚖️ Нормативна база:
services-card-where = 📍 Де звернутися: { $office }
services-card-where-address = 📍 { $office }: { $address }
services-card-address = Адреса: { $address }
services-card-hours = 🕘 Графік: { $hours }
services-card-hours-example = 🕘 Графік (приклад): { $hours }
services-card-phones = 📞 Телефони: { $phones }
services-card-email = ✉️ { $email }
services-card-website = 🌐 { $website }
services-card-notice = ⚠️ { $notice }

services-location-title =
    📍 { $office }
    { $address }
services-location-example = Точка на мапі приблизна (приклад).
services-location-missing = Точної адреси цього офісу поки немає в каталозі — телефонуйте за номерами в картці послуги.

services-ask-prompt = Напишіть ваше запитання одним повідомленням (до { $limit } { $limit ->
        [one] символу
       *[other] символів
    }). Його отримають працівники міської ради.
services-ask-too-short = Запитання закоротке — опишіть, будь ласка, докладніше.
services-ask-thanks = Дякуємо! Ваше запитання № { $ref } передано працівникам міської ради.
services-alert-closed = 🚨 Зараз повітряна тривога: ЦНАП не приймає відвідувачів. Прийом відновиться через 10 хвилин після відбою.
services-alert-resumes = ✅ Відбій о { $cleared }: ЦНАП відновлює прийом о { $at } (о { $morning }, якщо тривога почалася до відкриття).
