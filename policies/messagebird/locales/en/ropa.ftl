# Headings of the record of processing activities (GDPR Article 30) in its Markdown download
# and page, and the article a legal basis rests on.

ropa-title = Record of processing activities (GDPR Article 30)
ropa-controller = Controller
ropa-address = Address
ropa-dpo = Data protection officer
ropa-version = Policy version
ropa-security = Security measures (Article 32)
ropa-activity = Activity
ropa-legal-bases = Legal bases
ropa-data-subjects = Data subjects
ropa-personal-data = Personal data
ropa-recipients = Recipients
ropa-processors = Processors
ropa-transfers = Transfers outside the EEA
ropa-retention = Retention
ropa-sources = Sources
ropa-article = Art. 6(1)({ $point })
