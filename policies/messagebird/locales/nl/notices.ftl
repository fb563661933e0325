# E-mailberichten namens de privacyverklaring: de bevestigingslink, wezenlijke wijzigingen van
# de verklaring en wijzigingen van de lijst met subverwerkers, telkens vóór de ingangsdatum.

mail-greeting = Hallo,
mail-topic-policy = wezenlijke wijzigingen van onze privacyverklaring
mail-topic-processors = wijzigingen van onze lijst met subverwerkers
mail-confirm-subject = Graag bevestigen: privacyberichten van { $brand }
mail-confirm-intro = Iemand, hopelijk u, heeft gevraagd om op dit adres berichten van { $brand } te ontvangen over:
mail-confirm-action = Er wordt niets verstuurd voordat u bevestigt. Open daarvoor deze pagina en druk op de knop:
mail-confirm-ignore = Heeft u dit niet gevraagd? Negeer dan dit bericht: wij schrijven u niet opnieuw en het verzoek vervalt vanzelf.
mail-policy-subject = { $brand } wijzigt zijn privacyverklaring per { $date }
mail-policy-intro = Wij hebben versie { $version } van onze privacyverklaring gepubliceerd. Deze gaat in op { $date } en bevat { $count ->
        [one] één wezenlijke wijziging
       *[other] { $count } wezenlijke wijzigingen
    } ten opzichte van versie { $previous }, die nu geldt.
mail-policy-read = De wijzigingen, naast de huidige tekst:
mail-processors-subject = { $brand } wijzigt zijn subverwerkers per { $date }
mail-processors-intro = Vanaf { $date } verandert onze lijst met subverwerkers als volgt:
mail-processor-added = Nieuw: { $name }, voor { $purpose }, in { $country }
mail-processor-removed = Niet meer in gebruik: { $name }
mail-processor-changed = Gewijzigd: { $name }, nu voor { $purpose }, in { $country }
mail-processors-list = De volledige lijst, met de gegevens die elk ontvangt en de waarborgen bij doorgifte:
mail-processors-object = Heeft u bezwaar tegen een nieuwe of gewijzigde subverwerker? Laat het ons vóór { $date } weten op deze pagina:
mail-footer = U ontvangt dit bericht omdat dit adres zich heeft aangemeld voor privacyberichten van { $brand }. Afmelden kan met één klik via deze link:

# Accountberichten: de verificatielink, en de waarschuwing bij een aanmelding vanaf een nieuwe plek.
mail-account-verify-subject = Bevestig uw e-mailadres voor { $brand }
mail-account-verify-intro = Welkom bij { $brand }. Bevestig dat dit adres van u is, zodat wij u over uw account kunnen bereiken.
mail-account-verify-action = Open deze pagina en druk op de knop (de link werkt zeven dagen):
mail-account-verify-ignore = Heeft u zich niet aangemeld? Negeer dan dit bericht; het account blijft onbevestigd.
mail-account-alert-subject = Nieuwe aanmelding bij uw account van { $brand }
mail-account-alert-intro = Op { $date } is er vanuit { $place } op uw account aangemeld, met een browser of apparaat dat daar nog niet eerder voor werd gebruikt.
mail-account-alert-unknown-place = een plaats die wij niet konden bepalen
mail-account-alert-ok = Was u dit zelf? Dan hoeft u niets te doen.
mail-account-alert-not-you = Was u het niet? Wijzig dan nu uw wachtwoord en laat het ons beveiligingsteam weten met een e-mail aan { $security } met als onderwerp "Urgent: account credentials".
mail-account-footer = U ontvangt dit bericht omdat het over uw account bij { $brand } gaat.
mail-account-reset-subject = Stel een nieuw wachtwoord in voor { $brand }
mail-account-reset-intro = Iemand, hopelijk u, heeft gevraagd een nieuw wachtwoord in te stellen voor uw account bij { $brand }.
mail-account-reset-action = Open deze pagina om een nieuw wachtwoord te kiezen (de link werkt één uur, één keer); daarna eindigen alle sessies van het account:
mail-account-reset-ignore = Heeft u dit niet gevraagd? Negeer dan dit bericht: uw wachtwoord blijft zoals het is.
mail-account-lockdown-subject = Uw account bij { $brand } is uit voorzorg geblokkeerd
mail-account-lockdown-intro = We kregen een melding dat de inloggegevens van uw account bij { $brand } mogelijk in verkeerde handen zijn. Ter bescherming hebben we het account geblokkeerd, alle sessies beëindigd en de API-sleutels ingetrokken; ons beveiligingsteam heeft incident { $case } geopend.
mail-account-lockdown-action = Kies op deze pagina een nieuw wachtwoord om het account weer te gebruiken (de link werkt één uur, één keer):
mail-account-lockdown-not-you = Heeft u niets gemeld? Mail dan ons beveiligingsteam via { $security } met als onderwerp "Urgent: account credentials" en vermeld het incidentnummer.
mail-account-disclosure-subject = Een verzoek van de overheid om gegevens van uw account bij { $brand }
mail-account-disclosure-intro = Een overheidsinstantie ({ $authority }, { $place }) heeft ons om gegevens van uw account gevraagd: { $categories }, over de periode { $period }.
mail-account-disclosure-review = Wij verstrekken alleen gegevens aan een overheidsinstantie, onder een wet die op ons van toepassing is, op grond van een afdwingbaar juridisch instrument dat de gegevens en een specifieke periode noemt; bij minder tekenen we bezwaar aan en we verstrekken nooit meer dan gevraagd. Ons kenmerk is { $case }.
mail-account-disclosure-advice = U kunt juridisch advies inwinnen of contact opnemen met de instantie. Vragen: { $privacy }.

# Privacyverzoeken: de code van het privacycentrum, de ontvangst, verlenging en beantwoording van
# een verzoek, het doorsturen naar de klanten die over de gegevens beslissen, en herinneringen aan
# wie het verzoek afhandelt. Elk recht heeft een naam die zowel voor de indiener als voor de klant
# leesbaar is.
mail-request-right-access = inzage in persoonsgegevens
mail-request-right-portability = overdraagbaarheid van gegevens
mail-request-right-rectification = correctie van persoonsgegevens
mail-request-right-erasure = verwijdering van persoonsgegevens
mail-request-right-restriction = beperking van de verwerking
mail-request-right-objection = bezwaar tegen de verwerking
mail-request-right-withdraw-consent = intrekking van toestemming
mail-request-right-opt-out-sale = afmelding voor de verkoop van persoonsgegevens
mail-request-fact-reference = Kenmerk: { $reference }
mail-request-fact-right = Verzoek: { $right }
mail-request-code-subject = Uw verificatiecode voor { $brand }
mail-request-code-intro = Iemand, hopelijk u, wil met dit e-mailadres een privacyverzoek indienen bij { $brand }. Vul deze code in het privacycentrum in om te bevestigen dat het adres van u is:
mail-request-code-expiry = De code verloopt over { $minutes ->
        [one] één minuut
       *[other] { $minutes } minuten
    }. Geef hem aan niemand door.
mail-request-code-ignore = Heeft u dit niet gevraagd? Negeer dan dit bericht: zonder de code gebeurt er niets.
mail-request-received-subject = { $brand } heeft uw privacyverzoek { $reference } ontvangen
mail-request-received-intro = Wij hebben uw privacyverzoek ontvangen:
mail-request-received-due = Wij beantwoorden het zo snel mogelijk, en uiterlijk op { $due }. Vermeld het kenmerk als u ons over dit verzoek schrijft.
mail-request-received-extension = Is het verzoek complex, of ontvangen wij veel verzoeken tegelijk, dan kunnen wij meer tijd nodig hebben, maar nooit meer dan { $extended } vanaf de dag waarop wij het ontvingen. In dat geval laten wij u dat vóór { $due } weten, met de reden.
mail-request-extended-subject = { $brand } heeft meer tijd nodig voor uw verzoek { $reference }
mail-request-extended-intro = Wij hebben meer tijd nodig om uw privacyverzoek te beantwoorden:
mail-request-extended-reason = De reden:
mail-request-extended-due = Wij antwoorden nu uiterlijk op { $due }.
mail-request-extended-limit = Ook met verlenging duurt een antwoord nooit langer dan { $extended } vanaf de dag waarop wij het verzoek ontvingen.
mail-request-closed-subject = { $brand } heeft uw verzoek { $reference } beantwoord
mail-request-closed-intro = Dit is ons antwoord op uw privacyverzoek:
mail-request-closed-fulfilled = Wij hebben uw verzoek uitgevoerd.
mail-request-closed-no-data = Wij hebben in onze systemen naar persoonsgegevens over u gezocht en niets gevonden. Wij hebben geen persoonsgegevens over u; dit is dus het volledige antwoord op uw verzoek.
mail-request-closed-partially-fulfilled = Wij hebben uw verzoek gedeeltelijk uitgevoerd, maar niet helemaal.
mail-request-closed-denied = Wij kunnen uw verzoek niet uitvoeren.
mail-request-closed-reason = Onze redenen:
mail-request-closed-note = Een toelichting van ons privacyteam:
mail-request-closed-retained = De wet verplicht ons sommige gegevens nog een tijd te bewaren. Wij bewaren:
mail-request-retained-item = { $category }, tot { $until }: { $why }
mail-request-closed-erased-rest = Alle andere persoonsgegevens over u hebben wij verwijderd; de gegevens hierboven verwijderen wij zodra hun bewaartermijn afloopt.
mail-request-closed-download = Op deze pagina kunt u uw gegevens downloaden:
mail-request-closed-court = U kunt de zaak ook aan de rechter voorleggen.
mail-request-withdrawn-subject = Uw verzoek { $reference } aan { $brand } is afgesloten
mail-request-withdrawn-intro = U heeft uw privacyverzoek ingetrokken; wij hebben het daarom afgesloten:
mail-request-withdrawn-again = U kunt op elk moment een nieuw verzoek indienen.
mail-request-questions = Heeft u vragen over dit antwoord? Schrijf dan naar { $privacy } en vermeld het kenmerk.
mail-request-complaint = Bent u niet tevreden met ons antwoord, dan kunt u een klacht indienen bij de toezichthoudende autoriteit van { $country }, de { $authority }, of bij de toezichthoudende autoriteit van de EU-lidstaat waar u woont of werkt, of waar volgens u inbreuk op uw rechten is gemaakt.
mail-request-complaint-any = Bent u niet tevreden met ons antwoord, dan kunt u een klacht indienen bij de toezichthoudende autoriteit van de EU-lidstaat waar u woont of werkt, of waar volgens u inbreuk op uw rechten is gemaakt.
mail-request-non-discrimination = Woont u in Californië? Omdat u uw privacyrechten uitoefent, rekenen wij u nooit een andere prijs, krijgt u nooit een ander niveau van dienstverlening en weigeren wij u nooit een dienst.
mail-request-routed-subject = { $brand } heeft uw verzoek { $reference } doorgestuurd
mail-request-routed-intro = Uw privacyverzoek gaat over persoonsgegevens die { $brand } in opdracht van zijn klanten verwerkt. Die klanten bepalen wat er met de gegevens gebeurt, en beantwoorden daarom ook verzoeken daarover.
mail-request-routed-to = Wij hebben uw verzoek doorgestuurd naar:
mail-request-routed-next = U krijgt rechtstreeks antwoord van hen. Heeft u vragen? Schrijf dan naar { $privacy } en vermeld het kenmerk.
mail-request-controller-subject = Nieuw privacyverzoek { $reference } voor uw account bij { $brand }
mail-request-controller-intro = Er is een privacyverzoek over persoonsgegevens van een van uw eindgebruikers doorgestuurd naar uw account bij { $brand }:
mail-request-controller-role = { $brand } verwerkt deze gegevens in uw opdracht. Als verwerkingsverantwoordelijke beslist u over het verzoek en beantwoordt u de indiener; wij hebben de indiener laten weten dat u zult antwoorden.
mail-request-controller-action = Handel het verzoek uiterlijk op { $due } af in uw dashboard; daar vindt u het verzoek en de middelen om het uit te voeren:
mail-request-reminder-subject = Herinnering van { $brand }: de termijn van verzoek { $reference } loopt af op { $due }
mail-request-overdue-subject = Herinnering van { $brand }: de termijn van verzoek { $reference } is verstreken
mail-request-reminder-due = Dit privacyverzoek moet binnen { $days ->
        [one] één dag
       *[other] { $days } dagen
    } beantwoord zijn, uiterlijk op { $due }:
mail-request-reminder-today = Dit privacyverzoek moet vandaag, { $due }, beantwoord zijn:
mail-request-reminder-overdue = Dit privacyverzoek had { $days ->
        [one] één dag
       *[other] { $days } dagen
    } geleden, op { $due }, beantwoord moeten zijn. Beantwoord het nu:
mail-request-reminder-action = Open het in het dashboard:
mail-request-footer = U ontvangt dit bericht omdat dit adres is opgegeven bij een privacyverzoek aan { $brand }.
mail-request-handler-footer = U ontvangt dit bericht omdat dit adres is ingesteld om privacyverzoeken bij { $brand } af te handelen.
