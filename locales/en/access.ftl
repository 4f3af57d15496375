## Trust: flood control, files by link, roles and audit, residents' data rights.

flood-slow-down = You are sending messages too fast. Please wait a few seconds — we'll answer the next one.
download-file = ⬇️ Download { $name }

roles-title = Roles in Svoi:
roles-line = { $address } — { $role }
roles-empty = No roles are stored yet (besides those in the settings).
roles-usage = Usage: /grant channel:id admin|operator|viewer or /revoke channel:id
roles-granted = Role granted: { $role }. To: { $address }.
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

## Names of codes an operator sees: roles, audit log actions and outcomes.

access-role = { $role ->
        [admin] administrator
        [operator] working-group member
        [viewer] viewer
       *[other] { $role }
    }
audit-action = { $action ->
        [roles-list] list of roles
        [roles-grant] role granted
        [roles-revoke] role revoked
        [audit-read] audit log read
        [web-login] console login
        [web-logout] console logout
        [web-admin] working-group console
        [web-admin-csrf] stale console form
        [open-flow] working-group section
        [operator-flow] working-group section
        [plan-operator] action plan: feedback
        [plan-answer] answer to feedback
        [plan-reviewed] feedback reviewed
        [plan-publish] action plan update
        [plan-poll-create] new poll
        [plan-poll-edit] poll changed
        [plan-poll-open] poll opened
        [plan-poll-close] poll closed
        [questions] residents' questions
        [question-answered] answer to a question
        [question-redirected] question not for the council
        [broadcast] broadcasts
        [broadcast-send] broadcast
        [broadcast-cancel] broadcast cancelled
        [broadcast-start] broadcast started
        [services-import] service catalogue import
        [waste-exception] collection schedule change
       *[other] { $action }
    }
audit-outcome = { $outcome ->
        [done] done
        [refused] refused
        [locked] login locked
        [too-late] too late: the broadcast had finished
       *[other] { $outcome }
    }
