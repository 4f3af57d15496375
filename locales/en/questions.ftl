## Residents' questions to the city council and the working group's answers.

questions-status = { $status ->
        [answered] ✅ Answered
        [redirected] ↪️ Not a question for the city council
       *[new] ⏳ Waiting for an answer
    }
questions-btn-mine = 📨 My questions
questions-btn-ask = ✍️ Ask a question
questions-mine-title = Your questions to the city council:
questions-mine-empty = You have not asked any questions yet. Write to us — the answer will come here, to this chat.
questions-mine-item =
    No. { $reference } of { $date }
    "{ $question }"
    { $status }
questions-mine-answer = Answer: { $answer }

questions-notify-answer =
    💬 An answer to your question No. { $reference }

    You asked: "{ $question }"

    Answer: { $answer }
questions-notify-redirected =
    ↪️ Your question No. { $reference } is not within the city council's remit.

    You asked: "{ $question }"

    Where to turn: { $answer }

questions-op-title = Residents' questions waiting for an answer: { $count }. The longest waiting first.
questions-op-empty = No new questions.
questions-op-not-found = Question not found.
questions-op-item = Question No. { $reference } of { $date }
questions-op-item-text = "{ $question }"
questions-op-item-search = The resident searched for: "{ $query }"
questions-op-item-service = Service: { $service }
questions-op-btn-answer = 💬 Answer
questions-op-btn-redirect = ↪️ Not ours: where to turn
questions-op-answer-ask = Write the answer in one message (up to { $limit } characters). The resident gets it in the messenger they asked from.
questions-op-redirect-ask = Write where the resident should turn: the institution, its address or phone (up to { $limit } characters).
questions-op-answered = The answer has been sent to the resident.
questions-op-redirected = The resident has been told where to turn.
questions-op-already = This question has already been answered.
plan-op-btn-questions = ❓ Questions ({ $count })
