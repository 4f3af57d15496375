reports-menu = 📷 Report a problem
reports-start = What problem would you like to report? The working group receives your report and tells you what was done.
reports-btn-mine = 📋 My reports
reports-place = Where is it? Send your location or type the address, e.g. "Trudova St, 5". For a park or a yard, describe the place in words.
reports-place-known = A report of waste not collected at { $address }.
reports-btn-location = 📍 Send my location
reports-place-elsewhere = This looks like an address in another town. Reports are taken for Khmelnytskyi only: type an address in the city or send your location.
reports-photos = { $count ->
        [0] Add a photo of the problem if you can: just send it here. Photos at most: { $limit }.
       *[other] Photos added: { $count } of { $limit }. Send another one or press "Done".
    }
reports-btn-photos-done = ✅ Done
reports-btn-no-photos = No photo
reports-photos-limit = No more photos can be added: { $limit } at most.
reports-description = Describe the problem briefly (up to { $limit } characters) or press "Skip".
reports-btn-skip = Skip
reports-place-point = location
reports-place-none = not given
reports-no-description = no description
reports-confirm =
    Check your report:
    Problem: { $category }
    Place: { $place }
    Photos: { $photos }
    Description: { $description }
reports-btn-send = 📨 Send
reports-sent = ✅ Report No. { $reference } was sent to the working group. When its status changes, we will write to you here. All your reports are in "My reports".
reports-mine-empty = You have not sent any reports yet.
reports-mine-title = Your reports:
reports-mine-item = No. { $reference } of { $date } — { $category }: { $status ->
        [received] received
        [in_progress] in progress
        [resolved] resolved
       *[rejected] rejected
    }
reports-mine-comment = The working group's comment: { $comment }
reports-notify-status = Report No. { $reference }: { $status ->
        [received] received
        [in_progress] the working group is working on it
        [resolved] the problem is resolved
       *[rejected] the report was rejected
    }. Comment: { $comment }
reports-notify-status-bare = Report No. { $reference }: { $status ->
        [received] received
        [in_progress] the working group is working on it
        [resolved] the problem is resolved
       *[rejected] the report was rejected
    }.
reports-error-category = There is no such report category.
reports-error-not-found = There is no such report.
reports-op-missed = 🗑 Not collected: { $zone }, { $date } — reports: { $count }
reports-op-no-zone = zone unknown
reports-op-title = Residents' reports. New: { $count }
reports-op-empty = No reports yet.
reports-op-not-found = Report not found. The resident may have deleted their data.
reports-op-item =
    Report No. { $reference } of { $when }
    Problem: { $category }
    Place: { $place }
    Photos: { $photos } (see the working group's panel)
    Description: { $description }
    Status: { $status ->
        [received] received
        [in_progress] in progress
        [resolved] resolved
       *[rejected] rejected
    }
reports-op-set = { $status ->
        [received] Received
        [in_progress] 🔧 In progress
        [resolved] ✅ Resolved
       *[rejected] ❌ Reject
    }
reports-op-comment = Write a comment for the resident (up to { $limit } characters) or press "No comment".
reports-op-btn-no-comment = No comment
reports-op-done = Report No. { $reference } is now { $status ->
        [received] received
        [in_progress] in progress
        [resolved] resolved
       *[rejected] rejected
    }. The resident has been notified.

# The console's reports pages (bot/channels/web/admin/pages/reports.py)
web-admin-nav-reports = Reports
web-admin-reports-title = Residents' reports
web-admin-reports-any = all
web-admin-reports-category = Problem
web-admin-reports-download = Download the selection:
web-admin-reports-missed-title = Not collected: reports of the last { $days ->
        [one] day
       *[other] { $days } days
    } by zone
web-admin-reports-missed-none = No reports of missed collections in this time.
web-admin-reports-count = Reports
web-admin-reports-which = Which
web-admin-reports-short = No. { $reference }
web-admin-reports-plan-title = Where
web-admin-reports-plan-caption = Reports with a location on the plan: { $count }. Press a point to open its report; the city map is in the download for the geoportal.
web-admin-reports-without-place = { $count ->
        [one] { $count } more report without a location is in the list only.
       *[other] { $count } more reports without a location are in the list only.
    }
web-admin-reports-list-title = All selected reports, newest first
web-admin-reports-list-cut = The newest { $count } are shown. All the selected reports are in the CSV download.
web-admin-reports-reference = Report No. { $reference }
web-admin-reports-place = Place
web-admin-reports-photos = Photos
web-admin-reports-status = { $status ->
        [received] received
        [in_progress] in progress
        [resolved] resolved
       *[rejected] rejected
    }
web-admin-reports-empty = No reports match.
web-admin-reports-osm = open on OpenStreetMap
web-admin-reports-description = Description
web-admin-reports-channel = Channel
web-admin-reports-comment = The working group's comment
web-admin-reports-updated = Changed
web-admin-reports-photo-alt = Photo { $number } of report No. { $reference }
web-admin-reports-photos-hint = Metadata (including where it was taken) was removed when the photo was stored. Every view is in the audit log.
web-admin-reports-no-photos = The resident added no photo.
web-admin-reports-set = Change the status
web-admin-reports-comment-label = Comment for the resident (optional)
web-admin-reports-comment-hint = Up to { $limit } characters. The resident is notified in the messenger the report came from.
web-admin-reports-save = Save and notify
web-admin-notice-report-status = Status saved. If it changed, the resident is notified.
