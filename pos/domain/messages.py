"""Cashier-facing texts, keyed by message id: ``id -> (Indonesian, English)``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # customer form
    "name_required": ("Nama pelanggan wajib diisi.", "Customer name is required."),
    "name_too_long": (
        "Nama pelanggan terlalu panjang (maksimal 100 karakter).",
        "Customer name is too long (at most 100 characters).",
    ),
    "phone_required": ("Nomor HP wajib diisi.", "Phone number is required."),
    "phone_invalid": (
        "Nomor HP tidak valid. Contoh: 0812-3456-7890",
        "Invalid phone number. Example: 0812-3456-7890",
    ),
    "email_invalid": (
        "Alamat email tidak valid. Contoh: nama@contoh.com",
        "Invalid email address. Example: name@example.com",
    ),
    # cart / sale
    "cart_empty": ("Keranjang masih kosong.", "The cart is empty."),
    "quantity_invalid": ("Jumlah harus lebih dari 0.", "Quantity must be more than 0."),
    "quantity_too_large": (
        "Jumlah per barang paling banyak 9999.",
        "At most 9999 of one item.",
    ),
    "total_too_large": (
        "Total keranjang terlalu besar. Bagi menjadi beberapa penjualan.",
        "The cart total is too large. Split it into several sales.",
    ),
    "price_out_of_range": (
        "Harga barang ini tidak masuk akal — periksa produknya di Scalev.",
        "This item's price is not plausible — check the product in Scalev.",
    ),
    "payment_method_required": ("Pilih metode pembayaran.", "Choose a payment method."),
    "shipping_required": (
        "Keranjang berisi barang fisik: isi data pengiriman.",
        "The cart holds physical goods: fill in the shipping details.",
    ),
    "address_required": ("Alamat pengiriman wajib diisi.", "Shipping address is required."),
    "discount_invalid": (
        "Diskon tidak valid. Contoh: 5000 atau 10%",
        "Invalid discount. Example: 5000 or 10%",
    ),
    "discount_too_high": ("Diskon maksimal 100%.", "A discount is at most 100%."),
    "cash_too_little": (
        "Uang diterima kurang dari total.",
        "The cash received is less than the total.",
    ),
    "cash_forbidden": (
        "Pesanan dibuat tetapi belum bisa ditandai lunas: tandai lunas di dashboard Scalev, "
        "dan beri kunci API izin order:change_status agar Kasir bisa melakukannya sendiri.",
        "The order was created but could not be marked paid: mark it paid in the Scalev "
        "dashboard, and give the API key the order:change_status scope so Kasir can do it.",
    ),
    "payment_link_unsafe": (
        "Tautan pembayaran kosong atau tidak aman — tidak dibagikan. Periksa pesanan di Scalev.",
        "The payment link is missing or not secure — not shared. Check the order in Scalev.",
    ),
    # storage
    "storage_readonly": (
        "Folder data tidak bisa ditulis. Periksa izin folder data Kasir.",
        "The data folder is not writable. Check the permissions of Kasir's data folder.",
    ),
    "storage_full": (
        "Disk penuh. Kosongkan ruang disk lalu coba lagi.",
        "The disk is full. Free some disk space and try again.",
    ),
    "storage_unavailable": (
        "Database Kasir tidak bisa dibuka. Periksa folder data.",
        "Kasir's database cannot be opened. Check the data folder.",
    ),
    "storage_locked": (
        "Database sedang dipakai proses lain. Coba lagi sebentar lagi.",
        "The database is busy in another process. Try again in a moment.",
    ),
    "storage_corrupt": (
        "Database Kasir rusak. Hubungi dukungan teknis.",
        "Kasir's database is damaged. Contact support.",
    ),
    "storage_error": ("Gagal menyimpan data lokal.", "Could not save local data."),
    "data_dir_not_folder": (
        "Folder data Kasir ternyata sebuah file, bukan folder. Pindahkan file itu, atau pilih "
        "folder data lain (--data-dir atau KASIR_DATA_DIR).",
        "Kasir's data folder is a file, not a folder. Move that file away, or choose another "
        "data folder (--data-dir or KASIR_DATA_DIR).",
    ),
    # server address (base URL)
    "base_url_http": (
        "Alamat server ditolak: harus https:// (http hanya untuk localhost), agar kunci API "
        "tidak dikirim tanpa enkripsi. Ubah di Pengaturan (F10) atau KASIR_BASE_URL.",
        "Server address refused: it must be https:// (http only for localhost), so the API "
        "key is never sent unencrypted. Change it in Settings (F10) or KASIR_BASE_URL.",
    ),
    "base_url_invalid": (
        "Alamat server tidak valid. Contoh: https://api.scalev.com — ubah di Pengaturan (F10) "
        "atau KASIR_BASE_URL.",
        "The server address is not valid. Example: https://api.scalev.com — change it in "
        "Settings (F10) or KASIR_BASE_URL.",
    ),
    "already_running": (
        "Kasir sudah berjalan di komputer ini dengan folder data yang sama.",
        "Kasir is already running on this computer with the same data folder.",
    ),
    "sale_state_invalid": (
        "Status penjualan tidak mengizinkan tindakan ini.",
        "The sale's state does not allow this action.",
    ),
}


#: what the cashier is told about an exception (``pos.services.errors.error_message``)
ERROR_TEXTS: dict[str, tuple[str, str]] = {
    "offline_queued": (
        "Tidak bisa terhubung ke server. Periksa internet; penjualan disimpan dan akan dikirim "
        "otomatis.",
        "Cannot reach the server. Check the internet; the sale is saved and will be sent "
        "automatically.",
    ),
    "rate_limited_queued": (
        "Server Scalev sedang membatasi permintaan. Pesanan belum diproses; penjualan disimpan "
        "dan dikirim otomatis begitu batasnya mengizinkan.",
        "Scalev is limiting requests right now. The order was not processed; the sale is saved "
        "and sent automatically as soon as the limit allows.",
    ),
    "needs_decision": (
        "Pesanan tidak ditemukan di server setelah lama diperiksa. Buka Riwayat (F4) untuk "
        "mengirim ulang atau membatalkannya.",
        "The order was not found on the server after a long check. Open History (F4) to send "
        "it again or abandon it.",
    ),
    "outcome_unknown": (
        "Server belum memastikan pesanan. Penjualan disimpan dan akan dicek ulang otomatis — "
        "jangan buat pesanan ini lagi.",
        "The server has not confirmed the order. The sale is saved and will be checked again "
        "automatically — do not ring it up again.",
    ),
    "offline": (
        "Tidak bisa terhubung ke server. Periksa koneksi internet.",
        "Cannot reach the server. Check the internet connection.",
    ),
    "timeout": (
        "Server terlalu lama menjawab. Coba lagi sebentar lagi.",
        "The server took too long to answer. Try again in a moment.",
    ),
    "auth": (
        "API key ditolak. Periksa API key di Pengaturan.",
        "The API key was refused. Check the API key in Settings.",
    ),
    "forbidden": (
        "API key tidak punya izin untuk tindakan ini.",
        "The API key is not allowed to do this.",
    ),
    "not_found": ("Data tidak ditemukan di server.", "Not found on the server."),
    "conflict": (
        "Data berubah di server. Muat ulang lalu coba lagi.",
        "The data changed on the server. Reload and try again.",
    ),
    "rate_limited": (
        "Terlalu banyak permintaan ke server. Tunggu sebentar lalu coba lagi.",
        "Too many requests to the server. Wait a moment and try again.",
    ),
    "server": (
        "Server Scalev sedang bermasalah. Coba lagi sebentar lagi.",
        "Scalev's server has a problem. Try again in a moment.",
    ),
    "bad_request": ("Permintaan ditolak server", "The server refused the request"),
    "rejected": ("Pesanan ditolak", "Order rejected"),
    "invalid_response": (
        "Jawaban server tidak bisa dibaca. Coba lagi sebentar lagi.",
        "The server's answer could not be read. Try again in a moment.",
    ),
    "cancelled": ("Dibatalkan.", "Cancelled."),
    "unexpected": (
        "Terjadi kesalahan tak terduga. Coba lagi; jika berulang, hubungi dukungan.",
        "An unexpected error occurred. Try again; if it repeats, contact support.",
    ),
}
MESSAGES.update(ERROR_TEXTS)

#: the shipping quote's cashier texts (``pos.services.shipping.shipping_text``)
SHIPPING_TEXTS: dict[str, tuple[str, str]] = {
    "shipping_unavailable": (
        "Pengiriman tidak tersedia di koneksi ini.",
        "Shipping is not available on this connection.",
    ),
    "shipping_need_address": (
        "Isi alamat jalan pengiriman.",
        "Fill in the street address for shipping.",
    ),
    "shipping_need_location": ("Pilih kecamatan tujuan.", "Choose the destination kecamatan."),
    "shipping_requoting": (
        "Ongkir sedang dihitung ulang — tunggu sebentar.",
        "The shipping cost is being re-quoted — wait a moment.",
    ),
    "shipping_need_courier": ("Pilih kurir.", "Choose a courier."),
    "shipping_no_location": (
        "Kecamatan “{text}” tidak ditemukan. Periksa ejaan atau ketik nama lain.",
        "No kecamatan matches “{text}”. Check the spelling or type another name.",
    ),
    "shipping_no_warehouse": (
        "Tidak ada gudang yang bisa mengirim semua barang ini ke tujuan tersebut. "
        "Keluarkan barang yang tidak tersedia atau pilih tujuan lain.",
        "No warehouse can ship all of these items to this destination. Remove "
        "the unavailable item or choose another destination.",
    ),
    "shipping_no_cod_courier": (
        "Tidak ada kurir COD untuk tujuan ini. Pilih metode pembayaran lain.",
        "No COD courier serves this destination. Choose another payment method.",
    ),
    "shipping_no_courier": (
        "Tidak ada kurir yang melayani tujuan ini dari gudang terpilih.",
        "No courier serves this destination from the chosen warehouse.",
    ),
    "shipping_failed_search": ("Pencarian kecamatan gagal", "The kecamatan search failed"),
    "shipping_failed_postal": ("Kode pos tidak bisa dimuat", "Postal codes could not be loaded"),
    "shipping_failed_warehouses": (
        "Gudang pengirim tidak bisa dicari",
        "Could not find a warehouse",
    ),
    "shipping_failed_couriers": ("Ongkir tidak bisa dihitung", "Could not quote the couriers"),
}
MESSAGES.update(SHIPPING_TEXTS)


def text(message_id: str, lang: str = "id") -> str:
    """The text of ``message_id`` in ``lang`` ("id" or "en"); unknown ids get a generic text."""
    pair = MESSAGES.get(message_id)
    if pair is None:
        pair = ("Terjadi kesalahan.", "Something went wrong.")
    return pair[1] if lang == "en" else pair[0]
