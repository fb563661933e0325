# Kalimat bahasa Indonesia untuk pernyataan privasi, diterjemahkan dari lokal sumber (en).
# Nama, angka, jangka waktu, alamat, subjek email, dan daftar berasal dari berkas kebijakan dan
# masuk ke kalimat ini sebagai argumen ({ $name }); jangan pernah mengetikkannya ke dalam teks.
# Istilah yurisdiksi untuk empat istilah berikut selalu tersedia:
#   { $personal-data }, { $data-subject }, { $controller }, { $processor }
# (GDPR: "data pribadi", "subjek data", "pengendali data", "prosesor data"; tampilan Singapura
# dan California menggantinya.)
# Bahasa Indonesia tidak mengenal bentuk jamak gramatikal: pesan dengan hitungan ditulis sebagai
# satu pola biasa yang tetap memuat variabelnya.

## Judul dan tanggal

st-title = Pernyataan privasi { $brand }
st-version-line = Versi { $version }, berlaku sejak { $effective }.
st-last-updated = Terakhir diperbarui pada { $date }.
st-keep-a-copy = Anda dapat mengunduh pernyataan ini dan menyimpan salinannya; setiap versi sebelumnya tetap tersedia di alamatnya masing-masing.

## 1. Siapa kami

st-who-heading = Siapa kami dan apa cakupan pernyataan ini
st-who-intro = { $controller }, { $address }, menentukan tujuan dan cara pemrosesan { $personal-data } yang diuraikan di sini. Dalam pernyataan ini, "kami" berarti { $controller } beserta afiliasinya; "Anda" berarti orang yang menjadi pemilik data tersebut.
st-who-affiliates = Afiliasi kami adalah { $affiliates }. Suatu perusahaan merupakan afiliasi kami apabila lebih dari { $percent } persen hak suaranya dipegang oleh kami atau oleh perusahaan yang memegang hak suara kami.
st-who-brands = Pernyataan ini berlaku untuk layanan yang kami tawarkan dengan merek { $brands }.
st-who-scope = Pernyataan ini mencakup setiap kelompok orang yang datanya kami tangani:
st-who-equal = Kami menerapkan standar yang sama kepada setiap orang, di mana pun mereka tinggal dan apa pun kewarganegaraannya, dan kami menangani { $personal-data } sesuai dengan undang-undang pelindungan data yang berlaku terhadapnya.

## 2. Peran

st-roles-heading = Kapan kami yang memutuskan dan kapan pelanggan kami yang memutuskan
st-roles-controller = Kami adalah { $controller } atas data pelanggan, prospek, pengunjung situs web, dan orang lain yang berurusan langsung dengan kami: kami menentukan tujuan dan cara penggunaan data tersebut.
st-roles-processor = Apabila pelanggan kami menggunakan layanan kami untuk berkomunikasi dengan kontak mereka sendiri, pelanggan kami adalah { $controller } atas data tersebut dan kami adalah { $processor } mereka: kami menggunakan data tersebut hanya berdasarkan instruksi mereka dan tidak untuk tujuan kami sendiri.
st-roles-processor-products = Kami bertindak untuk pelanggan kami dengan cara ini dalam layanan berikut:

## 3. Dasar hukum

st-bases-heading = Dasar hukum yang kami gunakan
st-bases-intro = Kami memproses { $personal-data } hanya apabila salah satu dasar hukum berikut berlaku:
st-bases-balancing = Apabila kami mengandalkan kepentingan yang sah kami, kami terlebih dahulu menimbangnya terhadap kepentingan dan hak Anda. Kami tidak mengandalkannya apabila pemrosesan tersebut akan menimbulkan risiko tinggi bagi Anda, akan melibatkan kategori data khusus, atau apabila hak fundamental Anda lebih diutamakan daripada kepentingan kami.

## 4. Tujuan

st-purposes-heading = Alasan kami menggunakan { $personal-data }
st-purposes-intro = Kami menggunakan { $personal-data } untuk tujuan-tujuan berikut. Dasar hukum setiap tujuan dicantumkan dalam tanda kurung.
st-purpose-item = { $purpose } ({ $bases })
st-basis-short-consent = persetujuan Anda
st-basis-short-contract = kontrak kami
st-basis-short-legal-obligation = kewajiban hukum
st-basis-short-vital-interests = kepentingan vital
st-basis-short-public-task = tugas demi kepentingan umum
st-basis-short-legitimate-interest = kepentingan yang sah kami

## 5. Data

st-data-heading = Jenis { $personal-data } yang kami kumpulkan
st-data-intro = Data yang kami kumpulkan bergantung pada cara Anda berinteraksi dengan kami.
st-data-customers-heading = Pelanggan, prospek, dan pengunjung situs web
st-data-with-parts = { $category }: { $parts }
st-data-end-users-heading = Orang-orang yang berkomunikasi dengan pelanggan kami
st-data-end-users-intro = Apabila pelanggan menggunakan salah satu layanan kami untuk menjangkau orang-orang, kami memproses data berikut dari orang-orang tersebut atas nama pelanggan.
st-data-optional = { $held }; secara opsional juga { $optional }
st-col-product = Layanan
st-col-end-user-data = Data orang yang dijangkau
st-define-traffic-data = Data lalu lintas adalah data yang diproses untuk menyalurkan pesan atau panggilan melalui jaringan atau untuk menagihnya, seperti nomor atau alamat yang terlibat, waktu, durasi, dan rutenya.
st-define-location-data = Data lokasi adalah data yang diproses dalam jaringan dan menunjukkan keberadaan perangkat pengguna, seperti sel atau jaringan yang menyalurkan suatu pesan.

## 6. Sumber

st-sources-heading = Dari mana data berasal
st-sources-intro = Kami menerima { $personal-data } dari sumber-sumber berikut:
st-source-with-providers = { $source } (misalnya { $providers })

## 7. Pembagian data

st-sharing-heading = Pihak yang menerima { $personal-data } dari kami
st-sharing-intro = Kami hanya membagikan { $personal-data } kepada penerima dari { $count } kategori berikut, dan hanya sejauh yang diperlukan oleh masing-masing penerima:
st-sharing-psps = Pembayaran ditangani oleh { $psps }, yang menentukan sendiri cara mereka menggunakan data pembayaran tersebut.
st-sharing-affiliates = Afiliasi kami menerima { $personal-data } hanya untuk menyediakan atau mendukung layanan yang Anda gunakan, dengan standar yang sama seperti dalam pernyataan ini.
st-sharing-no-sale = Kami tidak menjual, menyewakan, atau dengan cara lain menyerahkan { $personal-data } dengan imbalan uang atau apa pun yang bernilai.
st-gov-heading = Permintaan dari otoritas publik
st-gov-intro = Kami mengungkapkan { $personal-data } kepada otoritas publik hanya apabila hukum mewajibkan kami untuk melakukannya.
st-gov-tests = Kami hanya mempertimbangkan suatu permintaan apabila { $count } syarat berikut terpenuhi:
st-gov-test-authority = Permintaan tersebut berasal dari otoritas pemerintah.
st-gov-test-jurisdiction = Permintaan tersebut diterbitkan di yurisdiksi yang hukumnya berlaku bagi kami.
st-gov-test-instrument = Permintaan tersebut berbentuk instrumen hukum yang dapat ditegakkan, seperti surat panggilan, surat perintah, atau perintah pengadilan.
st-gov-test-scope = Permintaan tersebut menyebutkan kategori data yang diminta dan jangka waktu tertentu.
st-gov-test-obligation = Kami diwajibkan secara hukum untuk memenuhinya.
st-gov-notify = Kami memberi tahu pelanggan yang bersangkutan tentang permintaan tersebut, kecuali jika hukum secara tegas melarangnya.
st-gov-gag = Otoritas yang melarang kami memberi tahu pelanggan wajib menyebutkan dasar hukum larangan tersebut.
st-gov-push-back = Apabila terdapat dasar hukum yang wajar untuk menentang suatu permintaan, kami menentangnya.

## 8. Transfer internasional

st-transfers-heading = Transfer ke luar Kawasan Ekonomi Eropa
st-transfers-intro = Beberapa penyedia layanan kami memproses { $personal-data } di luar Kawasan Ekonomi Eropa. Setiap transfer tersebut didasarkan pada salah satu pengamanan berikut:
st-transfer-adequacy = Keputusan Komisi Eropa bahwa negara tujuan melindungi { $personal-data } secara memadai.
st-transfer-scc = Klausul kontrak standar yang ditetapkan oleh Komisi Eropa.
st-transfer-bcr = Aturan korporat mengikat yang disetujui oleh otoritas pelindungan data.
st-transfer-dpf = Sertifikasi penerima berdasarkan Kerangka Privasi Data UE–AS (EU–U.S. Data Privacy Framework).
st-transfers-assessment = Sebelum melakukan transfer tersebut, kami menilai hukum dan praktik di negara tujuan, dan kami menambahkan langkah-langkah teknis dan organisasional apabila hasil penilaian menunjukkan bahwa langkah-langkah tersebut diperlukan.

## 9. Keamanan

st-security-heading = Cara kami melindungi { $personal-data }
st-security-intro = Kami melindungi { $personal-data } dengan langkah-langkah teknis dan organisasional, antara lain:
st-security-certifications = Sistem manajemen keamanan kami telah memperoleh sertifikasi { $certifications }.
st-security-report = Jika Anda menduga bahwa kredensial login Anda dicuri atau disalahgunakan, segera kirimkan email ke { $email } dengan subjek '{ $subject }'.

## 10. Retensi

st-retention-heading = Berapa lama kami menyimpan { $personal-data }
st-retention-intro = Kami tidak menyimpan { $personal-data } lebih lama daripada yang diperlukan untuk tujuannya atau yang diwajibkan oleh hukum:
st-col-data = Data
st-col-kept = Lama penyimpanan
st-retention-period-from = { $period } sejak { $from }.
st-from-collection = saat kami mengumpulkannya
st-from-last-interaction = interaksi terakhir Anda dengan kami
st-from-contract-end = berakhirnya kontrak
st-from-request-closed = ditutupnya permintaan
st-from-consent-event = saat persetujuan diberikan atau ditarik
st-from-tracking-ends = berakhirnya pelacakan
st-from-cookie-lifespan = saat cookie dipasang
st-until-collection = Dihapus segera setelah dikumpulkan.
st-until-last-interaction = Hingga interaksi terakhir Anda dengan kami.
st-until-contract-end = Selama kontrak berjalan.
st-until-request-closed = Hingga permintaan ditutup.
st-until-consent-event = Hingga persetujuan ditarik.
st-until-tracking-ends = Hingga pelacakan berakhir.
st-until-cookie-lifespan = Selama masa berlaku masing-masing cookie, sebagaimana tercantum dalam tabel cookie.
st-retention-max = Apabila diwajibkan oleh hukum negara tempat perusahaan pihak kontrak atau jaringan penerima berada, hingga { $max }.
st-retention-customer-setting = Pelanggan dapat menetapkan jangka waktu lain antara { $min } dan { $max }.
st-retention-existing-customers = Untuk pelanggan yang sudah ada, selama kami menyediakan layanan.
st-retention-ends-early = Penyimpanan langsung berakhir saat Anda menarik persetujuan atau berhenti berlangganan.
st-retention-after = Setelah suatu jangka waktu berakhir, kami menghapus data tersebut atau hanya menyimpannya dalam bentuk yang tidak lagi dapat mengidentifikasi siapa pun, untuk keperluan pengarsipan dan statistik.

## 11. Hak

st-rights-heading = Hak Anda
st-rights-intro = Anda berhak untuk:
st-rights-how-heading = Cara menggunakan hak Anda
st-rights-channel-account-holders = Pemegang akun { $brands }: { $channel }.
st-rights-channel-others = Semua pihak lainnya: { $channel }, { $address }.
st-rights-deadline = Kami memberikan jawaban dalam waktu { $deadline } sejak menerima permintaan Anda.
st-rights-extension = Jika suatu permintaan bersifat kompleks atau kami menerima banyak permintaan, kami dapat memerlukan waktu lebih lama, tetapi secara keseluruhan tidak lebih dari { $extended } sejak hari kami menerima permintaan tersebut; apabila kami memerlukan waktu tambahan, kami memberi tahu Anda beserta alasannya dalam jangka waktu pertama.
st-rights-fee = Kami dapat mengenakan biaya paling banyak { $amount }.
st-rights-free = Penggunaan hak Anda tidak dikenai biaya.
st-rights-verify = Sebelum menindaklanjuti suatu permintaan, kami memastikan bahwa permintaan tersebut berasal dari orang yang bersangkutan, sehingga tidak ada orang lain yang memperoleh akses ke data Anda.
st-rights-complaint = Jika Anda tidak puas dengan jawaban kami, Anda dapat mengajukan pengaduan kepada { $authority }, atau kepada otoritas pelindungan data di negara tempat Anda tinggal atau bekerja, atau di negara tempat Anda meyakini hak Anda telah dilanggar.
st-rights-complaint-any = Jika Anda tidak puas dengan jawaban kami, Anda dapat mengajukan keluhan kepada otoritas pelindungan data di negara tempat Anda tinggal atau bekerja, atau tempat Anda menganggap hak Anda dilanggar.
st-attention = u.p. { $department }

## 12. Cookie

st-cookies-heading = Cookie dan teknologi serupa
st-cookies-intro = Situs web kami menggunakan cookie. Saat Anda pertama kali berkunjung, kami menanyakan cookie mana yang Anda terima; cookie yang sangat diperlukan selalu aktif, sedangkan semua jenis lainnya nonaktif hingga Anda mengaktifkannya. Anda dapat menolak semuanya semudah Anda menerimanya, dan mengubah pilihan Anda kapan saja.
st-cookie-category = { $consent }: { $category }
st-consent-always-on = Selalu aktif
st-consent-opt-in = Hanya dengan persetujuan Anda
st-consent-opt-out = Aktif kecuali Anda menonaktifkannya
st-consent-blocked = Diblokir
st-cookie-category-name-strictly-necessary = Sangat diperlukan
st-cookie-category-name-functional = Fungsional
st-cookie-category-name-performance = Kinerja
st-cookie-category-name-marketing = Pemasaran
st-cookie-category-name-unclassified = Belum diklasifikasikan
st-cookies-inventory = Berikut adalah cookie yang kami gunakan, beserta lama penyimpanan masing-masing:
st-col-cookie = Cookie
st-col-provider = Dipasang oleh
st-col-category = Kategori
st-col-party = Pihak pertama atau ketiga
st-col-lifespan = Disimpan selama
st-col-purpose = Tujuan
st-party-first = pihak pertama
st-party-third = pihak ketiga
st-party-both = pihak pertama dan ketiga
st-lifespan-session = hingga Anda menutup peramban
st-lifespan-while-tracked = selama alat tersebut melacak kunjungan Anda
st-cookies-choices = Anda juga dapat memblokir atau menghapus cookie melalui pengaturan peramban Anda:
st-browser-chrome = Google Chrome: Setelan, Privasi dan keamanan, Cookie pihak ketiga
st-browser-firefox = Mozilla Firefox: Pengaturan, Privasi & Keamanan, Cookie dan data situs (di menu berbahasa Indonesia: Kuki dan Data Situs)
st-browser-safari = Safari: Pengaturan, Privasi, Kelola Data Situs Web
st-browser-edge = Microsoft Edge: Pengaturan, Cookie dan izin situs

## 13. Anak-anak

st-children-heading = Anak-anak
st-children-age = Layanan kami tidak ditujukan untuk anak-anak di bawah usia { $age } tahun, dan kami tidak dengan sengaja mengumpulkan data tentang mereka. Apabila kami mengetahui bahwa kami menyimpan data seorang anak tanpa persetujuan orang tua atau walinya, kami menghapus data tersebut sesegera mungkin.
st-children-report = Jika Anda meyakini bahwa kami menyimpan data seorang anak, kirimkan email ke { $email } dengan subjek '{ $subject }'.

## 14. Tautan

st-links-heading = Tautan ke situs web lain
st-links-body = Situs web dan pesan kami dapat memuat tautan ke situs web yang tidak kami miliki atau kendalikan. Pernyataan ini tidak berlaku untuk situs web tersebut; bacalah pernyataan privasi setiap situs web yang Anda kunjungi.

## Singapura dan California

st-pdpa-heading = Jika Anda berada di Singapura
st-pdpa-body = Berdasarkan Undang-Undang Pelindungan Data Pribadi 2012 Singapura, istilah dalam pernyataan ini dibaca sebagai berikut:
st-ccpa-heading = Jika Anda penduduk California
st-ccpa-body = Berdasarkan Undang-Undang Privasi Konsumen California, istilah dalam pernyataan ini dibaca sebagai berikut:
st-ccpa-categories = Dalam dua belas bulan terakhir, kami mengumpulkan kategori { $personal-data } berikut, untuk tujuan dan dari sumber yang diuraikan di atas:
st-ccpa-no-sale = Kami tidak menjual atau membagikan { $personal-data } menurut pengertian kedua istilah tersebut dalam Undang-Undang itu, dan kami tidak melakukannya dalam dua belas bulan terakhir.
st-ccpa-non-discrimination = Kami tidak akan memperlakukan Anda secara berbeda karena Anda menggunakan hak Anda: Anda tidak akan ditolak untuk mendapatkan layanan, dikenai harga yang berbeda, atau ditawari kualitas yang berbeda karena telah menggunakan hak tersebut.
st-term-means = "{ $ours }" berarti "{ $theirs }".

## 15. Perubahan

st-changes-heading = Perubahan atas pernyataan ini
st-changes-email = Apabila kami mengubah pernyataan ini dengan cara yang secara substansial memengaruhi hak Anda, kami memberi tahu Anda melalui email jika memungkinkan, sebelum perubahan tersebut berlaku.
st-changes-where-possible = Apabila kami mengubah pernyataan ini dengan cara yang secara substansial memengaruhi hak Anda, kami memberi tahu Anda jika memungkinkan, sebelum perubahan tersebut berlaku. Jika Anda tidak menyetujui suatu perubahan, Anda dapat berhenti menggunakan layanan kami.
st-changes-publication = Kami dapat mengubah pernyataan ini; tanggal di bagian atas menunjukkan kapan pernyataan ini terakhir diubah.
st-changes-notice-period = Kami mengumumkan perubahan semacam itu paling lambat { $days } hari sebelum perubahan tersebut berlaku.
st-changes-versions = Setiap versi sebelumnya dari pernyataan ini tetap tersedia, beserta ringkasan perubahannya.

## 16. Sengketa

st-disputes-heading = Sengketa
st-disputes-body = Jika Anda memiliki sengketa dengan kami mengenai cara kami menangani { $personal-data }, kirimkan email kepada tim hukum kami di { $email } dengan subjek '{ $subject }'. Jika sengketa tersebut tidak dapat diselesaikan bersama melalui email, klausul penyelesaian sengketa dalam Ketentuan kami berlaku.

## 17. Subprosesor

st-subprocessors-heading = Subprosesor kami
st-subprocessors-intro = Penyedia layanan berikut memproses { $personal-data } atas nama kami, berdasarkan kontrak yang mengikat mereka pada instruksi kami dan pada tingkat pelindungan yang sama:
st-col-name = Nama
st-col-service = Layanan bagi kami
st-col-country = Negara
st-col-transfer = Pengamanan untuk transfer
st-transfer-short-adequacy = keputusan kecukupan
st-transfer-short-scc = klausul kontrak standar
st-transfer-short-bcr = aturan korporat mengikat
st-transfer-short-dpf = Kerangka Privasi Data
st-transfer-none = tidak diperlukan (di dalam Kawasan Ekonomi Eropa)
st-subprocessors-subscribe = Anda dapat berlangganan untuk diberi tahu melalui email sebelum kami menambahkan atau mengganti subprosesor, dan mengajukan keberatan atas perubahan tersebut.

## 18. Kontak

st-contact-heading = Cara menghubungi kami
st-contact-intro = Untuk segala hal terkait { $personal-data }:
st-contact-item = { $contact }: { $email }
st-contact-post = Melalui pos: { $address }.
st-contact-local = Kami juga memiliki alamat lokal di { $countries }.

## Negara

st-country-au = Australia
st-country-ca = Kanada
st-country-cn = Tiongkok
st-country-co = Kolombia
st-country-de = Jerman
st-country-gb = Britania Raya
st-country-ie = Irlandia
st-country-mt = Malta
st-country-nl = Belanda
st-country-sg = Singapura
st-country-us = Amerika Serikat

## Jangka waktu, tanggal, dan daftar

st-period-none = 0 hari
st-period-years = { $n } tahun
st-period-months = { $n } bulan
st-period-weeks = { $n } minggu
st-period-days = { $n } hari
st-month-1 = Januari
st-month-2 = Februari
st-month-3 = Maret
st-month-4 = April
st-month-5 = Mei
st-month-6 = Juni
st-month-7 = Juli
st-month-8 = Agustus
st-month-9 = September
st-month-10 = Oktober
st-month-11 = November
st-month-12 = Desember
st-date = { $day } { $month } { $year }
st-list = { $init } dan { $last }
st-list-separator = {", "}
st-sentence-separator = {" "}
st-address-separator = {", "}
