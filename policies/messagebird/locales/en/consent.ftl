# Consent texts: the words a person sees when asked for consent, and the cookie banner.
# The consent ledger keeps the hash of the exact text shown, so a change here is a new text
# version: keep each message to what it asks, in plain words.

## Consent to a purpose (one message per purpose with a consent basis: `consent-<purpose>`)

consent-promote-services = Yes, send me news and offers about MessageBird's products and events by email. I can unsubscribe at any time with the link in every email.
consent-product-information = Yes, send me the product information I asked for, and follow up by email about it. I can unsubscribe at any time.
consent-surveys = Yes, invite me to surveys about MessageBird's services. Taking part is always voluntary.
consent-targeted-advertising = Yes, MessageBird and its advertising partners may use cookies and similar technologies to show me advertising that fits my interests.
consent-website-analytics = Yes, MessageBird may measure how I use its website to improve it.
consent-saved-payment-methods = Save this payment method for my next payments. Only the details needed to recognise it are kept, and I can remove it at any time in my finance settings.
consent-auto-recharge = Top up my balance automatically when it falls below the amount I set. I can switch this off at any time in my finance settings.

## Cookie banner: first layer

banner-title = Your cookie choices
banner-intro = We use strictly necessary cookies to run this website. Functional, performance and marketing cookies are used only if you accept them. Nothing else is placed until you choose, and you can change your choice at any time under Cookie settings.
banner-accept-all = Accept all
banner-reject-all = Reject all
banner-adjust = Adjust settings
banner-remove = Remove my data
banner-gpc = Your browser sends a Global Privacy Control signal: marketing cookies stay off unless you switch them on yourself.
banner-removed = Your cookie choices and the data we held about this browser have been removed.
banner-notice-link = Read the cookie notice
banner-open = Cookie settings

## Cookie banner: second layer

banner-settings-title = Cookie settings
banner-settings-intro = Choose which kinds of cookies we may use. Under each kind you can read what accepting it means and which cookies it covers. Strictly necessary cookies are always on; cookies we have not yet classified stay blocked.
banner-save = Save my choices
banner-back = Back
banner-always-on = Always on
banner-blocked = Blocked until classified
banner-name-strictly-necessary = Strictly necessary
banner-name-functional = Functional
banner-name-performance = Performance
banner-name-marketing = Marketing
banner-name-unclassified = Unclassified
banner-no-cookies = No cookies of this kind are in use.
banner-browser-help = You can also block or delete cookies in the settings of your browser.

## The cookie table

banner-table-cookie = Cookie
banner-table-provider = Provider
banner-table-party = Set by
banner-table-lifespan = Lifespan
banner-table-hosted = Data kept in
banner-table-purpose = Purpose
banner-party-first = This website
banner-party-third = A third party
banner-party-both = This website and a third party
banner-lifespan-session = Until the browser closes
banner-lifespan-while-tracked = While the website is measured with this tool
banner-lifespan-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
banner-lifespan-months = { $count ->
    [one] 1 month
   *[other] { $count } months
}
banner-lifespan-years = { $count ->
    [one] 1 year
   *[other] { $count } years
}
