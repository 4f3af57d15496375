## Trust: flood control, files by link, roles and audit, residents' data rights.

flood-slow-down = Ви надсилаєте повідомлення надто швидко. Зачекайте кілька секунд — ми відповімо на наступне.
download-file = ⬇️ Завантажити { $name }

roles-title = Ролі в «Своїх»:
roles-line = { $address } — { $role }
roles-empty = Ролей у базі ще немає (окрім заданих у налаштуваннях).
roles-usage = Формат: /grant канал:ідентифікатор admin|operator|viewer або /revoke канал:ідентифікатор
roles-granted = Надано роль: { $role }. Кому: { $address }.
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

## Names of codes an operator sees: roles, audit log actions and outcomes.

access-role = { $role ->
        [admin] адміністратор
        [operator] учасник робочої групи
        [viewer] спостерігач
       *[other] { $role }
    }
audit-action = { $action ->
        [roles-list] перегляд ролей
        [roles-grant] надання ролі
        [roles-revoke] відкликання ролі
        [audit-read] перегляд журналу дій
        [web-login] вхід до консолі
        [web-logout] вихід із консолі
        [web-admin] консоль робочої групи
        [web-admin-csrf] застаріла форма в консолі
        [open-flow] розділ для робочої групи
        [operator-flow] розділ для робочої групи
        [plan-operator] план дій: робота з відгуками
        [plan-answer] відповідь на відгук
        [plan-reviewed] відгук розглянуто
        [plan-publish] оновлення плану дій
        [plan-poll-create] нове опитування
        [plan-poll-edit] зміна опитування
        [plan-poll-open] відкриття опитування
        [plan-poll-close] закриття опитування
        [questions] запитання мешканців
        [question-answered] відповідь на запитання
        [question-redirected] запитання не до міської ради
        [broadcast] розсилки
        [broadcast-send] розсилка
        [broadcast-cancel] скасування розсилки
        [broadcast-start] початок розсилки
        [services-import] імпорт каталогу послуг
        [waste-exception] зміна графіка вивезення
       *[other] { $action }
    }
audit-outcome = { $outcome ->
        [done] виконано
        [refused] відмовлено
        [locked] вхід заблоковано
        [too-late] запізно: розсилку вже завершено
       *[other] { $outcome }
    }
