## City services: catalogue, search, information cards, questions to the council.

services-title =
    🏛 City services

    Choose a category or just type what you are looking for, e.g. "passport", "residence registration" or "family composition certificate".
services-empty = The services catalogue is empty for now. Please contact the administrative services centre.
services-gone = That service or category is no longer in the catalogue. Here is the current list:
services-category-title = 📂 { $category }
services-category-empty = There are no services in this category yet.
services-page = Page { $page } of { $pages }
services-results-title = 🔍 Found for "{ $query }":
services-search-hint = Choose a service with a button or rephrase your request.
services-nothing-found =
    🔍 Nothing was found for "{ $query }".

    Try other words (e.g. "passport" or "subsidy"), choose a category below, or ask the city council.
services-elsewhere-title = 🔍 "{ $query }" is not a service of the administrative centre. Here is who handles it:
services-elsewhere-example = ⚠️ The city has not checked this yet: please confirm with the official contacts.
services-elsewhere-hint = Looking for a service of the centre? Choose a category below or ask the city council.
services-btn-elsewhere-site = 🌐 Their website
services-btn-categories = 📂 Categories
services-btn-ask = ✍️ Ask the city council
services-btn-ask-about = ✍️ Ask a question
services-btn-cancel-ask = ◀️ Cancel
services-btn-location = 📍 Show on the map
services-btn-online = 💻 Apply online
services-btn-website = 🌐 Centre's website
services-btn-details = 📄 Documents and details
services-btn-notice = ⚠️ Visits under martial law

services-example-note = ⚠️ Example: the city has not confirmed this data yet.
services-office-example = ⚠️ This office's details are an example: please check by phone.
services-card-title = 🏛 { $name }
services-details-title = 📄 { $name }
services-card-category = Category: { $category }
services-card-how = 📝 How to apply: { $how }
services-card-documents = 📄 Documents:
services-card-fee-free = 💰 Cost: free
services-card-fee-paid = 💰 Cost: { $fee }
services-card-fee-ask = paid, please ask the centre for the amount
services-card-fee-basis = Legal basis: { $basis }
services-card-term = ⏱ Time: { $value }
services-card-result = 📌 Result: { $value }
services-card-delivery = 📬 How you get the result: { $value }
services-card-online = 💻 Online: { $value }
services-card-refusal = ⛔ Grounds for refusal: { $value }
services-card-legal = ⚖️ Legal acts:
services-card-where = 📍 Where to apply: { $office }
services-card-where-address = 📍 { $office }: { $address }
services-card-address = Address: { $address }
services-card-hours = 🕘 Opening hours: { $hours }
services-card-hours-example = 🕘 Opening hours (example): { $hours }
services-card-phones = 📞 Phones: { $phones }
services-card-email = ✉️ { $email }
services-card-website = 🌐 { $website }
services-card-notice = ⚠️ { $notice }

services-location-title =
    📍 { $office }
    { $address }
services-location-example = The map point is approximate (example).
services-location-missing = The catalogue has no exact address for this office yet — please call the numbers on the service card.

services-ask-prompt = Type your question in one message (up to { $limit } characters). City council staff will receive it.
services-ask-too-short = The question is too short — please describe it in more detail.
services-ask-thanks = Thank you! Your question No. { $ref } has been passed to the city council staff.
services-alert-closed = 🚨 An air-raid alert is on: the centre is not receiving visitors. It resumes 10 minutes after the all-clear.
services-alert-resumes = ✅ All-clear at { $cleared }: the centre resumes at { $at } ({ $morning } if the alert began before opening).
