# Toestemmingsteksten: de woorden die iemand ziet wanneer om toestemming wordt gevraagd, en de cookiebanner.
# Het toestemmingsregister bewaart de hashwaarde van de exact getoonde tekst, dus elke wijziging hier is een
# nieuwe tekstversie: beperk elk bericht tot wat het vraagt, in eenvoudige woorden.

## Toestemming voor een doel (één bericht per doel met toestemming als grondslag: `consent-<purpose>`)

consent-promote-services = Ja, stuur mij per e-mail nieuws en aanbiedingen over de producten en evenementen van MessageBird. Ik kan mij op elk moment afmelden via de link in elke e-mail.
consent-product-information = Ja, stuur mij de productinformatie die ik heb aangevraagd en neem daarover per e-mail contact met mij op. Ik kan mij op elk moment afmelden.
consent-surveys = Ja, nodig mij uit voor enquêtes over de diensten van MessageBird. Deelname is altijd vrijwillig.
consent-targeted-advertising = Ja, MessageBird en zijn advertentiepartners mogen cookies en vergelijkbare technieken gebruiken om mij advertenties te tonen die aansluiten bij mijn interesses.
consent-website-analytics = Ja, MessageBird mag meten hoe ik zijn website gebruik, om die te verbeteren.
consent-saved-payment-methods = Sla deze betaalmethode op voor mijn volgende betalingen. Alleen de gegevens die nodig zijn om de betaalmethode te herkennen, worden bewaard, en ik kan deze op elk moment verwijderen in mijn financiële instellingen.
consent-auto-recharge = Vul mijn tegoed automatisch aan wanneer het onder het door mij ingestelde bedrag komt. Ik kan dit op elk moment uitschakelen in mijn financiële instellingen.

## Cookiebanner: eerste laag

banner-title = Uw cookiekeuzes
banner-intro = Wij gebruiken strikt noodzakelijke cookies om deze website te laten werken. Functionele, prestatie- en marketingcookies worden alleen gebruikt als u ze accepteert. Er wordt niets anders geplaatst totdat u een keuze hebt gemaakt, en u kunt uw keuze op elk moment wijzigen onder Cookie-instellingen.
banner-accept-all = Alles accepteren
banner-reject-all = Alles weigeren
banner-adjust = Zelf instellen
banner-remove = Mijn gegevens verwijderen
banner-gpc = Uw browser verstuurt een Global Privacy Control-signaal: marketingcookies blijven uit, tenzij u ze zelf inschakelt.
banner-removed = Uw cookiekeuzes en de gegevens die wij over deze browser hadden, zijn verwijderd.
banner-notice-link = Lees de cookieverklaring
banner-open = Cookie-instellingen

## Cookiebanner: tweede laag

banner-settings-title = Cookie-instellingen
banner-settings-intro = Kies welke soorten cookies wij mogen gebruiken. Bij elke soort leest u wat het betekent als u die accepteert en welke cookies eronder vallen. Strikt noodzakelijke cookies staan altijd aan; cookies die wij nog niet hebben geclassificeerd, blijven geblokkeerd.
banner-save = Mijn keuzes opslaan
banner-back = Terug
banner-always-on = Altijd aan
banner-blocked = Geblokkeerd tot classificatie
banner-name-strictly-necessary = Strikt noodzakelijk
banner-name-functional = Functioneel
banner-name-performance = Prestaties
banner-name-marketing = Marketing
banner-name-unclassified = Niet geclassificeerd
banner-no-cookies = Er worden geen cookies van deze soort gebruikt.
banner-browser-help = U kunt cookies ook blokkeren of verwijderen via de instellingen van uw browser.

## De cookietabel

banner-table-cookie = Cookie
banner-table-provider = Aanbieder
banner-table-party = Geplaatst door
banner-table-lifespan = Bewaarduur
banner-table-hosted = Gegevens opgeslagen in
banner-table-purpose = Doel
banner-party-first = Deze website
banner-party-third = Een derde partij
banner-party-both = Deze website en een derde partij
banner-lifespan-session = Tot de browser wordt gesloten
banner-lifespan-while-tracked = Zolang de website met dit hulpmiddel wordt gemeten
banner-lifespan-days = { $count ->
    [one] 1 dag
   *[other] { $count } dagen
}
banner-lifespan-months = { $count ->
    [one] 1 maand
   *[other] { $count } maanden
}
banner-lifespan-years = { $count ->
    [one] 1 jaar
   *[other] { $count } jaar
}
