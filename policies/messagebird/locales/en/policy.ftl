# English messages of the MessageBird policy: the source locale.
# One message per item id, shared by every version that declares the item. Names of brands,
# products, vendors and laws, periods, addresses and e-mail subjects are held by the policy
# files and are not repeated here.

## Data subjects

subject-customer = Customers and potential customers, as account holders acting for their company
subject-end-user = End users: the people our customers communicate with through our services
subject-website-visitor = Visitors of our websites
subject-lead = Leads: people at companies that may become customers
subject-colleague = Colleagues of a customer who share or manage details on the customer's behalf
subject-support-caller = People who call our customer support team
subject-event-attendee = People who attend our events
subject-cardholder = Holders of the cards and accounts used to pay us
subject-customer-agent = Customer agents who handle conversations in a customer's inbox
subject-guest = Guests invited to a video meeting

## Data categories: customers, leads and visitors

data-personal-identifiers = Personal identifiers
data-name = Name
data-business-address = Business address
data-gender = Gender
data-signature = Signature
data-professional-information = Employment and professional information
data-job-title = Job title and role
data-employer = The company a person works for
data-company-details = Company details such as name, description, website, estimated revenue, headcount and industry
data-seniority = Seniority
data-linkedin-profile = LinkedIn profile
data-financial-information = Financial information
data-billing-details = Billing details: billing name, billing address and preferred payment method
data-bank-details = Bank account details
data-card-details = Payment card details
data-invoices = Invoices
data-commercial-information = Commercial information
data-product-interest = Interest in our products
data-service-usage = Use of our services, platforms, account dashboards and websites
data-activity-data = Contact, activity and event data received through connectors
data-internet-activity = Internet activity information
data-device-information = Device and browser information, including language and time zone settings
data-browsing-activity = Browsing activity: pages visited and their order, searches, visit length, page interactions and errors
data-cookie-data = Data collected through cookies, pixels and similar technologies
data-cookie-preferences = Cookie preferences
data-location-information = Location related information
data-location-data = Location related data, which can reveal where the carrier or the communication equipment is
data-support-interactions = Support interaction information
data-support-call-recording = Recordings of calls with our customer support team
data-credentials = Login credentials: username and password
data-phone-number = Phone number
data-email-address = Email address
data-ip-address = IP address
data-customer-account-data = Customer account and prospect information
data-account-id = Account ID assigned to a customer account
data-enquiry-content = The content of questions sent through our forms
data-api-token = Authentication token that identifies a customer's API requests
data-api-commands = Commands sent to our API, with IP address, usage and routing information
data-campaign-details = Campaign purpose and a sample of the messages, needed for country registrations
data-website-visitor-data = Website visitor information
data-account-information = Personal and account information of users
data-order-records = Order records
data-membership-records = Membership records
data-visit-location = Country and city of a website visit

## Data categories: end users

data-end-user-data = End user data
data-channel-id = Identifier a messaging channel assigns to a person
data-traffic-data = Traffic data needed to transmit a communication
data-communication-content = Content of the communication
data-recordings = Recordings of calls
data-preferred-channel = Preferred channel of communication
data-channel-data = Data specific to a service or channel
data-demographic-data = Demographic and segment data provided by the customer
data-customer-agent-data = Data about the customer agents who use the inbox
data-meeting-information = Meeting information
data-meeting-date = Meeting date
data-meeting-description = Meeting description
data-meeting-review = Meeting review
data-meeting-wrap-up = Meeting wrap-up notes
data-meeting-recording = Audio or video recording of a meeting

## Data categories: records of compliance

data-consent-proof = Proof that consent was given
data-withdrawal-proof = Proof that consent was withdrawn
data-request-confirmation = Confirmation emails of data protection requests

## Products and services

product-sms = Text messages sent to and received from mobile phones
product-voice = Phone calls made and received through our platform, with optional call recording
product-email = Email sending and delivery for customers, with tracking of opens and clicks
product-numbers = Phone numbers, short codes and the numbers API, used together with other services
product-inbox = A shared inbox where customer agents handle conversations across channels
product-flow-builder = A tool to build automated communication flows
product-video = Video meetings between a customer and its guests
product-omnichannel-widget = A website widget through which end users start conversations on the channel they prefer
product-conversations = Conversations on messaging channels and social networks
product-push-notifications = Realtime channels and push notifications to apps and browsers
product-cdp = A customer data platform that builds profiles of a customer's contacts
product-contacts = An online address book of the customer's contacts
product-transmission-history = Insights into a customer's communication usage and transmission history
product-customer-account = The account a customer uses to access our services
product-financial-records = Payment, billing and invoicing records of customers
product-leads = Information about prospects and their interest in our services
product-website-visitors = Information about visits to our websites
product-support-interactions = Calls and contacts with our customer support team

## Legal bases

basis-consent = Consent you give explicitly, for example by ticking a box before downloading product material
basis-contract = Performing a contract, including negotiating and signing it before the service starts
basis-legal-obligation = Complying with our legal obligations, such as preventing misuse of our services, cooperating with formal disclosure requests and keeping account and financial records
basis-legitimate-interest = Our legitimate interest, for example direct marketing to existing customers who can opt out, or keeping you informed about our services

## Purposes

purpose-promote-services = To market our services, respecting the marketing choices you have made
purpose-product-information = To tell you about our products and services when it is relevant to you
purpose-create-account = To set up an account for you and the company you work for
purpose-verify-identity = To confirm who you are
purpose-provide-services = To provide our services and give access to them
purpose-finance-billing = To handle finance and billing
purpose-financial-obligations = To meet our financial obligations, such as paying taxes and making sure invoices are paid
purpose-customer-support = To help customers and prospects and keep them informed about their account
purpose-analyze-usage = To analyse how our products and services are used
purpose-transmission = To deliver communications, decide how they are prioritised and routed, and tune our infrastructure
purpose-enforce-terms = To make sure our Terms and the law are respected
purpose-account-security = To protect our website and your account against security threats
purpose-fraud-prevention = To find, stop and prevent fraud and other unlawful activity
purpose-protect-rights = To safeguard our rights, property and safety, and those of our customers and third parties
purpose-legal-requirements = To comply with the law, including court orders, subpoenas and other binding requests
purpose-surveys = To run questionnaires and surveys that help us improve our services; taking part is always voluntary
purpose-training-quality = To train our staff and improve the quality of our work
purpose-improve-services = To improve our products and services and develop new features
purpose-personalisation = To tailor our services to you and suggest what may suit you
purpose-crm-records = To keep our customer relationship records up to date, complete and analysed
purpose-lead-enrichment = To enrich lead and customer profiles with business information, so that we only approach relevant leads and customers
purpose-country-registration = To request the permissions some countries require before messages can be sent there, and share the required details with their authorities
purpose-targeted-advertising = To show relevant advertising through advertising platforms
purpose-website-analytics = To measure how our websites are used and improve them
purpose-website-operation = To make our websites work and remember your choices
purpose-saved-payment-methods = To save a payment method for later use, at your request
purpose-auto-recharge = To top up your balance automatically when it falls below the threshold you set
purpose-connectors = To run the connectors that link our services to third-party services you choose, and only for that
purpose-consent-records = To demonstrate the consent decisions people have made
purpose-rights-requests = To handle data protection requests and demonstrate that they were fulfilled
purpose-administer-orders = To manage customer orders and accounts
purpose-membership-records = To keep membership records

## Sources

source-direct = You, when you fill in a form, sign up, contact us, attend an event or use our services
source-customer-supplied = Our customers, who send us their end users' data to use our services
source-business-information = Third parties that provide business information
source-social-media = Social media providers, depending on the privacy settings of the person concerned
source-connectors = Third-party services connected to our platform through connectors
source-colleagues = Colleagues of the person concerned
source-automatic = Collected automatically by cookies, pixels, web beacons and server logs
source-enrichment = A data enrichment provider that builds business profiles with automated processes
source-public-sources = Publicly available sources
source-linked-account = A third-party account you link when you sign up, which shares your basic profile

## Recipients

recipient-telecom = Telecom operators, aggregators, carriers and other communications providers that route messages and calls
recipient-service-providers = Service and technology providers that work on our behalf, such as hosting, analytics, data science and fraud prevention providers
recipient-psps = Payment service providers, which handle payments as controllers in their own right
recipient-affiliates = Companies of our group
recipient-authorities = Government authorities, when the law requires it

## Processors: the service each one provides

processor-adyen = Payment service provider
processor-atlassian = Collaboration, software development and issue tracking
processor-autopilot = Marketing automation
processor-claranet = Hosting
processor-clearbit = Growth services: business information that enriches lead and customer profiles
processor-cloudapp = Screen recording
processor-docusign = Electronic signatures
processor-exact-online = Accounting and finance
processor-google-cloud-platform = Cloud hosting
processor-google-g-suite = Cloud workplace services
processor-hotjar = Behaviour analysis
processor-interswitch = Overflow call centre for customer support
processor-linkedin = Recruitment and sales solutions
processor-looker = Business intelligence and analytics
processor-mailchimp = Email automation
processor-netsuite = Financial software
processor-salesforce = Customer relationship management
processor-segment = Data integration and analytics
processor-sift-science = Fraud prevention and detection
processor-sparkpost = Email delivery
processor-split-io = Feature delivery platform
processor-springcm = Contract management
processor-stripe = Payment service provider
processor-thrive-digital = Marketing automation
processor-tray-io = Growth services: integration and automation
processor-unit4-multivers = Accounting and finance
processor-workramp = Learning management
processor-zapier = Workflow automation
processor-zendesk = Customer support

## Payment fields kept for saved payment methods

payment-field-card-last-four = Last four digits of the card number
payment-field-card-expiry = Expiry date of the card
payment-field-cardholder-name = Name of the cardholder
payment-field-iban-bic = IBAN and BIC
payment-field-account-name = Name of the account holder
payment-field-paypal-email = Email address of the PayPal account

## Retention: what each rule covers and why

retention-sms-voice = SMS and Voice traffic, kept to keep our services secure and prevent misuse, to transmit messages and to assist authorities with formal requests; some jurisdictions require longer
retention-communications = Data of our communication services, such as leased phone numbers, email addresses, location information and message content, kept to prevent misuse and to answer formal requests in criminal investigations; some regions require longer
retention-omnichannel = Data of all other communication services, kept while we provide the service, or for another period agreed with the customer
retention-contacts-history = Address book contacts and communication history, kept while we provide the service
retention-marketing = Marketing and sales data, kept unless consent is withdrawn or you unsubscribe; existing customers' data for as long as they use our services
retention-lead-enrichment = Enriched lead data, kept only as long as needed or until you object; existing customers' data for as long as they use our services
retention-financial = Account and financial records, kept to show that we comply with national and EU financial and tax law
retention-consent-proof = Proof of consent decisions, kept to demonstrate them
retention-request-confirmations = Confirmation emails of data protection requests, kept to demonstrate that the requests were fulfilled
retention-cookies = Data collected through cookies, kept for the lifespan of each cookie
retention-tracking-data = Website analytics data, kept for as long as the website is tracked with the tool that collected it
retention-customer-account = Customer account data, kept while you have an account and for up to ten years after, to show that we comply with national and EU financial and tax law
retention-support-calls = Support calls, kept for six months to handle questions and complaints about the call and to train our team
retention-account-records = Account, order and membership records, kept while you have an account with us

## Rights

right-access = See which personal data we hold about you and get a copy
right-rectification = Have incorrect personal data corrected
right-erasure = Have your personal data deleted, unless we must keep it by law
right-restriction = Have the processing of your personal data restricted
right-portability = Receive your personal data to transfer it elsewhere
right-objection = Object to processing based on our legitimate interest, including direct marketing
right-withdraw-consent = Withdraw your consent at any time
right-cookie-settings = Change your cookie settings at any time

## Request channels

request-channel-privacy-dashboard = The privacy features of your online account
request-channel-data-request-api = The API for bulk data protection requests
request-channel-customer-email = Email from customers, which is not accepted: customers must use their online account or the API
request-channel-privacy-email = An email to our privacy team
request-channel-support-staff = Our support staff
request-channel-postal = A letter to our headquarters

## Cookie categories

cookie-category-strictly-necessary = Strictly necessary cookies make the website work, for example to store your privacy choices, keep you logged in or send forms. They cannot be switched off.
cookie-category-functional = Functional cookies add features and personalisation, such as showing the website in your language. Without them some features may not work.
cookie-category-performance = Performance cookies count visits and traffic sources and show how visitors move around the website, so that we can improve it. Their data is aggregated.
cookie-category-marketing = Marketing cookies let advertising parties recognise your browser and device. They can identify you, alone or combined with other data.
cookie-category-unclassified = Unclassified cookies are still being classified together with their providers. They are blocked until then.

## Cookies

cookie-consent-preferences = Remembers your cookie choices
cookie-session = Keeps you logged in during a visit
cookie-language = Remembers your preferred language
cookie-google-ads = Measures the results of our advertising
cookie-linkedin-insight = Measures the results of our advertising and lets us advertise to visitors
cookie-facebook-pixel = Measures the results of our advertising and lets us advertise to visitors
cookie-google-analytics = Measures page visits, time spent, browsers used and exit pages, anonymously
cookie-optimizely = Runs A/B tests to compare versions of the website, without identifying visitors
cookie-crazy-egg = Builds heat maps and scroll maps and tells new visitors from returning ones
cookie-vero = Follows users who log in and identify themselves with their email address

## Contact points

contact-privacy = Our Data Protection Officer and privacy team, for questions, requests, complaints and feedback
contact-security = Our security team, to report stolen or misused login details
contact-support = Our support team, also to stop sales and marketing contact
contact-account-manager = Your account manager, also to stop sales and marketing contact
contact-legal = Our legal team, for disputes about our privacy practices

## Jurisdictions

jurisdiction-gdpr = The General Data Protection Regulation of the European Union
jurisdiction-pdpa = The Personal Data Protection Act of Singapore
jurisdiction-ccpa = The California Consumer Privacy Act
jurisdiction-wbp = The Dutch Personal Data Protection Act

## Terms and their equivalents in other jurisdictions

term-personal-data = personal data
term-data-subject = data subject
term-controller = data controller
term-processor = data processor
term-individual = individual
term-organisation = organisation
term-data-intermediary = data intermediary
term-personal-information = personal information
term-consumer = consumer
term-business = business
term-service-provider = service provider

## Security measures

measure-security-screening = Thorough security screening of our infrastructure and employees
measure-password = Password protection of every account
measure-optional-2fa = Two-factor authentication for accounts, when the customer turns it on
measure-vendor-vetting = Third parties are vetted and bound by contractual, technical and organisational safeguards before they receive data
measure-login-location-monitoring = The location of account logins is checked to detect fraud
measure-contact-verification = The email address and phone number are verified when an account is created
measure-api-authentication = Each API integration uses its own authentication token
measure-compliance-officer = An internal compliance officer
measure-compliance-officer-monitoring = Oversight of the compliance officer
measure-staff-2fa = Two-factor authentication for sensitive systems
measure-time-restricted-access = Access to sensitive systems limited in time
measure-need-to-know = Access only on a need-to-know basis
measure-four-eyes = Four-eyes principle for critical business operations
measure-logging-monitoring = Detailed internal and external logging and monitoring
measure-outsourcing-confidentiality = An outsourcing policy with confidentiality agreements
measure-data-retention-policy = A data retention policy
measure-external-screening = External pre-employment screening of employees
measure-vog-certificate = Employees must hold a Dutch certificate of conduct (VOG)
