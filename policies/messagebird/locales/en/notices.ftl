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
