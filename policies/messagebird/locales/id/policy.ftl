# Pesan bahasa Indonesia untuk kebijakan MessageBird, diterjemahkan dari lokal sumber (en).
# Satu pesan per id item, digunakan bersama oleh setiap versi yang mendeklarasikan item tersebut. Nama merek,
# produk, vendor, dan undang-undang, jangka waktu, alamat, serta subjek email disimpan dalam berkas kebijakan
# dan tidak diulang di sini.

## Subjek data

subject-customer = Pelanggan dan calon pelanggan, sebagai pemegang akun yang bertindak atas nama perusahaannya
subject-end-user = Pengguna akhir: orang-orang yang berkomunikasi dengan pelanggan kami melalui layanan kami
subject-website-visitor = Pengunjung situs web kami
subject-lead = Prospek: orang-orang di perusahaan yang mungkin menjadi pelanggan
subject-colleague = Rekan kerja pelanggan yang membagikan atau mengelola rincian atas nama pelanggan
subject-support-caller = Orang-orang yang menelepon tim dukungan pelanggan kami
subject-event-attendee = Orang-orang yang menghadiri acara kami
subject-cardholder = Pemegang kartu dan rekening yang digunakan untuk melakukan pembayaran kepada kami
subject-customer-agent = Agen pelanggan yang menangani percakapan di kotak masuk milik pelanggan
subject-guest = Tamu yang diundang ke rapat video

## Kategori data: pelanggan, prospek, dan pengunjung

data-personal-identifiers = Pengidentifikasi pribadi
data-name = Nama
data-business-address = Alamat bisnis
data-gender = Jenis kelamin
data-signature = Tanda tangan
data-professional-information = Informasi pekerjaan dan profesional
data-job-title = Jabatan dan peran
data-employer = Perusahaan tempat seseorang bekerja
data-company-details = Rincian perusahaan seperti nama, deskripsi, situs web, perkiraan pendapatan, jumlah karyawan, dan industri
data-seniority = Tingkat senioritas
data-linkedin-profile = Profil LinkedIn
data-financial-information = Informasi keuangan
data-billing-details = Rincian penagihan: nama penagihan, alamat penagihan, dan metode pembayaran pilihan
data-bank-details = Rincian rekening bank
data-card-details = Rincian kartu pembayaran
data-invoices = Faktur
data-commercial-information = Informasi komersial
data-product-interest = Minat terhadap produk kami
data-service-usage = Penggunaan layanan, platform, dasbor akun, dan situs web kami
data-activity-data = Data kontak, aktivitas, dan peristiwa yang diterima melalui konektor
data-internet-activity = Informasi aktivitas internet
data-device-information = Informasi perangkat dan peramban, termasuk pengaturan bahasa dan zona waktu
data-browsing-activity = Aktivitas penjelajahan: halaman yang dikunjungi beserta urutannya, pencarian, durasi kunjungan, interaksi dengan halaman, dan kesalahan
data-cookie-data = Data yang dikumpulkan melalui cookie, piksel, dan teknologi serupa
data-cookie-preferences = Preferensi cookie
data-location-information = Informasi terkait lokasi
data-location-data = Data terkait lokasi, yang dapat mengungkapkan keberadaan operator jaringan atau perangkat komunikasi
data-support-interactions = Informasi interaksi dukungan
data-support-call-recording = Rekaman panggilan dengan tim dukungan pelanggan kami
data-credentials = Kredensial login: nama pengguna dan kata sandi
data-phone-number = Nomor telepon
data-email-address = Alamat email
data-ip-address = Alamat IP
data-customer-account-data = Informasi akun pelanggan dan calon pelanggan
data-account-id = ID akun yang diberikan untuk akun pelanggan
data-enquiry-content = Isi pertanyaan yang dikirim melalui formulir kami
data-api-token = Token autentikasi yang mengidentifikasi permintaan API pelanggan
data-api-commands = Perintah yang dikirim ke API kami, beserta alamat IP, informasi penggunaan, dan informasi perutean
data-campaign-details = Tujuan kampanye dan contoh pesan, yang diperlukan untuk pendaftaran di negara tertentu
data-website-visitor-data = Informasi pengunjung situs web
data-account-information = Informasi pribadi dan informasi akun pengguna
data-order-records = Catatan pesanan
data-membership-records = Catatan keanggotaan
data-visit-location = Negara dan kota asal kunjungan situs web

## Kategori data: pengguna akhir

data-end-user-data = Data pengguna akhir
data-channel-id = Pengidentifikasi yang diberikan oleh saluran perpesanan kepada seseorang
data-traffic-data = Data lalu lintas yang diperlukan untuk mentransmisikan komunikasi
data-communication-content = Isi komunikasi
data-recordings = Rekaman panggilan
data-preferred-channel = Saluran komunikasi pilihan
data-channel-data = Data khusus suatu layanan atau saluran
data-demographic-data = Data demografis dan segmen yang diberikan oleh pelanggan
data-customer-agent-data = Data tentang agen pelanggan yang menggunakan kotak masuk
data-meeting-information = Informasi rapat
data-meeting-date = Tanggal rapat
data-meeting-description = Deskripsi rapat
data-meeting-review = Ulasan rapat
data-meeting-wrap-up = Catatan penutup rapat
data-meeting-recording = Rekaman audio atau video rapat

## Kategori data: catatan kepatuhan

data-consent-proof = Bukti bahwa persetujuan telah diberikan
data-withdrawal-proof = Bukti bahwa persetujuan telah ditarik
data-request-confirmation = Email konfirmasi atas permintaan pelindungan data

## Produk dan layanan

product-sms = Pesan teks yang dikirim ke dan diterima dari ponsel
product-voice = Panggilan telepon yang dilakukan dan diterima melalui platform kami, dengan perekaman panggilan opsional
product-email = Pengiriman dan penyampaian email bagi pelanggan, dengan pelacakan email yang dibuka dan tautan yang diklik
product-numbers = Nomor telepon, kode singkat, dan API Numbers, yang digunakan bersama layanan lainnya
product-inbox = Kotak masuk bersama tempat agen pelanggan menangani percakapan lintas saluran
product-flow-builder = Alat untuk membangun alur komunikasi otomatis
product-video = Rapat video antara pelanggan dan tamunya
product-omnichannel-widget = Widget situs web tempat pengguna akhir memulai percakapan melalui saluran pilihan mereka
product-conversations = Percakapan di saluran perpesanan dan jejaring sosial
product-push-notifications = Saluran waktu nyata dan notifikasi push ke aplikasi dan peramban
product-cdp = Platform data pelanggan yang membangun profil kontak pelanggan
product-contacts = Buku alamat daring berisi kontak pelanggan
product-transmission-history = Wawasan tentang penggunaan komunikasi dan riwayat transmisi pelanggan
product-customer-account = Akun yang digunakan pelanggan untuk mengakses layanan kami
product-financial-records = Catatan pembayaran, penagihan, dan faktur pelanggan
product-leads = Informasi tentang calon pelanggan dan minat mereka terhadap layanan kami
product-website-visitors = Informasi tentang kunjungan ke situs web kami
product-support-interactions = Panggilan dan kontak dengan tim dukungan pelanggan kami

## Dasar hukum

basis-consent = Persetujuan yang Anda berikan secara eksplisit, misalnya dengan mencentang kotak sebelum mengunduh materi produk
basis-contract = Pelaksanaan kontrak, termasuk negosiasi dan penandatanganannya sebelum layanan dimulai
basis-legal-obligation = Pemenuhan kewajiban hukum kami, seperti mencegah penyalahgunaan layanan kami, bekerja sama dalam permintaan pengungkapan resmi, serta menyimpan catatan akun dan keuangan
basis-legitimate-interest = Kepentingan yang sah kami, misalnya pemasaran langsung kepada pelanggan yang sudah ada yang dapat memilih untuk berhenti menerimanya, atau memberi Anda informasi terbaru tentang layanan kami

## Tujuan

purpose-promote-services = Untuk memasarkan layanan kami, dengan menghormati pilihan pemasaran yang telah Anda tetapkan
purpose-product-information = Untuk memberi tahu Anda tentang produk dan layanan kami apabila relevan bagi Anda
purpose-create-account = Untuk membuat akun bagi Anda dan perusahaan tempat Anda bekerja
purpose-verify-identity = Untuk memastikan identitas Anda
purpose-provide-services = Untuk menyediakan layanan kami dan memberikan akses ke layanan tersebut
purpose-finance-billing = Untuk menangani keuangan dan penagihan
purpose-financial-obligations = Untuk memenuhi kewajiban keuangan kami, seperti membayar pajak dan memastikan faktur dibayar
purpose-customer-support = Untuk membantu pelanggan dan calon pelanggan serta memberi mereka informasi terbaru tentang akun mereka
purpose-analyze-usage = Untuk menganalisis cara produk dan layanan kami digunakan
purpose-transmission = Untuk menyampaikan komunikasi, menentukan prioritas dan perutean komunikasi tersebut, serta mengoptimalkan infrastruktur kami
purpose-enforce-terms = Untuk memastikan Ketentuan Layanan kami dan hukum dipatuhi
purpose-account-security = Untuk melindungi situs web kami dan akun Anda dari ancaman keamanan
purpose-fraud-prevention = Untuk mendeteksi, menghentikan, dan mencegah penipuan serta aktivitas melanggar hukum lainnya
purpose-protect-rights = Untuk melindungi hak, properti, dan keselamatan kami, serta milik pelanggan kami dan pihak ketiga
purpose-legal-requirements = Untuk mematuhi hukum, termasuk perintah pengadilan, surat panggilan, dan permintaan mengikat lainnya
purpose-surveys = Untuk menyelenggarakan kuesioner dan survei yang membantu kami meningkatkan layanan kami; partisipasi selalu bersifat sukarela
purpose-training-quality = Untuk melatih staf kami dan meningkatkan kualitas pekerjaan kami
purpose-improve-services = Untuk meningkatkan produk dan layanan kami serta mengembangkan fitur baru
purpose-personalisation = Untuk menyesuaikan layanan kami dengan Anda dan menyarankan hal yang mungkin cocok bagi Anda
purpose-crm-records = Untuk menjaga catatan hubungan pelanggan kami tetap mutakhir, lengkap, dan teranalisis
purpose-lead-enrichment = Untuk memperkaya profil prospek dan pelanggan dengan informasi bisnis, sehingga kami hanya menghubungi prospek dan pelanggan yang relevan
purpose-country-registration = Untuk meminta izin yang diwajibkan oleh beberapa negara sebelum pesan dapat dikirim ke negara tersebut, dan membagikan rincian yang diperlukan kepada otoritasnya
purpose-targeted-advertising = Untuk menampilkan iklan yang relevan melalui platform periklanan
purpose-website-analytics = Untuk mengukur cara situs web kami digunakan dan menyempurnakannya
purpose-website-operation = Untuk membuat situs web kami berfungsi dan mengingat pilihan Anda
purpose-saved-payment-methods = Untuk menyimpan metode pembayaran agar dapat digunakan kemudian, atas permintaan Anda
purpose-auto-recharge = Untuk mengisi ulang saldo Anda secara otomatis ketika saldo turun di bawah batas yang Anda tetapkan
purpose-connectors = Untuk menjalankan konektor yang menghubungkan layanan kami dengan layanan pihak ketiga pilihan Anda, dan hanya untuk keperluan tersebut
purpose-consent-records = Untuk membuktikan keputusan persetujuan yang telah diambil oleh orang-orang
purpose-rights-requests = Untuk menangani permintaan pelindungan data dan membuktikan bahwa permintaan tersebut telah dipenuhi
purpose-administer-orders = Untuk mengelola pesanan dan akun pelanggan
purpose-membership-records = Untuk menyimpan catatan keanggotaan

## Sumber

source-direct = Anda, saat Anda mengisi formulir, mendaftar, menghubungi kami, menghadiri acara, atau menggunakan layanan kami
source-customer-supplied = Pelanggan kami, yang mengirimkan data pengguna akhir mereka kepada kami untuk menggunakan layanan kami
source-business-information = Pihak ketiga yang menyediakan informasi bisnis
source-social-media = Penyedia media sosial, bergantung pada pengaturan privasi orang yang bersangkutan
source-connectors = Layanan pihak ketiga yang terhubung ke platform kami melalui konektor
source-colleagues = Rekan kerja orang yang bersangkutan
source-automatic = Dikumpulkan secara otomatis oleh cookie, piksel, web beacon, dan log server
source-enrichment = Penyedia pengayaan data yang membangun profil bisnis melalui proses otomatis
source-public-sources = Sumber yang tersedia untuk umum
source-linked-account = Akun pihak ketiga yang Anda tautkan saat mendaftar, yang membagikan profil dasar Anda

## Penerima

recipient-telecom = Operator telekomunikasi, agregator, operator jaringan, dan penyedia komunikasi lainnya yang merutekan pesan dan panggilan
recipient-service-providers = Penyedia layanan dan teknologi yang bekerja atas nama kami, seperti penyedia hosting, analitik, ilmu data, dan pencegahan penipuan
recipient-psps = Penyedia layanan pembayaran, yang menangani pembayaran sebagai pengendali data secara mandiri
recipient-affiliates = Perusahaan dalam grup kami
recipient-authorities = Otoritas pemerintah, apabila diwajibkan oleh hukum

## Prosesor data: layanan yang disediakan masing-masing

processor-adyen = Penyedia layanan pembayaran
processor-atlassian = Kolaborasi, pengembangan perangkat lunak, dan pelacakan masalah
processor-autopilot = Otomatisasi pemasaran
processor-claranet = Hosting
processor-clearbit = Layanan pertumbuhan: informasi bisnis yang memperkaya profil prospek dan pelanggan
processor-cloudapp = Perekaman layar
processor-docusign = Tanda tangan elektronik
processor-exact-online = Akuntansi dan keuangan
processor-google-cloud-platform = Hosting cloud
processor-google-g-suite = Layanan tempat kerja berbasis cloud
processor-hotjar = Analisis perilaku
processor-interswitch = Pusat panggilan limpahan untuk dukungan pelanggan
processor-linkedin = Solusi rekrutmen dan penjualan
processor-looker = Intelijen bisnis dan analitik
processor-mailchimp = Otomatisasi email
processor-netsuite = Perangkat lunak keuangan
processor-salesforce = Manajemen hubungan pelanggan
processor-segment = Integrasi dan analitik data
processor-sift-science = Pencegahan dan deteksi penipuan
processor-sparkpost = Pengiriman email
processor-split-io = Platform peluncuran fitur
processor-springcm = Manajemen kontrak
processor-stripe = Penyedia layanan pembayaran
processor-thrive-digital = Otomatisasi pemasaran
processor-tray-io = Layanan pertumbuhan: integrasi dan otomatisasi
processor-unit4-multivers = Akuntansi dan keuangan
processor-workramp = Manajemen pembelajaran
processor-zapier = Otomatisasi alur kerja
processor-zendesk = Dukungan pelanggan

## Kolom pembayaran yang disimpan untuk metode pembayaran tersimpan

payment-field-card-last-four = Empat digit terakhir nomor kartu
payment-field-card-expiry = Tanggal kedaluwarsa kartu
payment-field-cardholder-name = Nama pemegang kartu
payment-field-iban-bic = IBAN dan BIC
payment-field-account-name = Nama pemegang rekening
payment-field-paypal-email = Alamat email akun PayPal

## Retensi: cakupan dan alasan setiap aturan

retention-sms-voice = Lalu lintas SMS dan Voice, disimpan untuk menjaga keamanan layanan kami dan mencegah penyalahgunaan, untuk mentransmisikan pesan, serta untuk membantu otoritas menanggapi permintaan resmi; beberapa yurisdiksi mewajibkan masa retensi yang lebih lama
retention-communications = Data layanan komunikasi kami, seperti nomor telepon sewaan, alamat email, informasi lokasi, dan isi pesan, disimpan untuk mencegah penyalahgunaan dan untuk menanggapi permintaan resmi dalam penyidikan pidana; beberapa wilayah mewajibkan masa retensi yang lebih lama
retention-omnichannel = Data semua layanan komunikasi lainnya, disimpan selama kami menyediakan layanan tersebut, atau selama jangka waktu lain yang disepakati dengan pelanggan
retention-contacts-history = Kontak buku alamat dan riwayat komunikasi, disimpan selama kami menyediakan layanan tersebut
retention-marketing = Data pemasaran dan penjualan, disimpan kecuali persetujuan ditarik atau Anda berhenti berlangganan; data pelanggan yang sudah ada disimpan selama mereka menggunakan layanan kami
retention-lead-enrichment = Data prospek yang diperkaya, disimpan hanya selama diperlukan atau hingga Anda mengajukan keberatan; data pelanggan yang sudah ada disimpan selama mereka menggunakan layanan kami
retention-financial = Catatan akun dan keuangan, disimpan untuk membuktikan bahwa kami mematuhi hukum keuangan dan perpajakan nasional serta Uni Eropa
retention-consent-proof = Bukti keputusan persetujuan, disimpan untuk membuktikan keputusan tersebut
retention-request-confirmations = Email konfirmasi atas permintaan pelindungan data, disimpan untuk membuktikan bahwa permintaan tersebut telah dipenuhi
retention-cookies = Data yang dikumpulkan melalui cookie, disimpan selama masa berlaku masing-masing cookie
retention-tracking-data = Data analitik situs web, disimpan selama situs web dilacak dengan alat yang mengumpulkan data tersebut
retention-customer-account = Data akun pelanggan, disimpan selama Anda memiliki akun dan hingga sepuluh tahun setelahnya, untuk membuktikan bahwa kami mematuhi hukum keuangan dan perpajakan nasional serta Uni Eropa
retention-support-calls = Panggilan dukungan pelanggan, disimpan selama enam bulan untuk menangani pertanyaan dan keluhan tentang panggilan tersebut dan untuk melatih tim kami
retention-account-records = Catatan akun, pesanan, dan keanggotaan, disimpan selama Anda memiliki akun bersama kami

## Hak

right-access = Melihat data pribadi apa saja tentang Anda yang kami simpan dan mendapatkan salinannya
right-rectification = Meminta perbaikan data pribadi yang tidak benar
right-erasure = Meminta penghapusan data pribadi Anda, kecuali jika kami wajib menyimpannya berdasarkan hukum
right-restriction = Meminta pembatasan pemrosesan data pribadi Anda
right-portability = Menerima data pribadi Anda untuk memindahkannya ke tempat lain
right-objection = Mengajukan keberatan atas pemrosesan berdasarkan kepentingan yang sah kami, termasuk pemasaran langsung
right-withdraw-consent = Menarik persetujuan Anda kapan saja
right-cookie-settings = Mengubah pengaturan cookie Anda kapan saja

## Saluran permintaan

request-channel-privacy-dashboard = Fitur privasi di akun daring Anda
request-channel-data-request-api = API untuk permintaan pelindungan data dalam jumlah besar
request-channel-customer-email = Email dari pelanggan, yang tidak diterima: pelanggan harus menggunakan akun daring mereka atau API
request-channel-privacy-email = Email kepada tim privasi kami
request-channel-support-staff = Staf dukungan kami
request-channel-postal = Surat ke kantor pusat kami

## Kategori cookie

cookie-category-strictly-necessary = Cookie yang sangat diperlukan membuat situs web berfungsi, misalnya untuk menyimpan pilihan privasi Anda, menjaga Anda tetap login, atau mengirim formulir. Cookie ini tidak dapat dinonaktifkan.
cookie-category-functional = Cookie fungsional menambahkan fitur dan personalisasi, seperti menampilkan situs web dalam bahasa Anda. Tanpa cookie ini, beberapa fitur mungkin tidak berfungsi.
cookie-category-performance = Cookie kinerja menghitung kunjungan dan sumber lalu lintas serta menunjukkan cara pengunjung menjelajahi situs web, sehingga kami dapat menyempurnakannya. Datanya bersifat agregat.
cookie-category-marketing = Cookie pemasaran memungkinkan pihak periklanan mengenali peramban dan perangkat Anda. Cookie ini dapat mengidentifikasi Anda, baik secara tersendiri maupun bila digabungkan dengan data lain.
cookie-category-unclassified = Cookie yang belum diklasifikasikan masih dalam proses klasifikasi bersama penyedianya. Cookie ini diblokir hingga proses tersebut selesai.

## Cookie

cookie-consent-preferences = Mengingat pilihan cookie Anda
cookie-session = Menjaga Anda tetap login selama kunjungan
cookie-language = Mengingat bahasa pilihan Anda
cookie-google-ads = Mengukur hasil iklan kami
cookie-linkedin-insight = Mengukur hasil iklan kami dan memungkinkan kami menampilkan iklan kepada pengunjung
cookie-facebook-pixel = Mengukur hasil iklan kami dan memungkinkan kami menampilkan iklan kepada pengunjung
cookie-google-analytics = Mengukur kunjungan halaman, waktu yang dihabiskan, peramban yang digunakan, dan halaman keluar, secara anonim
cookie-optimizely = Menjalankan uji A/B untuk membandingkan versi situs web, tanpa mengidentifikasi pengunjung
cookie-crazy-egg = Membuat peta panas dan peta gulir serta membedakan pengunjung baru dari pengunjung yang kembali
cookie-vero = Melacak pengguna yang login dan mengidentifikasi diri dengan alamat email mereka

## Titik kontak

contact-privacy = Pejabat Pelindungan Data dan tim privasi kami, untuk pertanyaan, permintaan, keluhan, dan masukan
contact-security = Tim keamanan kami, untuk melaporkan kredensial login yang dicuri atau disalahgunakan
contact-support = Tim dukungan kami, juga untuk menghentikan kontak penjualan dan pemasaran
contact-account-manager = Manajer akun Anda, juga untuk menghentikan kontak penjualan dan pemasaran
contact-legal = Tim hukum kami, untuk sengketa mengenai praktik privasi kami

## Yurisdiksi

jurisdiction-gdpr = Peraturan Umum Pelindungan Data Uni Eropa
jurisdiction-pdpa = Undang-Undang Pelindungan Data Pribadi Singapura
jurisdiction-ccpa = Undang-Undang Privasi Konsumen California
jurisdiction-wbp = Undang-Undang Pelindungan Data Pribadi Belanda

## Istilah dan padanannya di yurisdiksi lain

term-personal-data = data pribadi
term-data-subject = subjek data
term-controller = pengendali data
term-processor = prosesor data
term-individual = individu
term-organisation = organisasi
term-data-intermediary = perantara data
term-personal-information = informasi pribadi
term-consumer = konsumen
term-business = pelaku usaha
term-service-provider = penyedia layanan

## Langkah-langkah keamanan

measure-security-screening = Pemeriksaan keamanan menyeluruh terhadap infrastruktur dan karyawan kami
measure-password = Pengamanan setiap akun dengan kata sandi
measure-optional-2fa = Autentikasi dua faktor untuk akun, apabila diaktifkan oleh pelanggan
measure-vendor-vetting = Pihak ketiga diperiksa dan terikat oleh langkah pengamanan kontraktual, teknis, dan organisasional sebelum menerima data
measure-login-location-monitoring = Lokasi login akun diperiksa untuk mendeteksi penipuan
measure-contact-verification = Alamat email dan nomor telepon diverifikasi saat akun dibuat
measure-api-authentication = Setiap integrasi API menggunakan token autentikasinya sendiri
measure-compliance-officer = Petugas kepatuhan internal
measure-compliance-officer-monitoring = Pengawasan terhadap petugas kepatuhan
measure-staff-2fa = Autentikasi dua faktor untuk sistem yang sensitif
measure-time-restricted-access = Akses ke sistem yang sensitif dengan batas waktu
measure-need-to-know = Akses hanya diberikan berdasarkan kebutuhan untuk mengetahui
measure-four-eyes = Prinsip empat mata untuk operasi bisnis yang kritis
measure-logging-monitoring = Pencatatan log dan pemantauan internal serta eksternal yang terperinci
measure-outsourcing-confidentiality = Kebijakan alih daya dengan perjanjian kerahasiaan
measure-data-retention-policy = Kebijakan retensi data
measure-external-screening = Pemeriksaan latar belakang karyawan oleh pihak eksternal sebelum perekrutan
measure-vog-certificate = Karyawan wajib memiliki Surat Keterangan Berkelakuan Baik Belanda (VOG)
