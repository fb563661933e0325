# E-mail notices sent on the statement's behalf: the double opt-in link, material changes of
# the statement and changes of the subprocessor list, each ahead of its effective date.

mail-greeting = Hello,
mail-topic-policy = material changes to our privacy statement
mail-topic-processors = changes to our list of subprocessors
mail-confirm-subject = Please confirm: privacy notices from { $brand }
mail-confirm-intro = Someone, we hope you, asked us to send this address notices from { $brand } about:
mail-confirm-action = Nothing is sent until you confirm. To confirm, open this page and press the button on it:
mail-confirm-ignore = If you did not ask for this, ignore this message: we will not write to you again, and the request lapses by itself.
mail-policy-subject = { $brand } is changing its privacy statement on { $date }
mail-policy-intro = We have published version { $version } of our privacy statement. It takes effect on { $date } and makes { $count ->
        [one] one material change
       *[other] { $count } material changes
    } since version { $previous }, the one now in force.
mail-policy-read = The changes, side by side with the current text:
mail-processors-subject = { $brand } is changing its subprocessors on { $date }
mail-processors-intro = From { $date } on, our list of subprocessors changes as follows:
mail-processor-added = New: { $name }, for { $purpose }, in { $country }
mail-processor-removed = No longer used: { $name }
mail-processor-changed = Changed: { $name }, now for { $purpose }, in { $country }
mail-processors-list = The full list, with the data each receives and its transfer safeguards:
mail-processors-object = If you object to a new or changed subprocessor, tell us before { $date } on this page:
mail-footer = You receive this because this address subscribed to privacy notices from { $brand }. To unsubscribe, open this link; one click is enough:

# Account e-mail: the verification link, and the alert on a sign-in from somewhere new.
mail-account-verify-subject = Confirm your e-mail address for { $brand }
mail-account-verify-intro = Welcome to { $brand }. Please confirm that this address is yours, so that we can reach you about your account.
mail-account-verify-action = Open this page and press the button on it (the link works for seven days):
mail-account-verify-ignore = If you did not sign up, ignore this message; the account stays unconfirmed.
mail-account-alert-subject = New sign-in to your { $brand } account
mail-account-alert-intro = Your account was signed in to on { $date } from { $place }, with a browser or device not seen before on it.
mail-account-alert-unknown-place = a location we could not determine
mail-account-alert-ok = If this was you, there is nothing to do.
mail-account-alert-not-you = If it was not you, change your password now and tell our security team at { $security } with the subject "Urgent: account credentials".
mail-account-footer = You receive this message because it concerns your { $brand } account.
mail-account-reset-subject = Reset your { $brand } password
mail-account-reset-intro = Someone, we hope you, asked to set a new password for your { $brand } account.
mail-account-reset-action = Open this page to choose a new one (the link works for one hour, once); every session of the account then ends:
mail-account-reset-ignore = If you did not ask for this, ignore this message: your password stays as it is.
mail-account-lockdown-subject = Your { $brand } account is locked for your protection
mail-account-lockdown-intro = We received a report that the credentials of your { $brand } account may be in the wrong hands. To protect it we locked the account, ended every session and revoked its API keys; our security team opened incident { $case }.
mail-account-lockdown-action = To use the account again, choose a new password on this page (the link works for one hour, once):
mail-account-lockdown-not-you = If you did not report anything, write to our security team at { $security } with the subject "Urgent: account credentials" and quote the incident number.
mail-account-disclosure-subject = A government request for data of your { $brand } account
mail-account-disclosure-intro = A government authority ({ $authority }, { $place }) asked us for data of your account: { $categories }, for the period { $period }.
mail-account-disclosure-review = We disclose data only to a government authority, under a law that applies to us, on an enforceable legal instrument that names the data and a specific period; we push back on anything less and share no more than is asked. Our reference is { $case }.
mail-account-disclosure-advice = You may wish to take legal advice or contact the authority. Questions: { $privacy }.

# Data subject requests: the code of the privacy center, the receipt, extension and answer of a
# request, its routing to the customers who control the data, and reminders to whoever answers
# it. Each right is named as a noun phrase that reads for the requester and the customer alike.
mail-request-right-access = access to personal data
mail-request-right-portability = data portability
mail-request-right-rectification = correction of personal data
mail-request-right-erasure = erasure of personal data
mail-request-right-restriction = restriction of processing
mail-request-right-objection = objection to processing
mail-request-right-withdraw-consent = withdrawal of consent
mail-request-right-opt-out-sale = opting out of the sale of personal data
mail-request-fact-reference = Reference: { $reference }
mail-request-fact-right = Request: { $right }
mail-request-code-subject = Your verification code for { $brand }
mail-request-code-intro = Someone, we hope you, wants to make a privacy request to { $brand } with this e-mail address. To confirm that the address is yours, enter this code in the privacy center:
mail-request-code-expiry = The code expires in { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }. Do not pass it on to anyone.
mail-request-code-ignore = If you did not ask for this, ignore this message: without the code, nothing happens.
mail-request-received-subject = { $brand } received your privacy request { $reference }
mail-request-received-intro = We have received your privacy request:
mail-request-received-due = We will answer it as soon as possible, and no later than { $due }. Please quote the reference whenever you write to us about it.
mail-request-received-extension = If the request is complex, or we receive many requests at the same time, we may need more time, but never more than { $extended } from the day we received it. If so, we will tell you before { $due }, with the reason.
mail-request-extended-subject = { $brand } needs more time for your request { $reference }
mail-request-extended-intro = We need more time to answer your privacy request:
mail-request-extended-reason = The reason:
mail-request-extended-due = We will now answer no later than { $due }.
mail-request-extended-limit = Extension included, an answer never takes longer than { $extended } from the day we received the request.
mail-request-closed-subject = { $brand } has answered your request { $reference }
mail-request-closed-intro = This is our answer to your privacy request:
mail-request-closed-fulfilled = We have carried out your request.
mail-request-closed-no-data = We searched our systems for personal data about you and found none. We hold no personal data about you, so this is the complete answer to your request.
mail-request-closed-partially-fulfilled = We have carried out part of your request, but not all of it.
mail-request-closed-denied = We cannot carry out your request.
mail-request-closed-reason = Our reasons:
mail-request-closed-note = A note from our privacy team:
mail-request-closed-retained = The law requires us to keep some of your data for a while longer. We keep:
mail-request-retained-item = { $category }, until { $until }: { $why }
mail-request-closed-erased-rest = We have erased all other personal data about you; the data above will be erased as soon as its period ends.
mail-request-closed-download = Your data is ready to download on this page:
mail-request-closed-court = You can also take the matter to court.
mail-request-withdrawn-subject = Your request { $reference } to { $brand } is closed
mail-request-withdrawn-intro = You withdrew your privacy request, so we have closed it:
mail-request-withdrawn-again = You can make a new request at any time.
mail-request-questions = If you have questions about this answer, write to { $privacy } and quote the reference.
mail-request-complaint = If you are not satisfied with our answer, you can complain to the supervisory authority of { $country }, the { $authority }, or to the supervisory authority of the EU member state where you live or work, or where you believe your rights were infringed.
mail-request-complaint-any = If you are not satisfied with our answer, you can complain to the supervisory authority of the EU member state where you live or work, or where you believe your rights were infringed.
mail-request-non-discrimination = If you live in California: we will never charge you a different price, give you a different level of service or refuse you a service because you used your privacy rights.
mail-request-routed-subject = { $brand } passed on your request { $reference }
mail-request-routed-intro = Your privacy request concerns personal data that { $brand } processes on behalf of its customers. Those customers decide what happens to the data, so they answer requests about it.
mail-request-routed-to = We have passed your request on to:
mail-request-routed-next = They will answer you directly. If you have questions, write to { $privacy } and quote the reference.
mail-request-controller-subject = New privacy request { $reference } for your { $brand } account
mail-request-controller-intro = A privacy request about personal data of one of your end users has been routed to your { $brand } account:
mail-request-controller-role = { $brand } processes this data on your behalf. As its controller, you decide on the request and answer the person who made it; we have told them that you will.
mail-request-controller-action = Please handle the request in your dashboard by { $due }; you will find it there with the means to carry it out:
mail-request-reminder-subject = { $brand } reminder: privacy request { $reference } is due on { $due }
mail-request-overdue-subject = { $brand } reminder: privacy request { $reference } is overdue
mail-request-reminder-due = This privacy request must be answered within { $days ->
        [one] one day
       *[other] { $days } days
    }, by { $due }:
mail-request-reminder-today = This privacy request must be answered today, { $due }:
mail-request-reminder-overdue = This privacy request should have been answered { $days ->
        [one] one day
       *[other] { $days } days
    } ago, on { $due }. Please answer it now:
mail-request-reminder-action = Open it in the dashboard:
mail-request-footer = You receive this message because this address was given for a privacy request to { $brand }.
mail-request-handler-footer = You receive this message because this address is set up to handle privacy requests on { $brand }.
