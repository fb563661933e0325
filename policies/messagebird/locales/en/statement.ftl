# English sentences of the privacy statement: the source locale.
# Names, numbers, periods, addresses, e-mail subjects and lists come from the policy files and
# reach these sentences as arguments ({ $name }); never type them into the text.
# The jurisdiction's own words for four terms are always available:
#   { $personal-data }, { $data-subject }, { $controller }, { $processor }
# (GDPR: "personal data", "data subject", "data controller", "data processor"; the Singapore
# and California views replace them.)

## Title and dates

st-title = { $brand } privacy statement
st-version-line = Version { $version }, in force from { $effective }.
st-last-updated = Last updated on { $date }.
st-keep-a-copy = You can download this statement and keep a copy; every earlier version stays available at its own address.

## 1. Who we are

st-who-heading = Who we are and what this statement covers
st-who-intro = { $controller }, { $address }, decides why and how the { $personal-data } described here is processed. In this statement "we" and "us" mean { $controller } and its affiliates; "you" means the person whose data it is.
st-who-affiliates = Our affiliates are { $affiliates }. A company is our affiliate when more than { $percent } percent of its voting interests are held by us or by a company that holds ours.
st-who-brands = This statement applies to the services we offer under the brands { $brands }.
st-who-scope = It covers every group of people whose data we handle:
st-who-equal = We apply the same standards to everyone, wherever they live and whatever their nationality, and we handle { $personal-data } in line with the data protection laws that apply to it.

## 2. Roles

st-roles-heading = When we decide and when our customers decide
st-roles-controller = We are the { $controller } for the data of our customers, leads, website visitors and the other people who deal with us directly: we decide why and how that data is used.
st-roles-processor = When our customers use our services to communicate with their own contacts, our customers are the { $controller } of that data and we are their { $processor }: we use it only on their instructions and for no purpose of our own.
st-roles-processor-products = We act for our customers in this way in these services:

## 3. Legal bases

st-bases-heading = The legal grounds we rely on
st-bases-intro = We process { $personal-data } only when one of these grounds applies:
st-bases-balancing = Where we rely on our legitimate interest, we first weigh it against your interests and rights. We do not rely on it when the processing would pose a high risk to you, would involve special categories of data, or when your fundamental rights outweigh our interest.

## 4. Purposes

st-purposes-heading = Why we use { $personal-data }
st-purposes-intro = We use { $personal-data } for the following purposes. The legal ground of each is given in brackets.
st-purpose-item = { $purpose } ({ $bases })
st-basis-short-consent = your consent
st-basis-short-contract = our contract
st-basis-short-legal-obligation = a legal obligation
st-basis-short-vital-interests = vital interests
st-basis-short-public-task = a task in the public interest
st-basis-short-legitimate-interest = our legitimate interest

## 5. Data

st-data-heading = The { $personal-data } we collect
st-data-intro = What we collect depends on how you deal with us.
st-data-customers-heading = Customers, leads and website visitors
st-data-with-parts = { $category }: { $parts }
st-data-end-users-heading = The people our customers communicate with
st-data-end-users-intro = When a customer uses one of our services to reach people, we process the following data of those people on the customer's behalf.
st-data-optional = { $held }; optionally also { $optional }
st-col-product = Service
st-col-end-user-data = Data of the people reached
st-define-traffic-data = Traffic data is the data processed to carry a message or call over a network or to bill for it, such as the numbers or addresses involved, the time, the duration and the route.
st-define-location-data = Location data is data processed in a network that shows where the equipment of a user is, such as the cell or the network that carried a message.

## 6. Sources

st-sources-heading = Where the data comes from
st-sources-intro = We receive { $personal-data } from these sources:
st-source-with-providers = { $source } (for example { $providers })

## 7. Sharing

st-sharing-heading = Who we share { $personal-data } with
st-sharing-intro = { $count ->
    [one] We share { $personal-data } only with this category of recipients, and only as far as each needs it:
   *[other] We share { $personal-data } only with these { $count } categories of recipients, and only as far as each needs it:
}
st-sharing-psps = Payments are handled by { $psps }, who decide themselves how they use the data of the payment.
st-sharing-affiliates = Our affiliates receive { $personal-data } only to provide or support the services you use, under the same standards as this statement.
st-sharing-no-sale = We do not sell, rent or otherwise hand over { $personal-data } for money or anything else of value.
st-gov-heading = Requests from public authorities
st-gov-intro = We disclose { $personal-data } to a public authority only when the law obliges us to.
st-gov-tests = { $count ->
    [one] We consider a request only when this condition is met:
   *[other] We consider a request only when all { $count } of these conditions are met:
}
st-gov-test-authority = It comes from a government authority.
st-gov-test-jurisdiction = It was issued in a jurisdiction whose law applies to us.
st-gov-test-instrument = It takes the form of an enforceable instrument, such as a subpoena, a warrant or a court order.
st-gov-test-scope = It names the categories of data it asks for and a specific period.
st-gov-test-obligation = We are legally obliged to comply.
st-gov-notify = We tell the customer concerned about the request, unless the law explicitly forbids it.
st-gov-gag = An authority that forbids us to tell the customer must name the legal ground for that prohibition.
st-gov-push-back = Where there is a reasonable legal basis to challenge a request, we challenge it.

## 8. International transfers

st-transfers-heading = Transfers outside the European Economic Area
st-transfers-intro = Some of our service providers process { $personal-data } outside the European Economic Area. Each such transfer rests on one of these safeguards:
st-transfer-adequacy = A decision of the European Commission that the country protects { $personal-data } adequately.
st-transfer-scc = The standard contractual clauses adopted by the European Commission.
st-transfer-bcr = Binding corporate rules approved by a data protection authority.
st-transfer-dpf = The certification of the recipient under the EU–U.S. Data Privacy Framework.
st-transfers-assessment = Before such a transfer we assess the law and practice of the destination country, and we add technical and organisational measures where the assessment shows they are needed.

## 9. Security

st-security-heading = How we protect { $personal-data }
st-security-intro = We protect { $personal-data } with technical and organisational measures, among which:
st-security-certifications = Our security management is certified under { $certifications }.
st-security-report = If you think that your login details were stolen or misused, write at once to { $email } with the subject '{ $subject }'.

## 10. Retention

st-retention-heading = How long we keep { $personal-data }
st-retention-intro = We keep { $personal-data } no longer than we need it for its purpose or than the law requires:
st-col-data = Data
st-col-kept = How long we keep it
st-retention-period-from = { $period } from { $from }.
st-from-collection = the moment we collected it
st-from-last-interaction = your last interaction with us
st-from-contract-end = the end of the contract
st-from-request-closed = the closing of the request
st-from-consent-event = the moment consent was given or withdrawn
st-from-tracking-ends = the end of the tracking
st-from-cookie-lifespan = the moment the cookie was set
st-until-collection = Deleted as soon as it is collected.
st-until-last-interaction = Until your last interaction with us.
st-until-contract-end = For as long as the contract runs.
st-until-request-closed = Until the request is closed.
st-until-consent-event = Until consent is withdrawn.
st-until-tracking-ends = Until the tracking ends.
st-until-cookie-lifespan = For the lifespan of each cookie, given in the cookie table.
st-retention-max = Where the law of the country of the contracting company or of the receiving network requires it, up to { $max }.
st-retention-customer-setting = The customer may set a different period between { $min } and { $max }.
st-retention-existing-customers = For existing customers, for as long as we provide the services.
st-retention-ends-early = It ends at once when you withdraw your consent or unsubscribe.
st-retention-after = When a period ends, we delete the data or keep it only in a form that no longer identifies anyone, for archiving and statistics.

## 11. Rights

st-rights-heading = Your rights
st-rights-intro = You can ask us to:
st-rights-how-heading = How to use your rights
st-rights-channel-account-holders = Account holders of { $brands }: { $channel }.
st-rights-channel-others = Everyone else: { $channel }, { $address }.
st-rights-deadline = We answer within { $deadline } of receiving your request.
st-rights-extension = If a request is complex or we receive many, we may take longer, but never more than { $extended } from the day we received it in total; we tell you within the first period if we need the extra time and why.
st-rights-fee = We may charge a fee of at most { $amount }.
st-rights-free = Using your rights is free of charge.
st-rights-verify = Before we act on a request we check that it comes from the person concerned, so that nobody else gains access to your data.
st-rights-complaint = If you are not satisfied with our answer, you can complain to the { $authority }, or to the data protection authority of the country where you live or work or where you think your rights were infringed.
st-rights-complaint-any = If you are not satisfied with our answer, you can complain to the data protection authority of the country where you live or work or where you think your rights were infringed.
st-attention = attn. { $department }

## 12. Cookies

st-cookies-heading = Cookies and similar technologies
st-cookies-intro = Our websites use cookies. When you first visit, we ask which ones you accept; strictly necessary cookies are always on, and every other kind is off until you switch it on. You can reject all of them as easily as you can accept them, and change your choice at any time.
st-cookie-category = { $consent }: { $category }
st-consent-always-on = Always on
st-consent-opt-in = Only with your consent
st-consent-opt-out = On unless you switch it off
st-consent-blocked = Blocked
st-cookie-category-name-strictly-necessary = Strictly necessary
st-cookie-category-name-functional = Functional
st-cookie-category-name-performance = Performance
st-cookie-category-name-marketing = Marketing
st-cookie-category-name-unclassified = Unclassified
st-cookies-inventory = These are the cookies we use, with how long each one is kept:
st-col-cookie = Cookie
st-col-provider = Set by
st-col-category = Category
st-col-party = First or third party
st-col-lifespan = Kept for
st-col-purpose = Purpose
st-party-first = first party
st-party-third = third party
st-party-both = first and third party
st-lifespan-session = until you close the browser
st-lifespan-while-tracked = for as long as the tool tracks your visits
st-cookies-choices = You can also block or delete cookies in the settings of your browser:
st-browser-chrome = Google Chrome: Settings, Privacy and security, Third-party cookies
st-browser-firefox = Mozilla Firefox: Settings, Privacy & Security, Cookies and Site Data
st-browser-safari = Safari: Settings, Privacy, Manage Website Data
st-browser-edge = Microsoft Edge: Settings, Cookies and site permissions

## 13. Children

st-children-heading = Children
st-children-age = Our services are not meant for children under { $age }, and we do not knowingly collect data about them. If we learn that we hold data of a child without the consent of a parent or guardian, we delete it as soon as we can.
st-children-report = If you believe we hold data of a child, write to { $email } with the subject '{ $subject }'.

## 14. Links

st-links-heading = Links to other websites
st-links-body = Our websites and messages may link to websites that we do not own or control. This statement does not cover them; read the privacy statement of every website you visit.

## Singapore and California

st-pdpa-heading = If you are in Singapore
st-pdpa-body = Under the Personal Data Protection Act 2012 of Singapore, the terms of this statement read as follows:
st-ccpa-heading = If you are a California resident
st-ccpa-body = Under the California Consumer Privacy Act, the terms of this statement read as follows:
st-ccpa-categories = In the last twelve months we collected these categories of { $personal-data }, for the purposes and from the sources described above:
st-ccpa-no-sale = We do not sell or share { $personal-data } as those words are defined by the Act, and we have not done so in the last twelve months.
st-ccpa-non-discrimination = We will not treat you differently for using your rights: you will not be refused a service, charged a different price or offered a different quality because you used them.
st-term-means = "{ $ours }" means "{ $theirs }".

## 15. Changes

st-changes-heading = Changes to this statement
st-changes-email = When we change this statement in a way that substantially affects your rights, we tell you by e-mail where we can, before the change takes effect.
st-changes-where-possible = When we change this statement in a way that substantially affects your rights, we tell you where we can, before the change takes effect. If you do not agree with a change, you may stop using our services.
st-changes-publication = We may change this statement; the date at the top shows when it last changed.
st-changes-notice-period = { $days ->
    [one] We announce such changes at least { $days } day before they take effect.
   *[other] We announce such changes at least { $days } days before they take effect.
}
st-changes-versions = Every earlier version of this statement stays available, with a summary of what changed.

## 16. Disputes

st-disputes-heading = Disputes
st-disputes-body = If you have a dispute with us about how we handle { $personal-data }, write to our legal team at { $email } with the subject '{ $subject }'. If we cannot resolve it together by e-mail, the dispute clauses of our terms apply.

## 17. Subprocessors

st-subprocessors-heading = Our subprocessors
st-subprocessors-intro = These service providers process { $personal-data } on our behalf, under a contract that binds them to our instructions and to the same protection:
st-col-name = Name
st-col-service = What they do for us
st-col-country = Country
st-col-transfer = Safeguard for transfers
st-transfer-short-adequacy = adequacy decision
st-transfer-short-scc = standard contractual clauses
st-transfer-short-bcr = binding corporate rules
st-transfer-short-dpf = Data Privacy Framework
st-transfer-none = none needed (within the EEA)
st-subprocessors-subscribe = You can subscribe to be told by e-mail before we add or replace a subprocessor, and object to the change.

## 18. Contact

st-contact-heading = How to reach us
st-contact-intro = For anything about { $personal-data }:
st-contact-item = { $contact }: { $email }
st-contact-post = By post: { $address }.
st-contact-local = We also have local addresses in { $countries }.

## Countries

st-country-au = Australia
st-country-ca = Canada
st-country-cn = China
st-country-co = Colombia
st-country-de = Germany
st-country-gb = the United Kingdom
st-country-ie = Ireland
st-country-mt = Malta
st-country-nl = the Netherlands
st-country-sg = Singapore
st-country-us = the United States

## Periods, dates and lists

st-period-none = 0 days
st-period-years = { $n ->
    [one] { $n } year
   *[other] { $n } years
}
st-period-months = { $n ->
    [one] { $n } month
   *[other] { $n } months
}
st-period-weeks = { $n ->
    [one] { $n } week
   *[other] { $n } weeks
}
st-period-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
st-month-1 = January
st-month-2 = February
st-month-3 = March
st-month-4 = April
st-month-5 = May
st-month-6 = June
st-month-7 = July
st-month-8 = August
st-month-9 = September
st-month-10 = October
st-month-11 = November
st-month-12 = December
st-date = { $day } { $month } { $year }
st-list = { $init } and { $last }
st-list-separator = {", "}
st-sentence-separator = {" "}
st-address-separator = {", "}
