## /mydata: what Svoi stores about a resident, section by section, and the file beside it.

mydata-intro =
    📦 Your data in Svoi as of { $date }
    Below is a short overview, section by section. Every record in full is in the file { $name }: you can save it or open it with a program.

mydata-profile-title = Profile
mydata-profile-channel = Messenger: { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] web chat on the website
        [console] terminal chat
       *[other] { $channel }
    }
mydata-profile-name = Name: { $name }
mydata-profile-since = Writing to us since { $date }
mydata-profile-seen = Last message: { $date }
mydata-profile-off = Our messages are off: the messenger told us you unsubscribed.
mydata-language = Language: { $language ->
        [uk] Ukrainian
        [en] English
       *[other] { $language }
    }
mydata-language-chosen = You chose the language yourself.
mydata-language-guessed = No language chosen yet: we use your app's language.
mydata-role = Role in the working group: { $role ->
        [admin] administrator
        [operator] working group member
        [viewer] statistics viewer
       *[other] { $role }
    }. We keep it after your data is deleted, so it stays clear who did what.
mydata-account = Your account for the working group's panel: { $account }

mydata-subscriptions-title = Waste collection reminders: { $count }
mydata-subscription =
    📍 { $address }
    { $types }
mydata-subscription-when = We remind you { $offset ->
        [0] on the collection day
       *[other] the evening before
    } at { $hour }.
mydata-subscription-paused = Reminders are paused.
mydata-calendar-links = Collection calendar links: { $count }

mydata-notifications-title = Notifications
mydata-muted = You turned off: { $categories }.
mydata-muted-none = All notifications are on.
mydata-messages = Our messages to you (announcements, reminders, answers) in the sending log: { $count }

mydata-follows-title = Action plan commitments you follow: { $count }
mydata-follow = • Commitment { $number }: { $title }

mydata-feedback-title = Your feedback on the action plan: { $count }
mydata-feedback-head = Feedback no. { $reference } of { $date }: rated { $rating } of 5
mydata-feedback-about = Commitment { $number }: { $title }
mydata-feedback-comment = Your comment: { $comment }
mydata-feedback-answer = The working group's answer: { $answer }
mydata-feedback-waiting = No answer yet.

mydata-votes-title = Your votes in polls: { $count }
mydata-vote =
    Poll: { $question }
    Your choice: { $option }

mydata-questions-title = Your questions to the city council: { $count }
mydata-question-head = Question no. { $reference } of { $date }
mydata-question-text = You asked: { $text }
mydata-question-answer = Answer: { $answer }

mydata-conversations-title = Your conversations with the working group: { $count }
mydata-conversation-head = Conversation of { $date }: { $status ->
        [waiting] waiting for a person
        [taken] ongoing
       *[closed] closed
    }, messages: { $messages }
mydata-conversation-line = { $author ->
        [resident] You
       *[operator] Working group
    }: { $text }

mydata-reports-title = Your reports of a problem: { $count }
mydata-report = No. { $reference } of { $date } — { $category }: { $status ->
        [received] received
        [in_progress] in progress
        [resolved] resolved
       *[rejected] rejected
    }
mydata-photos-title = Your photos: { $count }
mydata-photo = Photo of { $date }, kept until { $until }. The working group sees it only with your report.

mydata-more = …and { $count } more in the file.
mydata-empty = Nothing stored in: { $sections }.
mydata-section-name = { $section ->
        [subscriptions] reminders
        [notifications] notifications
        [follows] follows
        [feedback] feedback
        [votes] votes
        [questions] questions
        [conversations] conversations with the working group
        [reports] reports
        [photos] photos
       *[other] { $section }
    }

mydata-other-title = Other records about you (in the file under the same name):
mydata-other-line = • { $name }: { $count }

mydata-internal = Service records: { $items }. The chat needs them to work and deletes them by itself; the file marks them as service records.
mydata-internal-none = There are no service records about you right now.
mydata-internal-dialog = the step of the conversation you are on
mydata-internal-flood = a message rate counter
mydata-internal-downloads = temporary file links
mydata-internal-web-pending = messages waiting for the web chat
mydata-internal-receipts = delivery receipts
mydata-internal-linking = codes for linking messengers and a count of failed tries
mydata-not-exported = Not shown: { $items }.
mydata-internal-inbound = the technical log of incoming messages (their text is erased once handled)
mydata-internal-console-sessions = sign-ins to the working group's panel
mydata-rights = To delete all this data: /deleteme

## Linked messengers (docs/linking.md).
mydata-linked-channel = { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] the web chat
        [console] the terminal chat
       *[other] { $channel }
    }
mydata-linked = Linked messengers: { $channels }
mydata-linked-notify = Notifications go to: { $channel ->
        [telegram] Telegram
        [viber] Viber
        [web] the web chat
        [console] the terminal chat
       *[other] { $channel }
    }
deleteme-linked = Your messengers are linked: { $channels }. Deleting removes the data of every linked messenger.
