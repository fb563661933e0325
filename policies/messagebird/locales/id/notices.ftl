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
