## Waste collection: schedules, reminders, change notices, calendar, drop-off points.

waste-start =
    ♻️ Waste collection.
    Type your street and house number — for example "Trudova 5" — or share your location, and we'll show the next collection days.
waste-btn-location = 📍 Share location
waste-btn-subscriptions = 🔔 My reminders ({ $count })
waste-btn-missed = 🗑 Waste not collected
waste-btn-dropoff = 🗺 Where to take other waste
waste-btn-operator = 🛠 Change the schedule
waste-address-unknown = We couldn't find that address among the streets of Khmelnytskyi. Check the name and try again, e.g. "Trudova St, 5".
waste-address-other-city = This looks like an address in another town. Svoi shows waste collection schedules for Khmelnytskyi only. If you live in Khmelnytskyi, type the street and house number, e.g. "Trudova St, 5".
waste-pick-street = We found several similar streets. Which one do you mean?
waste-ask-house = Street: { $street }. Type the house number — the schedule depends on the side of the street.
waste-house-invalid = That doesn't look like a house number. Type, for example, "5" or "12a".
waste-house-not-found = House { $house } on { $street } is not in our data. Please check the number.
waste-street-renamed = “{ $old }” is the old name. It is now { $street }.
waste-street-no-schedule =
    📍 { $street }: this street is in the city's street list, but its collection schedule is not published yet.
    The city's waste company can tell you the schedule.
waste-location-outside = That point is far from Khmelnytskyi. Please type an address.
waste-address-location = Your location
waste-pick-zone = You are on the border of collection zones. Choose yours:

waste-schedule-title = 📍 { $address } — { $zone }
waste-next-line = • { $type } — { $when }, { $date }{ $window }
waste-when = { $when ->
        [today] today
        [tomorrow] tomorrow
       *[days] in { $days } { $days ->
            [one] day
           *[other] days
        }
    }
waste-item = • { $type }{ $window }
waste-item-moved = (moved from { $date })
waste-example-mark = (example)
waste-example-note = ⚠️ Items marked "(example)" are an example schedule, not the approved one: the city will publish the real schedule.
waste-no-schedule = There is no collection schedule for this address yet.
waste-btn-subscribe = 🔔 Remind me
waste-btn-other-address = 🔎 Another address

waste-choose-types = What should we remind you about? Tick the kinds of waste:
waste-btn-next = Next ▶️
waste-choose-time = When should we remind you?
waste-remind-evening = The evening before at { $hour }
waste-remind-morning = On the day at { $hour }
waste-subscribed =
    Done! We'll remind you about collections:
    { $when }.
waste-saved = Saved.
waste-already-subscribed = “{ $address }” is already among your subscriptions. Here it is — you can change the kinds of waste and the reminder time.
waste-too-many = You can have up to { $limit } addresses with reminders. Remove one to add another.

waste-subs-title = Your reminders ({ $count ->
        [one] { $count } address
       *[other] { $count } addresses
    }):
waste-sub-line = { $address } — { $types }; { $state }
waste-paused = ⏸ paused
waste-no-subscriptions = You have no reminders yet. Find your address and press "Remind me".
waste-btn-add-address = ➕ Add an address
waste-btn-calendar = 📅 Add to calendar
waste-btn-change-types = Change kinds
waste-btn-change-time = Change time
waste-btn-pause = ⏸ Pause
waste-btn-resume = ▶️ Resume
waste-btn-remove = 🗑 Remove
waste-remove-confirm = Remove the reminders for { $address }?
waste-removed = Reminders removed.
waste-stopped = Reminders for this address are off. Turn them back on with "Resume".
waste-resumed = Reminders are on again.
waste-sub-not-found = That reminder no longer exists.

waste-calendar-document = Your collection calendar for a year. Open the file and the days, with alarms, appear in your calendar.
waste-calendar-link = Your collection calendar: open the link or add it to your calendar as a subscription. Don't share it.
waste-btn-open-calendar = 📅 Open calendar
waste-ics-name = Waste collection — Svoi
waste-ics-summary = Collection: { $type }

waste-reminder = 🔔 { $when ->
        [today] Today
       *[tomorrow] Tomorrow
    }, { $date }, collection at { $address }:
    { $items }{ $example ->
        [yes] {"\u000A"}{"\u000A"}⚠️ This is an example schedule, not the approved one.
       *[no] {""}
    }
waste-change-moved =
    ⚠️ Schedule change: { $address }
    Collection moved: { $type }, { $new_date } instead of { $date }
    Reason: { $reason }
waste-change-cancelled =
    ⚠️ Schedule change: { $address }
    Collection cancelled: { $type }, { $date }
    Reason: { $reason }
waste-btn-stop = 🔕 Stop reminders
waste-btn-change = ⚙️ Change

waste-dropoff-title = 🗺 Where to take other waste
waste-centre =
    ♻️ { $name }, { $address }
    🕘 { $hours }, free of charge
waste-centres = ♻️ { $name } ({ $hours }, free of charge):
waste-centre-address = 📍 { $address }
waste-btn-ecobus = 🚌 Hazardous waste
waste-centre-accepts = Accepted: { $accepts }
waste-office = 📞 { $name }: { $address }, tel. { $phone }
waste-ecobus-next =
    🚌 The Ecobus takes hazardous waste: batteries, lamps, thermometers, paints and solvents, electronics, household chemicals, expired medicine.
    The next stops:
waste-ecobus-stop = • { $date }, { $start }–{ $end } — { $place }
waste-ecobus-none = 🚌 The Ecobus schedule for the coming days is not published yet.
waste-ecobus-nearest = The nearest Ecobus stop ({ $distance } km from you):
waste-btn-ecobus-near = 📍 Ecobus near me

waste-ops-zone = Schedule change. Choose the collection zone:
waste-ops-type = Which kind of waste?
waste-ops-date = Which day changes? Choose or type a date (DD.MM.YYYY).
waste-ops-date-invalid = We couldn't read that date. Type, for example, 03.12.2026.
waste-ops-action = { $date }: move or cancel the collection?
waste-btn-ops-move = Move
waste-btn-ops-cancel = Cancel
waste-ops-new = Which day should it move to? Choose or type a date.
waste-ops-reason = Type the reason — residents will see it.
waste-ops-summary =
    Please check:
    Collection zone: { $zone }
    Kind: { $type }
    Day: { $date }
    New day: { $new_date }
    Reason: { $reason }
waste-btn-ops-confirm = ✅ Confirm and notify
waste-ops-not-a-day = There is no collection on that day in this zone. Choose another day.
waste-ops-done = Change saved. { $count ->
        [one] { $count } notice sent
       *[other] { $count } notices sent
    } to residents.
