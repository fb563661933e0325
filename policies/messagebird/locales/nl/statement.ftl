# Nederlandse zinnen van de privacyverklaring, vertaald uit de Engelse bronlocale.
# Namen, getallen, termijnen, adressen, e-mailonderwerpen en opsommingen komen uit de
# beleidsbestanden en worden als argumenten ({ $name }) ingevoegd; typ ze nooit in de tekst.
# De vier begrippen van het rechtsgebied zijn altijd beschikbaar:
#   { $personal-data }, { $data-subject }, { $controller }, { $processor }
# (AVG: "persoonsgegevens", "betrokkene", "verwerkingsverantwoordelijke", "verwerker"; voor
# Singapore en Californië worden ze vervangen.)

## Titel en datums

st-title = Privacyverklaring van { $brand }
st-version-line = Versie { $version }, van kracht vanaf { $effective }.
st-last-updated = Laatst bijgewerkt op { $date }.
st-keep-a-copy = U kunt deze verklaring downloaden en een kopie bewaren; elke eerdere versie blijft beschikbaar op een eigen adres.

## 1. Wie wij zijn

st-who-heading = Wie wij zijn en waarop deze verklaring betrekking heeft
st-who-intro = { $controller }, { $address }, bepaalt het doel en de middelen van de verwerking van de hier beschreven { $personal-data }. In deze verklaring verwijzen “wij” en “ons” naar { $controller } en haar groepsmaatschappijen; met “u” bedoelen wij de persoon op wie de gegevens betrekking hebben.
st-who-affiliates = Onze groepsmaatschappijen zijn { $affiliates }. Een bedrijf is een groepsmaatschappij van ons wanneer meer dan { $percent } procent van de stemrechten in dat bedrijf in handen is van ons of van een bedrijf dat de stemrechten in ons bedrijf houdt.
st-who-brands = Deze verklaring is van toepassing op de diensten die wij aanbieden onder de merken { $brands }.
st-who-scope = De verklaring heeft betrekking op alle groepen personen van wie wij gegevens verwerken:
st-who-equal = Wij hanteren voor iedereen dezelfde normen, ongeacht woonplaats of nationaliteit, en wij gaan met { $personal-data } om in overeenstemming met de wetgeving inzake gegevensbescherming die daarop van toepassing is.

## 2. Rollen

st-roles-heading = Wanneer wij beslissen en wanneer onze klanten beslissen
st-roles-controller = Wij zijn de { $controller } voor de gegevens van onze klanten, leads, websitebezoekers en andere personen die rechtstreeks met ons te maken hebben: wij bepalen waarom en hoe die gegevens worden gebruikt.
st-roles-processor = Wanneer onze klanten onze diensten gebruiken om met hun eigen contactpersonen te communiceren, zijn onze klanten de { $controller } voor die gegevens en zijn wij hun { $processor }: wij gebruiken de gegevens alleen volgens hun instructies en nooit voor eigen doeleinden.
st-roles-processor-products = Bij de volgende diensten treden wij op deze manier op namens onze klanten:

## 3. Rechtsgronden

st-bases-heading = De rechtsgronden waarop wij ons baseren
st-bases-intro = Wij verwerken { $personal-data } alleen wanneer een van de volgende rechtsgronden van toepassing is:
st-bases-balancing = Wanneer wij ons baseren op ons gerechtvaardigd belang, wegen wij dat belang eerst af tegen uw belangen en rechten. Wij doen geen beroep op deze grondslag wanneer de verwerking een hoog risico voor u zou opleveren of bijzondere categorieën van gegevens zou betreffen, of wanneer uw grondrechten zwaarder wegen dan ons belang.

## 4. Doeleinden

st-purposes-heading = Waarvoor wij { $personal-data } gebruiken
st-purposes-intro = Wij gebruiken { $personal-data } voor de volgende doeleinden. Tussen haakjes staat telkens de rechtsgrond.
st-purpose-item = { $purpose } ({ $bases })
st-basis-short-consent = uw toestemming
st-basis-short-contract = onze overeenkomst
st-basis-short-legal-obligation = een wettelijke verplichting
st-basis-short-vital-interests = vitale belangen
st-basis-short-public-task = een taak van algemeen belang
st-basis-short-legitimate-interest = ons gerechtvaardigd belang

## 5. Gegevens

st-data-heading = De { $personal-data } die wij verzamelen
st-data-intro = Welke gegevens wij verzamelen, hangt af van de manier waarop u met ons in contact komt.
st-data-customers-heading = Klanten, leads en websitebezoekers
st-data-with-parts = { $category }: { $parts }
st-data-end-users-heading = De personen met wie onze klanten communiceren
st-data-end-users-intro = Wanneer een klant een van onze diensten gebruikt om personen te bereiken, verwerken wij namens die klant de volgende gegevens van die personen.
st-data-optional = { $held }; optioneel ook { $optional }
st-col-product = Dienst
st-col-end-user-data = Gegevens van de bereikte personen
st-define-traffic-data = Verkeersgegevens zijn gegevens die worden verwerkt om een bericht of gesprek over een netwerk over te brengen of om dit te factureren, zoals de betrokken nummers of adressen, het tijdstip, de duur en de route.
st-define-location-data = Locatiegegevens zijn gegevens die in een netwerk worden verwerkt en aangeven waar de apparatuur van een gebruiker zich bevindt, zoals de netwerkcel of het netwerk waarlangs een bericht is verzonden.

## 6. Bronnen

st-sources-heading = Waar de gegevens vandaan komen
st-sources-intro = Wij ontvangen { $personal-data } uit de volgende bronnen:
st-source-with-providers = { $source } (bijvoorbeeld { $providers })

## 7. Delen

st-sharing-heading = Met wie wij { $personal-data } delen
st-sharing-intro = { $count ->
    [one] Wij delen { $personal-data } alleen met deze categorie ontvangers, en alleen voor zover die de gegevens nodig heeft:
   *[other] Wij delen { $personal-data } alleen met deze { $count } categorieën ontvangers, en alleen voor zover elk van hen de gegevens nodig heeft:
}
st-sharing-psps = Betalingen worden afgehandeld door { $psps }, die zelf bepalen hoe zij de betalingsgegevens gebruiken.
st-sharing-affiliates = Onze groepsmaatschappijen ontvangen { $personal-data } alleen om de diensten die u gebruikt te leveren of te ondersteunen, volgens dezelfde normen als in deze verklaring.
st-sharing-no-sale = Wij verkopen en verhuren geen { $personal-data } en verstrekken die ook niet op een andere manier in ruil voor geld of iets anders van waarde.
st-gov-heading = Verzoeken van overheidsinstanties
st-gov-intro = Wij verstrekken { $personal-data } alleen aan een overheidsinstantie wanneer de wet ons daartoe verplicht.
st-gov-tests = { $count ->
    [one] Wij nemen een verzoek alleen in behandeling wanneer aan deze voorwaarde is voldaan:
   *[other] Wij nemen een verzoek alleen in behandeling wanneer aan alle { $count } onderstaande voorwaarden is voldaan:
}
st-gov-test-authority = Het verzoek is afkomstig van een overheidsinstantie.
st-gov-test-jurisdiction = Het verzoek is gedaan in een rechtsgebied waarvan het recht op ons van toepassing is.
st-gov-test-instrument = Het verzoek heeft de vorm van een afdwingbaar rechtsinstrument, zoals een dagvaarding, een bevelschrift of een rechterlijk bevel.
st-gov-test-scope = Het verzoek vermeldt welke categorieën gegevens worden gevraagd en over welke specifieke periode.
st-gov-test-obligation = Wij zijn wettelijk verplicht aan het verzoek te voldoen.
st-gov-notify = Wij stellen de betrokken klant op de hoogte van het verzoek, tenzij de wet dat uitdrukkelijk verbiedt.
st-gov-gag = Een instantie die ons verbiedt de klant te informeren, moet de wettelijke grondslag van dat verbod vermelden.
st-gov-push-back = Wanneer er een redelijke juridische grond is om een verzoek aan te vechten, vechten wij het aan.

## 8. Doorgifte naar het buitenland

st-transfers-heading = Doorgifte buiten de Europese Economische Ruimte
st-transfers-intro = Sommige van onze dienstverleners verwerken { $personal-data } buiten de Europese Economische Ruimte. Elke doorgifte van die aard berust op een van de volgende waarborgen:
st-transfer-adequacy = Een besluit van de Europese Commissie dat het land een passend beschermingsniveau voor { $personal-data } biedt.
st-transfer-scc = De standaardcontractbepalingen die de Europese Commissie heeft vastgesteld.
st-transfer-bcr = Bindende bedrijfsvoorschriften die zijn goedgekeurd door een toezichthoudende autoriteit voor gegevensbescherming.
st-transfer-dpf = De certificering van de ontvanger onder het EU-VS-kader inzake gegevensbescherming.
st-transfers-assessment = Vóór een dergelijke doorgifte beoordelen wij de wetgeving en de praktijk in het land van bestemming, en wij nemen aanvullende technische en organisatorische maatregelen wanneer uit die beoordeling blijkt dat die nodig zijn.

## 9. Beveiliging

st-security-heading = Hoe wij { $personal-data } beveiligen
st-security-intro = Wij beveiligen { $personal-data } met technische en organisatorische maatregelen, waaronder:
st-security-certifications = Ons beveiligingsbeheer is gecertificeerd volgens { $certifications }.
st-security-report = Als u denkt dat uw inloggegevens zijn gestolen of misbruikt, schrijf dan onmiddellijk naar { $email } met als onderwerp '{ $subject }'.

## 10. Bewaren

st-retention-heading = Hoe lang wij { $personal-data } bewaren
st-retention-intro = Wij bewaren { $personal-data } niet langer dan nodig is voor het betreffende doel of dan de wet voorschrijft:
st-col-data = Gegevens
st-col-kept = Bewaartermijn
st-retention-period-from = { $period } na { $from }.
st-from-collection = het moment van verzameling
st-from-last-interaction = uw laatste contact met ons
st-from-contract-end = het einde van de overeenkomst
st-from-request-closed = de afsluiting van het verzoek
st-from-consent-event = het moment waarop de toestemming is gegeven of ingetrokken
st-from-tracking-ends = het einde van de meting
st-from-cookie-lifespan = het moment waarop de cookie is geplaatst
st-until-collection = Wordt verwijderd zodra de gegevens zijn verzameld.
st-until-last-interaction = Tot uw laatste contact met ons.
st-until-contract-end = Zolang de overeenkomst loopt.
st-until-request-closed = Totdat het verzoek is afgesloten.
st-until-consent-event = Totdat de toestemming wordt ingetrokken.
st-until-tracking-ends = Totdat de meting stopt.
st-until-cookie-lifespan = Gedurende de levensduur van elke cookie, zoals vermeld in de cookietabel.
st-retention-max = Wanneer het recht van het land van het contracterende bedrijf of van het ontvangende netwerk dat vereist, tot maximaal { $max }.
st-retention-customer-setting = De klant kan een andere termijn instellen tussen { $min } en { $max }.
st-retention-existing-customers = Voor bestaande klanten: zolang wij de diensten leveren.
st-retention-ends-early = De termijn eindigt direct wanneer u uw toestemming intrekt of zich afmeldt.
st-retention-after = Wanneer een termijn afloopt, verwijderen wij de gegevens of bewaren wij ze alleen nog in een vorm waarmee niemand meer te identificeren is, voor archivering en statistiek.

## 11. Rechten

st-rights-heading = Uw rechten
st-rights-intro = U kunt bij ons:
st-rights-how-heading = Hoe u uw rechten uitoefent
st-rights-channel-account-holders = Accounthouders van { $brands }: { $channel }.
st-rights-channel-others = Alle anderen: { $channel }, { $address }.
st-rights-deadline = Wij reageren binnen { $deadline } na ontvangst van uw verzoek.
st-rights-extension = Als een verzoek complex is of als wij veel verzoeken ontvangen, kunnen wij meer tijd nemen, maar nooit meer dan in totaal { $extended } vanaf de dag waarop wij het verzoek hebben ontvangen; als wij die extra tijd nodig hebben, laten wij u dat binnen de eerste termijn weten, met de reden daarvoor.
st-rights-fee = Wij kunnen hiervoor een vergoeding van ten hoogste { $amount } vragen.
st-rights-free = Het uitoefenen van uw rechten is kosteloos.
st-rights-verify = Voordat wij gevolg geven aan een verzoek, controleren wij of het afkomstig is van de persoon zelf, zodat niemand anders toegang krijgt tot uw gegevens.
st-rights-complaint = Als u niet tevreden bent met ons antwoord, kunt u een klacht indienen bij de { $authority } of bij de toezichthoudende autoriteit voor gegevensbescherming van het land waar u woont of werkt of waar volgens u inbreuk op uw rechten is gemaakt.
st-rights-complaint-any = Bent u niet tevreden met ons antwoord, dan kunt u een klacht indienen bij de toezichthouder voor gegevensbescherming van het land waar u woont of werkt, of waar volgens u inbreuk op uw rechten is gemaakt.
st-attention = t.a.v. { $department }

## 12. Cookies

st-cookies-heading = Cookies en vergelijkbare technieken
st-cookies-intro = Onze websites gebruiken cookies. Bij uw eerste bezoek vragen wij welke cookies u accepteert; strikt noodzakelijke cookies staan altijd aan, en alle andere soorten staan uit totdat u ze inschakelt. U kunt alle cookies even gemakkelijk weigeren als accepteren, en u kunt uw keuze op elk moment wijzigen.
st-cookie-category = { $consent }: { $category }
st-consent-always-on = Altijd actief
st-consent-opt-in = Alleen met uw toestemming
st-consent-opt-out = Actief, tenzij u ze uitschakelt
st-consent-blocked = Geblokkeerd
st-cookie-category-name-strictly-necessary = Strikt noodzakelijk
st-cookie-category-name-functional = Functioneel
st-cookie-category-name-performance = Prestaties
st-cookie-category-name-marketing = Marketing
st-cookie-category-name-unclassified = Niet geclassificeerd
st-cookies-inventory = Dit zijn de cookies die wij gebruiken, met de bewaarduur van elke cookie:
st-col-cookie = Cookie
st-col-provider = Geplaatst door
st-col-category = Categorie
st-col-party = Eigen cookie of cookie van derden
st-col-lifespan = Bewaarduur
st-col-purpose = Doel
st-party-first = eigen cookie
st-party-third = cookie van derden
st-party-both = zowel eigen cookie als cookie van derden
st-lifespan-session = totdat u de browser sluit
st-lifespan-while-tracked = zolang het hulpmiddel uw bezoeken volgt
st-cookies-choices = U kunt cookies ook blokkeren of verwijderen via de instellingen van uw browser:
st-browser-chrome = Google Chrome: Instellingen, Privacy en beveiliging, Cookies van derden
st-browser-firefox = Mozilla Firefox: Instellingen, Privacy & Beveiliging, Cookies en websitegegevens
st-browser-safari = Safari: Instellingen, Privacy, Beheer websitegegevens
st-browser-edge = Microsoft Edge: Instellingen, Cookies en sitemachtigingen

## 13. Kinderen

st-children-heading = Kinderen
st-children-age = Onze diensten zijn niet bedoeld voor kinderen jonger dan { $age } jaar, en wij verzamelen niet bewust gegevens over hen. Als wij ontdekken dat wij gegevens van een kind hebben zonder toestemming van een ouder of voogd, verwijderen wij die zo snel mogelijk.
st-children-report = Als u denkt dat wij gegevens van een kind hebben, schrijf dan naar { $email } met als onderwerp '{ $subject }'.

## 14. Links

st-links-heading = Links naar andere websites
st-links-body = Onze websites en berichten kunnen links bevatten naar websites die wij niet bezitten of beheren. Deze verklaring is daarop niet van toepassing; lees de privacyverklaring van elke website die u bezoekt.

## Singapore en Californië

st-pdpa-heading = Als u zich in Singapore bevindt
st-pdpa-body = Onder de Singaporese Personal Data Protection Act 2012 moeten de begrippen in deze verklaring als volgt worden gelezen:
st-ccpa-heading = Als u inwoner van Californië bent
st-ccpa-body = Onder de California Consumer Privacy Act moeten de begrippen in deze verklaring als volgt worden gelezen:
st-ccpa-categories = In de afgelopen twaalf maanden hebben wij de volgende categorieën { $personal-data } verzameld, voor de doeleinden en uit de bronnen die hierboven zijn beschreven:
st-ccpa-no-sale = Wij verkopen en delen geen { $personal-data } zoals die begrippen in de wet zijn omschreven, en wij hebben dat in de afgelopen twaalf maanden ook niet gedaan.
st-ccpa-non-discrimination = Wij behandelen u niet anders omdat u uw rechten uitoefent: u wordt geen dienst geweigerd, u betaalt geen andere prijs en u krijgt geen andere kwaliteit aangeboden omdat u uw rechten hebt uitgeoefend.
st-term-means = “{ $ours }” betekent “{ $theirs }”.

## 15. Wijzigingen

st-changes-heading = Wijzigingen in deze verklaring
st-changes-email = Wanneer wij deze verklaring zo wijzigen dat dit aanzienlijke gevolgen heeft voor uw rechten, laten wij u dat waar mogelijk per e-mail weten voordat de wijziging ingaat.
st-changes-where-possible = Wanneer wij deze verklaring zo wijzigen dat dit aanzienlijke gevolgen heeft voor uw rechten, laten wij u dat waar mogelijk weten voordat de wijziging ingaat. Als u het niet eens bent met een wijziging, kunt u stoppen met het gebruik van onze diensten.
st-changes-publication = Wij kunnen deze verklaring wijzigen; de datum bovenaan geeft aan wanneer zij voor het laatst is gewijzigd.
st-changes-notice-period = { $days ->
    [one] Wij kondigen zulke wijzigingen ten minste { $days } dag voor de ingangsdatum aan.
   *[other] Wij kondigen zulke wijzigingen ten minste { $days } dagen voor de ingangsdatum aan.
}
st-changes-versions = Elke eerdere versie van deze verklaring blijft beschikbaar, met een samenvatting van de wijzigingen.

## 16. Geschillen

st-disputes-heading = Geschillen
st-disputes-body = Als u een geschil met ons hebt over de manier waarop wij met { $personal-data } omgaan, schrijf dan naar ons juridisch team via { $email } met als onderwerp '{ $subject }'. Als wij het geschil niet samen per e-mail kunnen oplossen, zijn de geschillenbepalingen van onze voorwaarden van toepassing.

## 17. Subverwerkers

st-subprocessors-heading = Onze subverwerkers
st-subprocessors-intro = Deze dienstverleners verwerken { $personal-data } namens ons, op grond van een overeenkomst die hen bindt aan onze instructies en aan hetzelfde beschermingsniveau:
st-col-name = Naam
st-col-service = Wat zij voor ons doen
st-col-country = Land
st-col-transfer = Waarborg voor doorgifte
st-transfer-short-adequacy = adequaatheidsbesluit
st-transfer-short-scc = standaardcontractbepalingen
st-transfer-short-bcr = bindende bedrijfsvoorschriften
st-transfer-short-dpf = EU-VS-kader inzake gegevensbescherming
st-transfer-none = niet nodig (binnen de EER)
st-subprocessors-subscribe = U kunt zich aanmelden om per e-mail bericht te krijgen voordat wij een subverwerker toevoegen of vervangen, en u kunt bezwaar maken tegen die wijziging.

## 18. Contact

st-contact-heading = Hoe u ons kunt bereiken
st-contact-intro = Voor alle vragen over { $personal-data }:
st-contact-item = { $contact }: { $email }
st-contact-post = Per post: { $address }.
st-contact-local = Wij hebben ook lokale adressen in { $countries }.

## Landen

st-country-au = Australië
st-country-ca = Canada
st-country-cn = China
st-country-co = Colombia
st-country-de = Duitsland
st-country-gb = het Verenigd Koninkrijk
st-country-ie = Ierland
st-country-mt = Malta
st-country-nl = Nederland
st-country-sg = Singapore
st-country-us = de Verenigde Staten

## Termijnen, datums en opsommingen

st-period-none = 0 dagen
st-period-years = { $n ->
    [one] { $n } jaar
   *[other] { $n } jaar
}
st-period-months = { $n ->
    [one] { $n } maand
   *[other] { $n } maanden
}
st-period-weeks = { $n ->
    [one] { $n } week
   *[other] { $n } weken
}
st-period-days = { $n ->
    [one] { $n } dag
   *[other] { $n } dagen
}
st-month-1 = januari
st-month-2 = februari
st-month-3 = maart
st-month-4 = april
st-month-5 = mei
st-month-6 = juni
st-month-7 = juli
st-month-8 = augustus
st-month-9 = september
st-month-10 = oktober
st-month-11 = november
st-month-12 = december
st-date = { $day } { $month } { $year }
st-list = { $init } en { $last }
st-list-separator = {", "}
st-sentence-separator = {" "}
st-address-separator = {", "}
