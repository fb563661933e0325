# Judul catatan kegiatan pemrosesan (Pasal 30 GDPR) dalam unduhan Markdown dan halamannya, serta
# pasal yang menjadi dasar suatu dasar hukum.

ropa-title = Catatan kegiatan pemrosesan (Pasal 30 peraturan perlindungan data umum Uni Eropa)
ropa-controller = Pengendali
ropa-address = Alamat
ropa-dpo = Petugas pelindungan data
ropa-version = Versi kebijakan
ropa-security = Langkah keamanan (Pasal 32)
ropa-activity = Kegiatan
ropa-legal-bases = Dasar hukum
ropa-data-subjects = Subjek data
ropa-personal-data = Data pribadi
ropa-recipients = Penerima
ropa-processors = Prosesor
ropa-transfers = Transfer ke luar Wilayah Ekonomi Eropa
ropa-retention = Masa penyimpanan
ropa-sources = Sumber
ropa-article = Pasal 6 ayat (1) huruf { $point }
