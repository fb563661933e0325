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
