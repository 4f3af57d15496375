## Trust: flood control, files by link, roles and audit, residents' data rights.

flood-slow-down = You are sending messages too fast. Please wait a few seconds — we'll answer the next one.
download-file = ⬇️ Download { $name }

roles-title = Roles in Svoi:
roles-line = { $address } — { $role }
roles-empty = No roles are stored yet (besides those in the settings).
roles-usage = Usage: /grant channel:id admin|operator|viewer or /revoke channel:id
roles-granted = Role { $role } granted to { $address }.
roles-revoked = The role of { $address } was revoked.
roles-not-found = { $address } has no stored role.
audit-title = Latest working-group actions:
audit-line = { $at } · { $actor } · { $action }: { $target } · { $outcome }
audit-empty = The audit log is empty.

mydata-caption = Everything Svoi stores about you is in the file { $name }.
deleteme-confirm =
    Delete all your data from Svoi?
    Your settings, subscriptions, addresses, comments, contact details and queued messages will be deleted. Ratings and votes remain only as anonymous statistics.
    This cannot be undone.
deleteme-done = Your data has been deleted. If you want to come back, just send /start.
deleteme-kept = All right, nothing is deleted.
privacy-rights = Your rights: /mydata — get all your data, /deleteme — delete it.
settings-mydata = 📦 My data
settings-deleteme = 🗑 Delete my data
