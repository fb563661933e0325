# Koppen van het register van verwerkingsactiviteiten (AVG artikel 30) in de Markdown-download
# en op de pagina, en het artikel waarop een rechtsgrond berust.

ropa-title = Register van verwerkingsactiviteiten (AVG artikel 30)
ropa-controller = Verwerkingsverantwoordelijke
ropa-address = Adres
ropa-dpo = Functionaris voor gegevensbescherming
ropa-version = Versie van het beleid
ropa-security = Beveiligingsmaatregelen (artikel 32)
ropa-activity = Activiteit
ropa-legal-bases = Rechtsgronden
ropa-data-subjects = Betrokkenen
ropa-personal-data = Persoonsgegevens
ropa-recipients = Ontvangers
ropa-processors = Verwerkers
ropa-transfers = Doorgiften buiten de EER
ropa-retention = Bewaartermijn
ropa-sources = Bronnen
ropa-article = art. 6, lid 1, onder { $point }
