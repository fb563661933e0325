# Nederlandse berichten van het MessageBird-beleid, vertaald uit de Engelse bronlocale.
# Eén bericht per item-id, gedeeld door elke versie die het item declareert. Namen van merken,
# producten, leveranciers en wetten, termijnen, adressen en e-mailonderwerpen staan in de
# beleidsbestanden en worden hier niet herhaald.

## Betrokkenen

subject-customer = Klanten en potentiële klanten, als accounthouders die namens hun bedrijf handelen
subject-end-user = Eindgebruikers: de personen met wie onze klanten via onze diensten communiceren
subject-website-visitor = Bezoekers van onze websites
subject-lead = Leads: personen bij bedrijven die klant kunnen worden
subject-colleague = Collega's van een klant die namens de klant gegevens delen of beheren
subject-support-caller = Personen die onze klantenservice bellen
subject-event-attendee = Personen die onze evenementen bijwonen
subject-cardholder = Houders van de kaarten en rekeningen waarmee aan ons wordt betaald
subject-customer-agent = Medewerkers van een klant die gesprekken in de inbox van die klant afhandelen
subject-guest = Gasten die voor een videovergadering zijn uitgenodigd

## Gegevenscategorieën: klanten, leads en bezoekers

data-personal-identifiers = Persoonlijke identificatiegegevens
data-name = Naam
data-business-address = Zakelijk adres
data-gender = Geslacht
data-signature = Handtekening
data-professional-information = Arbeids- en beroepsgegevens
data-job-title = Functietitel en rol
data-employer = Het bedrijf waarvoor iemand werkt
data-company-details = Bedrijfsgegevens zoals naam, omschrijving, website, geschatte omzet, aantal medewerkers en branche
data-seniority = Senioriteit
data-linkedin-profile = LinkedIn-profiel
data-financial-information = Financiële gegevens
data-billing-details = Factuurgegevens: factuurnaam, factuuradres en voorkeursbetaalmethode
data-bank-details = Bankrekeninggegevens
data-card-details = Betaalkaartgegevens
data-invoices = Facturen
data-commercial-information = Commerciële gegevens
data-product-interest = Interesse in onze producten
data-service-usage = Gebruik van onze diensten, platforms, accountdashboards en websites
data-activity-data = Contact-, activiteits- en gebeurtenisgegevens die via connectoren worden ontvangen
data-internet-activity = Gegevens over internetactiviteit
data-device-information = Apparaat- en browsergegevens, waaronder taal- en tijdzone-instellingen
data-browsing-activity = Surfgedrag: bezochte pagina's en de volgorde daarvan, zoekopdrachten, duur van het bezoek, interacties met pagina's en fouten
data-cookie-data = Gegevens die worden verzameld via cookies, pixels en vergelijkbare technieken
data-cookie-preferences = Cookievoorkeuren
data-location-information = Locatiegerelateerde informatie
data-location-data = Locatiegerelateerde gegevens, waaruit kan blijken waar de drager of de communicatieapparatuur zich bevindt
data-support-interactions = Gegevens over contact met de klantenservice
data-support-call-recording = Opnamen van gesprekken met onze klantenservice
data-credentials = Inloggegevens: gebruikersnaam en wachtwoord
data-phone-number = Telefoonnummer
data-email-address = E-mailadres
data-ip-address = IP-adres
data-customer-account-data = Klantaccountgegevens en gegevens van prospects
data-account-id = Account-ID die aan een klantaccount is toegekend
data-enquiry-content = De inhoud van vragen die via onze formulieren worden verzonden
data-api-token = Authenticatietoken waarmee de API-verzoeken van een klant worden geïdentificeerd
data-api-commands = Opdrachten die naar onze API worden verzonden, met IP-adres, gebruiks- en routeringsgegevens
data-campaign-details = Doel van de campagne en een voorbeeld van de berichten, nodig voor registraties per land
data-website-visitor-data = Gegevens van websitebezoekers
data-account-information = Persoons- en accountgegevens van gebruikers
data-order-records = Bestelgegevens
data-membership-records = Lidmaatschapsgegevens
data-visit-location = Land en stad van een websitebezoek

## Gegevenscategorieën: eindgebruikers

data-end-user-data = Gegevens van eindgebruikers
data-channel-id = Identificatiecode die een berichtenkanaal aan een persoon toekent
data-traffic-data = Verkeersgegevens die nodig zijn om communicatie over te brengen
data-communication-content = Inhoud van de communicatie
data-recordings = Opnamen van telefoongesprekken
data-preferred-channel = Voorkeurskanaal voor communicatie
data-channel-data = Gegevens die specifiek zijn voor een dienst of kanaal
data-demographic-data = Demografische en segmentgegevens die door de klant worden verstrekt
data-customer-agent-data = Gegevens over de medewerkers van de klant die de inbox gebruiken
data-meeting-information = Vergadergegevens
data-meeting-date = Datum van de vergadering
data-meeting-description = Omschrijving van de vergadering
data-meeting-review = Beoordeling van de vergadering
data-meeting-wrap-up = Afsluitende notities van de vergadering
data-meeting-recording = Audio- of video-opname van een vergadering

## Gegevenscategorieën: vastlegging van naleving

data-consent-proof = Bewijs dat toestemming is gegeven
data-withdrawal-proof = Bewijs dat toestemming is ingetrokken
data-request-confirmation = Bevestigingsmails van privacyverzoeken

## Producten en diensten

product-sms = Tekstberichten die naar mobiele telefoons worden verzonden en van mobiele telefoons worden ontvangen
product-voice = Uitgaande en inkomende telefoongesprekken via ons platform, met optionele gespreksopname
product-email = Verzending en aflevering van e-mail voor klanten, met registratie van geopende e-mails en klikken
product-numbers = Telefoonnummers, shortcodes en de API voor nummers, gebruikt in combinatie met andere diensten
product-inbox = Een gedeelde inbox waarin medewerkers van een klant gesprekken via verschillende kanalen afhandelen
product-flow-builder = Een tool om geautomatiseerde communicatiestromen te bouwen
product-video = Videovergaderingen tussen een klant en diens gasten
product-omnichannel-widget = Een websitewidget waarmee eindgebruikers een gesprek beginnen via het kanaal van hun voorkeur
product-conversations = Gesprekken via berichtenkanalen en sociale netwerken
product-push-notifications = Realtimekanalen en pushmeldingen naar apps en browsers
product-cdp = Een klantdataplatform dat profielen opbouwt van de contactpersonen van een klant
product-contacts = Een online adresboek met de contactpersonen van de klant
product-transmission-history = Inzicht in het communicatiegebruik en de verzendgeschiedenis van een klant
product-customer-account = Het account waarmee een klant toegang krijgt tot onze diensten
product-financial-records = Betalings- en factuuradministratie van klanten
product-leads = Informatie over prospects en hun interesse in onze diensten
product-website-visitors = Informatie over bezoeken aan onze websites
product-support-interactions = Telefoongesprekken en contact met onze klantenservice

## Rechtsgronden

basis-consent = Toestemming die u uitdrukkelijk geeft, bijvoorbeeld door een vakje aan te vinken voordat u productmateriaal downloadt
basis-contract = Uitvoering van een overeenkomst, inclusief de onderhandelingen en de ondertekening voordat de dienstverlening begint
basis-legal-obligation = Nakoming van onze wettelijke verplichtingen, zoals het voorkomen van misbruik van onze diensten, medewerking aan formele verzoeken om gegevensverstrekking en het bijhouden van account- en financiële administratie
basis-legitimate-interest = Ons gerechtvaardigd belang, bijvoorbeeld direct marketing aan bestaande klanten die zich daarvoor kunnen afmelden, of u op de hoogte houden van onze diensten

## Doeleinden

purpose-promote-services = Om onze diensten onder de aandacht te brengen, met inachtneming van de marketingkeuzes die u hebt gemaakt
purpose-product-information = Om u te informeren over onze producten en diensten wanneer dat voor u relevant is
purpose-create-account = Om een account aan te maken voor u en het bedrijf waarvoor u werkt
purpose-verify-identity = Om uw identiteit te bevestigen
purpose-provide-services = Om onze diensten te leveren en er toegang toe te verlenen
purpose-finance-billing = Om de financiële administratie en facturering te verzorgen
purpose-financial-obligations = Om aan onze financiële verplichtingen te voldoen, zoals het betalen van belastingen en ervoor zorgen dat facturen worden betaald
purpose-customer-support = Om klanten en prospects te helpen en hen op de hoogte te houden van hun account
purpose-analyze-usage = Om te analyseren hoe onze producten en diensten worden gebruikt
purpose-transmission = Om communicatie af te leveren, te bepalen hoe deze wordt geprioriteerd en gerouteerd, en onze infrastructuur te optimaliseren
purpose-enforce-terms = Om ervoor te zorgen dat onze Voorwaarden en de wet worden nageleefd
purpose-account-security = Om onze website en uw account te beschermen tegen beveiligingsdreigingen
purpose-fraud-prevention = Om fraude en andere onrechtmatige activiteiten op te sporen, te stoppen en te voorkomen
purpose-protect-rights = Om onze rechten, eigendommen en veiligheid te beschermen, evenals die van onze klanten en derden
purpose-legal-requirements = Om aan de wet te voldoen, waaronder gerechtelijke bevelen, dagvaardingen en andere bindende verzoeken
purpose-surveys = Om vragenlijsten en enquêtes uit te voeren die ons helpen onze diensten te verbeteren; deelname is altijd vrijwillig
purpose-training-quality = Om ons personeel op te leiden en de kwaliteit van ons werk te verbeteren
purpose-improve-services = Om onze producten en diensten te verbeteren en nieuwe functies te ontwikkelen
purpose-personalisation = Om onze diensten op u af te stemmen en voor te stellen wat bij u past
purpose-crm-records = Om onze klantrelatieadministratie actueel en volledig te houden en te analyseren
purpose-lead-enrichment = Om profielen van leads en klanten te verrijken met bedrijfsinformatie, zodat wij alleen relevante leads en klanten benaderen
purpose-country-registration = Om de vergunningen aan te vragen die sommige landen vereisen voordat er berichten naartoe kunnen worden verzonden, en de vereiste gegevens met hun autoriteiten te delen
purpose-targeted-advertising = Om relevante advertenties te tonen via advertentieplatforms
purpose-website-analytics = Om te meten hoe onze websites worden gebruikt en ze te verbeteren
purpose-website-operation = Om onze websites te laten werken en uw keuzes te onthouden
purpose-saved-payment-methods = Om op uw verzoek een betaalmethode op te slaan voor later gebruik
purpose-auto-recharge = Om uw tegoed automatisch aan te vullen wanneer het onder de door u ingestelde drempel komt
purpose-connectors = Om de connectoren te laten werken die onze diensten koppelen aan diensten van derden die u kiest, en uitsluitend daarvoor
purpose-consent-records = Om de toestemmingskeuzes aan te tonen die personen hebben gemaakt
purpose-rights-requests = Om privacyverzoeken af te handelen en aan te tonen dat eraan is voldaan
purpose-administer-orders = Om bestellingen en accounts van klanten te beheren
purpose-membership-records = Om een ledenadministratie bij te houden

## Bronnen

source-direct = U zelf, wanneer u een formulier invult, zich aanmeldt, contact met ons opneemt, een evenement bijwoont of onze diensten gebruikt
source-customer-supplied = Onze klanten, die ons de gegevens van hun eindgebruikers sturen om onze diensten te gebruiken
source-business-information = Derden die bedrijfsinformatie leveren
source-social-media = Aanbieders van sociale media, afhankelijk van de privacyinstellingen van de betrokkene
source-connectors = Diensten van derden die via connectoren aan ons platform zijn gekoppeld
source-colleagues = Collega's van de betrokkene
source-automatic = Automatisch verzameld via cookies, pixels, webbakens en serverlogs
source-enrichment = Een aanbieder van gegevensverrijking die met geautomatiseerde processen bedrijfsprofielen opbouwt
source-public-sources = Openbaar beschikbare bronnen
source-linked-account = Een account bij een derde partij dat u bij het aanmelden koppelt en dat uw basisprofiel deelt

## Ontvangers

recipient-telecom = Telecomoperators, aggregators, netwerkexploitanten en andere communicatieaanbieders die berichten en gesprekken routeren
recipient-service-providers = Dienstverleners en technologieleveranciers die namens ons werken, zoals aanbieders van hosting, analyse, datawetenschap en fraudepreventie
recipient-psps = Betaaldienstverleners, die betalingen afhandelen als zelfstandige verwerkingsverantwoordelijken
recipient-affiliates = Bedrijven binnen onze groep
recipient-authorities = Overheidsinstanties, wanneer de wet dat vereist

## Verwerkers: de dienst die elk van hen levert

processor-adyen = Betaaldienstverlener
processor-atlassian = Samenwerking, softwareontwikkeling en registratie van meldingen
processor-autopilot = Marketingautomatisering
processor-claranet = Hosting
processor-clearbit = Groeidiensten: bedrijfsinformatie waarmee profielen van leads en klanten worden verrijkt
processor-cloudapp = Schermopname
processor-docusign = Elektronische handtekeningen
processor-exact-online = Boekhouding en financiën
processor-google-cloud-platform = Cloudhosting
processor-google-g-suite = Clouddiensten voor de werkplek
processor-hotjar = Gedragsanalyse
processor-interswitch = Overloopcallcenter voor de klantenservice
processor-linkedin = Oplossingen voor werving en verkoop
processor-looker = Analyse en rapportage van bedrijfsgegevens
processor-mailchimp = E-mailautomatisering
processor-netsuite = Financiële software
processor-salesforce = Klantrelatiebeheer
processor-segment = Gegevensintegratie en -analyse
processor-sift-science = Fraudepreventie en -detectie
processor-sparkpost = E-mailbezorging
processor-split-io = Platform voor het uitrollen van functies
processor-springcm = Contractbeheer
processor-stripe = Betaaldienstverlener
processor-thrive-digital = Marketingautomatisering
processor-tray-io = Groeidiensten: integratie en automatisering
processor-unit4-multivers = Boekhouding en financiën
processor-workramp = Leermanagement
processor-zapier = Automatisering van werkprocessen
processor-zendesk = Klantenservice

## Betaalgegevens die voor opgeslagen betaalmethoden worden bewaard

payment-field-card-last-four = Laatste vier cijfers van het kaartnummer
payment-field-card-expiry = Vervaldatum van de kaart
payment-field-cardholder-name = Naam van de kaarthouder
payment-field-iban-bic = IBAN en BIC
payment-field-account-name = Naam van de rekeninghouder
payment-field-paypal-email = E-mailadres van het PayPal-account

## Bewaartermijnen: waarop elke regel betrekking heeft en waarom

retention-sms-voice = SMS- en Voice-verkeer, bewaard om onze diensten veilig te houden en misbruik te voorkomen, om berichten te verzenden en om autoriteiten te helpen bij formele verzoeken; in sommige rechtsgebieden geldt een langere termijn
retention-communications = Gegevens van onze communicatiediensten, zoals gehuurde telefoonnummers, e-mailadressen, locatiegegevens en berichtinhoud, bewaard om misbruik te voorkomen en om formele verzoeken in strafrechtelijke onderzoeken te beantwoorden; in sommige regio's geldt een langere termijn
retention-omnichannel = Gegevens van alle andere communicatiediensten, bewaard zolang wij de dienst leveren, of gedurende een andere termijn die met de klant is overeengekomen
retention-contacts-history = Contactpersonen in het adresboek en communicatiegeschiedenis, bewaard zolang wij de dienst leveren
retention-marketing = Marketing- en verkoopgegevens, bewaard tenzij de toestemming wordt ingetrokken of u zich afmeldt; gegevens van bestaande klanten zolang zij onze diensten gebruiken
retention-lead-enrichment = Verrijkte leadgegevens, alleen bewaard zolang dat nodig is of totdat u bezwaar maakt; gegevens van bestaande klanten zolang zij onze diensten gebruiken
retention-financial = Account- en financiële administratie, bewaard om aan te tonen dat wij voldoen aan de nationale en Europese financiële en fiscale wetgeving
retention-consent-proof = Bewijs van toestemmingskeuzes, bewaard om deze aan te tonen
retention-request-confirmations = Bevestigingsmails van privacyverzoeken, bewaard om aan te tonen dat aan de verzoeken is voldaan
retention-cookies = Gegevens die via cookies worden verzameld, bewaard gedurende de levensduur van elke cookie
retention-tracking-data = Gegevens van websiteanalyse, bewaard zolang het websitegebruik wordt gemeten met de tool die de gegevens heeft verzameld
retention-customer-account = Klantaccountgegevens, bewaard zolang u een account heeft en tot tien jaar daarna, om aan te tonen dat wij voldoen aan de nationale en Europese financiële en fiscale wetgeving
retention-support-calls = Gesprekken met klantenondersteuning, zes maanden bewaard om vragen en klachten over het gesprek af te handelen en ons team op te leiden
retention-account-records = Account-, bestel- en lidmaatschapsgegevens, bewaard zolang u een account bij ons heeft

## Rechten

right-access = Inzien welke persoonsgegevens wij over u hebben en een kopie ontvangen
right-rectification = Onjuiste persoonsgegevens laten corrigeren
right-erasure = Uw persoonsgegevens laten verwijderen, tenzij wij deze wettelijk moeten bewaren
right-restriction = De verwerking van uw persoonsgegevens laten beperken
right-portability = Uw persoonsgegevens ontvangen om ze aan een andere partij over te dragen
right-objection = Bezwaar maken tegen verwerking op basis van ons gerechtvaardigd belang, waaronder direct marketing
right-withdraw-consent = Uw toestemming op elk moment intrekken
right-cookie-settings = Uw cookie-instellingen op elk moment wijzigen

## Kanalen voor verzoeken

request-channel-privacy-dashboard = De privacyfuncties van uw online account
request-channel-data-request-api = De API voor privacyverzoeken in bulk
request-channel-customer-email = E-mail van klanten, die niet wordt geaccepteerd: klanten moeten hun online account of de API gebruiken
request-channel-privacy-email = Een e-mail aan ons privacyteam
request-channel-support-staff = Onze klantenservicemedewerkers
request-channel-postal = Een brief aan ons hoofdkantoor

## Cookiecategorieën

cookie-category-strictly-necessary = Strikt noodzakelijke cookies zorgen ervoor dat de website werkt, bijvoorbeeld om uw privacykeuzes op te slaan, u ingelogd te houden of formulieren te verzenden. Ze kunnen niet worden uitgeschakeld.
cookie-category-functional = Functionele cookies voegen functies en personalisatie toe, zoals het tonen van de website in uw taal. Zonder deze cookies werken sommige functies mogelijk niet.
cookie-category-performance = Prestatiecookies tellen bezoeken en verkeersbronnen en laten zien hoe bezoekers zich over de website bewegen, zodat wij deze kunnen verbeteren. De gegevens ervan worden geaggregeerd.
cookie-category-marketing = Marketingcookies stellen advertentiepartijen in staat uw browser en apparaat te herkennen. Ze kunnen u identificeren, op zichzelf of in combinatie met andere gegevens.
cookie-category-unclassified = Niet-geclassificeerde cookies worden samen met hun aanbieders nog geclassificeerd. Tot die tijd worden ze geblokkeerd.

## Cookies

cookie-consent-preferences = Onthoudt uw cookiekeuzes
cookie-session = Houdt u ingelogd tijdens een bezoek
cookie-language = Onthoudt uw voorkeurstaal
cookie-google-ads = Meet de resultaten van onze advertenties
cookie-linkedin-insight = Meet de resultaten van onze advertenties en stelt ons in staat advertenties aan bezoekers te tonen
cookie-facebook-pixel = Meet de resultaten van onze advertenties en stelt ons in staat advertenties aan bezoekers te tonen
cookie-google-analytics = Meet anoniem paginabezoeken, bestede tijd, gebruikte browsers en uitstappagina's
cookie-optimizely = Voert A/B-tests uit om versies van de website te vergelijken, zonder bezoekers te identificeren
cookie-crazy-egg = Maakt heatmaps en scrollmaps en onderscheidt nieuwe bezoekers van terugkerende bezoekers
cookie-vero = Volgt gebruikers die inloggen en zich identificeren met hun e-mailadres

## Contactpunten

contact-privacy = Onze functionaris voor gegevensbescherming en ons privacyteam, voor vragen, verzoeken, klachten en feedback
contact-security = Ons beveiligingsteam, om gestolen of misbruikte inloggegevens te melden
contact-support = Onze klantenservice, ook om geen verkoop- en marketingcontact meer te ontvangen
contact-account-manager = Uw accountmanager, ook om geen verkoop- en marketingcontact meer te ontvangen
contact-legal = Ons juridisch team, voor geschillen over onze privacypraktijken

## Rechtsgebieden

jurisdiction-gdpr = De Algemene Verordening Gegevensbescherming van de Europese Unie
jurisdiction-pdpa = De Singaporese Personal Data Protection Act
jurisdiction-ccpa = De California Consumer Privacy Act
jurisdiction-wbp = De Nederlandse Wet bescherming persoonsgegevens

## Termen en hun equivalenten in andere rechtsgebieden

term-personal-data = persoonsgegevens
term-data-subject = betrokkene
term-controller = verwerkingsverantwoordelijke
term-processor = verwerker
term-individual = individu
term-organisation = organisatie
term-data-intermediary = gegevensintermediair
term-personal-information = persoonlijke informatie
term-consumer = consument
term-business = onderneming
term-service-provider = dienstverlener

## Beveiligingsmaatregelen

measure-security-screening = Grondige beveiligingsscreening van onze infrastructuur en medewerkers
measure-password = Wachtwoordbeveiliging van elk account
measure-optional-2fa = Tweefactorauthenticatie voor accounts, wanneer de klant deze inschakelt
measure-vendor-vetting = Derden worden gescreend en gebonden aan contractuele, technische en organisatorische waarborgen voordat zij gegevens ontvangen
measure-login-location-monitoring = De locatie van aanmeldingen op accounts wordt gecontroleerd om fraude op te sporen
measure-contact-verification = Het e-mailadres en telefoonnummer worden geverifieerd wanneer een account wordt aangemaakt
measure-api-authentication = Elke API-integratie gebruikt een eigen authenticatietoken
measure-compliance-officer = Een interne complianceofficer
measure-compliance-officer-monitoring = Toezicht op de complianceofficer
measure-staff-2fa = Tweefactorauthenticatie voor gevoelige systemen
measure-time-restricted-access = In de tijd beperkte toegang tot gevoelige systemen
measure-need-to-know = Toegang alleen voor wie deze voor het werk nodig heeft
measure-four-eyes = Vierogenprincipe voor kritieke bedrijfsprocessen
measure-logging-monitoring = Gedetailleerde interne en externe vastlegging en bewaking van activiteiten
measure-outsourcing-confidentiality = Een uitbestedingsbeleid met geheimhoudingsovereenkomsten
measure-data-retention-policy = Een beleid voor bewaartermijnen van gegevens
measure-external-screening = Externe screening van medewerkers voorafgaand aan indiensttreding
measure-vog-certificate = Medewerkers moeten beschikken over een Verklaring Omtrent het Gedrag (VOG)
