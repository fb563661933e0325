# Pemberitahuan e-mail atas nama pernyataan privasi: tautan konfirmasi, perubahan material pada
# pernyataan, dan perubahan daftar subprosesor, masing-masing sebelum tanggal berlakunya.

mail-greeting = Halo,
mail-topic-policy = perubahan material pada pernyataan privasi kami
mail-topic-processors = perubahan pada daftar subprosesor kami
mail-confirm-subject = Mohon konfirmasi: pemberitahuan privasi dari { $brand }
mail-confirm-intro = Seseorang, semoga Anda sendiri, meminta agar alamat ini menerima pemberitahuan dari { $brand } tentang:
mail-confirm-action = Kami tidak akan mengirim apa pun sebelum Anda mengonfirmasi. Untuk mengonfirmasi, buka halaman ini dan tekan tombol di dalamnya:
mail-confirm-ignore = Jika Anda tidak memintanya, abaikan pesan ini: kami tidak akan menulis kepada Anda lagi, dan permintaan ini gugur dengan sendirinya.
mail-policy-subject = { $brand } mengubah pernyataan privasinya mulai { $date }
mail-policy-intro = Kami telah menerbitkan versi { $version } dari pernyataan privasi kami. Versi ini berlaku mulai { $date } dan membawa { $count } perubahan material dibandingkan versi { $previous } yang berlaku saat ini.
mail-policy-read = Perubahannya, berdampingan dengan teks yang berlaku:
mail-processors-subject = { $brand } mengubah subprosesornya mulai { $date }
mail-processors-intro = Mulai { $date }, daftar subprosesor kami berubah sebagai berikut:
mail-processor-added = Baru: { $name }, untuk { $purpose }, di { $country }
mail-processor-removed = Tidak digunakan lagi: { $name }
mail-processor-changed = Berubah: { $name }, kini untuk { $purpose }, di { $country }
mail-processors-list = Daftar lengkapnya, dengan data yang diterima masing-masing dan pengaman transfernya:
mail-processors-object = Jika Anda keberatan terhadap subprosesor yang baru atau berubah, beri tahu kami sebelum { $date } melalui halaman ini:
mail-footer = Anda menerima pesan ini karena alamat ini berlangganan pemberitahuan privasi dari { $brand }. Untuk berhenti berlangganan, buka tautan ini; satu klik sudah cukup:

# Email akun: tautan verifikasi, dan peringatan saat masuk dari tempat baru.
mail-account-verify-subject = Konfirmasikan alamat email Anda untuk { $brand }
mail-account-verify-intro = Selamat datang di { $brand }. Konfirmasikan bahwa alamat ini milik Anda, agar kami dapat menghubungi Anda mengenai akun Anda.
mail-account-verify-action = Buka halaman ini dan tekan tombol di dalamnya (tautan berlaku tujuh hari):
mail-account-verify-ignore = Jika Anda tidak mendaftar, abaikan pesan ini; akun tetap belum dikonfirmasi.
mail-account-alert-subject = Ada yang masuk ke akun { $brand } Anda
mail-account-alert-intro = Akun Anda dimasuki pada { $date } dari { $place }, dengan peramban atau perangkat yang belum pernah digunakan untuk akun ini.
mail-account-alert-unknown-place = lokasi yang tidak dapat kami tentukan
mail-account-alert-ok = Jika itu Anda, tidak ada yang perlu dilakukan.
mail-account-alert-not-you = Jika bukan Anda, segera ubah kata sandi Anda dan beri tahu tim keamanan kami melalui email ke { $security } dengan subjek "Urgent: account credentials".
mail-account-footer = Anda menerima pesan ini karena pesan ini berkaitan dengan akun { $brand } Anda.
mail-account-reset-subject = Atur ulang kata sandi { $brand } Anda
mail-account-reset-intro = Seseorang, semoga Anda, meminta kata sandi baru untuk akun { $brand } Anda.
mail-account-reset-action = Buka halaman ini untuk memilih kata sandi baru (tautan berlaku satu jam, satu kali); setelah itu semua sesi akun berakhir:
mail-account-reset-ignore = Jika Anda tidak memintanya, abaikan pesan ini: kata sandi Anda tetap seperti semula.
mail-account-lockdown-subject = Akun { $brand } Anda dikunci demi keamanan Anda
mail-account-lockdown-intro = Kami menerima laporan bahwa kredensial akun { $brand } Anda mungkin jatuh ke tangan yang salah. Untuk melindunginya, kami mengunci akun tersebut, mengakhiri semua sesi, dan mencabut kunci API-nya; tim keamanan kami membuka insiden { $case }.
mail-account-lockdown-action = Untuk menggunakan akun ini lagi, pilih kata sandi baru di halaman ini (tautan berlaku satu jam, satu kali):
mail-account-lockdown-not-you = Jika Anda tidak melaporkan apa pun, kirim email ke tim keamanan kami di { $security } dengan subjek "Urgent: account credentials" dan sebutkan nomor insiden.
mail-account-disclosure-subject = Permintaan pemerintah atas data akun { $brand } Anda
mail-account-disclosure-intro = Sebuah otoritas pemerintah ({ $authority }, { $place }) meminta data akun Anda kepada kami: { $categories }, untuk periode { $period }.
mail-account-disclosure-review = Kami hanya mengungkapkan data kepada otoritas pemerintah, berdasarkan hukum yang berlaku bagi kami, dengan instrumen hukum yang dapat dilaksanakan yang menyebutkan data dan periode tertentu; permintaan yang kurang dari itu kami tolak, dan kami tidak pernah memberikan lebih dari yang diminta. Nomor referensi kami adalah { $case }.
mail-account-disclosure-advice = Anda dapat meminta nasihat hukum atau menghubungi otoritas tersebut. Pertanyaan: { $privacy }.
