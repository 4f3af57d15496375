## Trust: flood control, files by link, roles and audit, residents' data rights.

flood-slow-down = Ви надсилаєте повідомлення надто швидко. Зачекайте кілька секунд — ми відповімо на наступне.
download-file = ⬇️ Завантажити { $name }

roles-title = Ролі в «Своїх»:
roles-line = { $address } — { $role }
roles-empty = Ролей у базі ще немає (окрім заданих у налаштуваннях).
roles-usage = Формат: /grant канал:ідентифікатор admin|operator|viewer або /revoke канал:ідентифікатор
roles-granted = Роль { $role } надано { $address }.
roles-revoked = Роль { $address } відкликано.
roles-not-found = У { $address } немає ролі в базі.
audit-title = Останні дії робочої групи:
audit-line = { $at } · { $actor } · { $action }: { $target } · { $outcome }
audit-empty = Журнал дій порожній.

mydata-caption = Усе, що «Свої» зберігають про вас, — у файлі { $name }.
deleteme-confirm =
    Видалити всі ваші дані зі «Своїх»?
    Буде видалено ваші налаштування, підписки, адреси, коментарі, контакти й повідомлення в черзі. Оцінки та голоси залишаться лише як анонімна статистика.
    Цю дію не можна скасувати.
deleteme-done = Ваші дані видалено. Якщо захочете повернутися — просто надішліть /start.
deleteme-kept = Гаразд, нічого не видаляємо.
privacy-rights = Ваші права: /mydata — отримати всі ваші дані, /deleteme — видалити їх.
settings-mydata = 📦 Мої дані
settings-deleteme = 🗑 Видалити мої дані
