# Teks persetujuan: kata-kata yang dilihat seseorang saat dimintai persetujuan, serta banner cookie.
# Catatan persetujuan menyimpan hash dari teks persis yang ditampilkan, sehingga setiap perubahan di sini
# merupakan versi teks baru: batasi setiap pesan pada hal yang dimintanya, dengan kata-kata yang sederhana.

## Persetujuan untuk suatu tujuan (satu pesan per tujuan yang berdasar pada persetujuan: `consent-<purpose>`)

consent-promote-services = Ya, kirimkan kepada saya berita dan penawaran tentang produk dan acara MessageBird melalui email. Saya dapat berhenti berlangganan kapan saja melalui tautan di setiap email.
consent-product-information = Ya, kirimkan kepada saya informasi produk yang saya minta, dan hubungi saya melalui email untuk menindaklanjutinya. Saya dapat berhenti berlangganan kapan saja.
consent-surveys = Ya, undang saya untuk mengikuti survei tentang layanan MessageBird. Partisipasi selalu bersifat sukarela.
consent-targeted-advertising = Ya, MessageBird dan mitra periklanannya boleh menggunakan cookie dan teknologi serupa untuk menampilkan iklan yang sesuai dengan minat saya.
consent-website-analytics = Ya, MessageBird boleh mengukur cara saya menggunakan situs webnya untuk menyempurnakannya.
consent-saved-payment-methods = Simpan metode pembayaran ini untuk pembayaran saya berikutnya. Hanya rincian yang diperlukan untuk mengenalinya yang disimpan, dan saya dapat menghapusnya kapan saja di pengaturan keuangan saya.
consent-auto-recharge = Isi ulang saldo saya secara otomatis ketika saldo turun di bawah jumlah yang saya tetapkan. Saya dapat menonaktifkannya kapan saja di pengaturan keuangan saya.

## Banner cookie: lapisan pertama

banner-title = Pilihan cookie Anda
banner-intro = Kami menggunakan cookie yang sangat diperlukan untuk menjalankan situs web ini. Cookie fungsional, kinerja, dan pemasaran hanya digunakan jika Anda menerimanya. Tidak ada hal lain yang dipasang sebelum Anda memilih, dan Anda dapat mengubah pilihan Anda kapan saja melalui Pengaturan cookie.
banner-accept-all = Terima semua
banner-reject-all = Tolak semua
banner-adjust = Atur pilihan
banner-remove = Hapus data saya
banner-gpc = Peramban Anda mengirimkan sinyal Global Privacy Control: cookie pemasaran tetap nonaktif kecuali Anda sendiri yang mengaktifkannya.
banner-removed = Pilihan cookie Anda dan data yang kami simpan tentang peramban ini telah dihapus.
banner-notice-link = Baca pemberitahuan cookie
banner-open = Pengaturan cookie

## Banner cookie: lapisan kedua

banner-settings-title = Pengaturan cookie
banner-settings-intro = Pilih jenis cookie yang boleh kami gunakan. Di bawah setiap jenis, Anda dapat membaca arti menerima jenis tersebut dan cookie apa saja yang tercakup di dalamnya. Cookie yang sangat diperlukan selalu aktif; cookie yang belum kami klasifikasikan tetap diblokir.
banner-save = Simpan pilihan saya
banner-back = Kembali
banner-always-on = Selalu aktif
banner-blocked = Diblokir hingga diklasifikasikan
banner-name-strictly-necessary = Sangat diperlukan
banner-name-functional = Fungsional
banner-name-performance = Kinerja
banner-name-marketing = Pemasaran
banner-name-unclassified = Belum diklasifikasikan
banner-no-cookies = Tidak ada cookie jenis ini yang digunakan.
banner-browser-help = Anda juga dapat memblokir atau menghapus cookie melalui pengaturan peramban Anda.

## Tabel cookie

banner-table-cookie = Cookie
banner-table-provider = Penyedia
banner-table-party = Dipasang oleh
banner-table-lifespan = Masa berlaku
banner-table-hosted = Data disimpan di
banner-table-purpose = Tujuan
banner-party-first = Situs web ini
banner-party-third = Pihak ketiga
banner-party-both = Situs web ini dan pihak ketiga
banner-lifespan-session = Hingga peramban ditutup
banner-lifespan-while-tracked = Selama situs web diukur dengan alat ini
banner-lifespan-days = { $count ->
   *[other] { $count } hari
}
banner-lifespan-months = { $count ->
   *[other] { $count } bulan
}
banner-lifespan-years = { $count ->
   *[other] { $count } tahun
}
