"""Deterministic demo data: stores, catalog, bundles, locations, warehouses, couriers.

Everything is built from the tables below plus ``data/locations.json``; identifiers that look
random (``variant_…``, ``bpo_…``) come from a seeded RNG, so the same ``seed`` always gives the
same catalog
(orders stored in SQLite keep pointing at valid variants across restarts).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_ALNUM = string.ascii_letters + string.digits

ALL_PAYMENT_METHODS = [
    "va_bca",
    "va_bni",
    "va_bri",
    "va_mandiri",
    "va_permata",
    "va_cimb",
    "va_bsi",
    "va_maybank",
    "va_bnc",
    "va_danamon",
    "va_artha_graha",
    "va_muamalat",
    "va_btn",
    "va_ocbc",
    "va_bjb",
    "va_sahabat_sampoerna",
    "va_artajasa",
    "qris",
    "card",
    "invoice",
    "payment_link",
    "alfamart",
    "ovo",
    "dana",
    "shopeepay",
    "linkaja",
    "gopay",
    "no_payment",
    "bank_transfer",
    "marketplace",
    "cod",
]

LEGACY_VA_CODES = {
    "BCA": "va_bca",
    "BNI": "va_bni",
    "BRI": "va_bri",
    "MANDIRI": "va_mandiri",
    "PERMATA": "va_permata",
    "BSI": "va_bsi",
    "BJB": "va_bjb",
    "CIMB": "va_cimb",
    "SAHABAT_SAMPOERNA": "va_sahabat_sampoerna",
    "ARTAJASA": "va_artajasa",
}


@dataclass(slots=True)
class Variant:
    id: int
    unique_id: str
    product_id: int
    fullname: str
    sku: str
    price: int
    weight: int
    item_type: str
    is_visible: bool = True
    option1_value: str | None = None


@dataclass(slots=True)
class Product:
    id: int
    store_id: int
    name: str
    display: str
    item_type: str
    is_visible: bool
    variants: list[Variant]
    slug: str
    pricing_type: str = "one_time"
    warehouses: tuple[int, ...] | None = None  # None = every warehouse of the store
    option1_name: str | None = None


@dataclass(slots=True)
class PriceOption:
    id: int
    unique_id: str
    bundle_id: int
    name: str
    price: int
    is_visible: bool
    slug: str


@dataclass(slots=True)
class Bundle:
    id: int
    store_id: int
    name: str
    display: str
    lines: list[tuple[int, Variant, int]]  # (bundleline id, variant, quantity)
    price_options: list[PriceOption]
    weight_bump: int
    custom_id: str

    @property
    def item_type(self) -> str:
        return "physical" if any(v.item_type == "physical" for _, v, _ in self.lines) else "digital"

    @property
    def weight(self) -> int:
        if self.item_type != "physical":
            return 0
        return sum(v.weight * q for _, v, q in self.lines) + self.weight_bump


@dataclass(slots=True)
class Location:
    id: int
    subdistrict_name: str
    city_name: str
    province_name: str
    postal_codes: list[str]
    lat: float
    lon: float
    remote: bool

    @property
    def display(self) -> str:
        return f"{self.subdistrict_name}, {self.city_name}, {self.province_name}"

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subdistrict_name": self.subdistrict_name,
            "city_name": self.city_name,
            "province_name": self.province_name,
            "display": self.display,
        }


@dataclass(slots=True)
class Warehouse:
    id: int
    unique_id: str
    name: str
    address: str
    location: Location
    postal_code: str
    address_id: int
    lincah_origin_id: str
    mengantar_origin_id: str


@dataclass(slots=True)
class Store:
    id: int
    unique_id: str
    uuid: str
    name: str
    username: str
    business_id: int
    logo: str | None
    domain: str | None
    payment_methods: list[str]
    warehouse_ids: list[int]
    products: list[Product] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)

    @property
    def sub_payment_methods(self) -> list[str]:
        inverse = {v: k for k, v in LEGACY_VA_CODES.items()}
        return [inverse[m] for m in self.payment_methods if m in inverse]


@dataclass(frozen=True, slots=True)
class CourierService:
    id: int
    code: str
    name: str
    courier_id: int
    courier_code: str
    courier_name: str
    factor: float
    is_cod: bool
    provider: str
    express: bool = False


COURIER_SERVICES: tuple[CourierService, ...] = (
    CourierService(12, "REG", "Reguler", 3, "jne", "JNE", 1.0, True, "lincah"),
    CourierService(13, "YES", "Yakin Esok Sampai", 3, "jne", "JNE", 1.8, False, "lincah", True),
    CourierService(14, "OKE", "Ongkos Kirim Ekonomis", 3, "jne", "JNE", 0.8, False, "lincah"),
    CourierService(21, "EZ", "Regular", 5, "jnt", "J&T Express", 1.0, True, "mengantar"),
    CourierService(31, "REG", "Reguler", 7, "sicepat", "SiCepat", 0.95, True, "mengantar"),
    CourierService(
        32, "BEST", "Besok Sampai Tujuan", 7, "sicepat", "SiCepat", 1.5, False, "mengantar", True
    ),
    CourierService(41, "REG", "Reguler", 8, "anteraja", "AnterAja", 0.95, True, "lincah"),
    CourierService(47, "STANDARD", "Standard", 9, "ninja", "Ninja Xpress", 0.9, False, "ninja"),
    CourierService(
        51, "KILAT", "Pos Kilat Khusus", 11, "pos", "Pos Indonesia", 0.9, False, "lincah"
    ),
)

# ---------------------------------------------------------------------------------------------
# Catalog tables.  Variant tuple: (label or "" for single variant, price, weight grams, sku or None)
# sku None = generate an EAN-13 (physical goods); flags: hidden, hidden_variants, warehouses.
# ---------------------------------------------------------------------------------------------

_P = dict[str, Any]


def _p(
    name: str,
    display: str,
    item_type: str,
    variants: Sequence[tuple[str, int, int, str | None]],
    **flags: Any,
) -> _P:
    return {"name": name, "display": display, "item_type": item_type, "variants": variants, **flags}


_GAYO = [("Biji", 85000, 280, None), ("Bubuk", 87000, 280, None)]

STORE_TABLE: list[dict[str, Any]] = [
    {
        "id": 3288,
        "unique_id": "store_Nq7Rk2LmXa91",
        "uuid": "0b3f6a52-7c1e-4a7e-9d55-2f0c1e9b4a10",
        "name": "Toko Kopi Nusantara",
        "username": "kopinusantara",
        "business_id": 5120,
        "domain": "https://kopinusantara.id",
        # no_payment: cash at the counter (created unpaid, then marked paid; issue 13)
        "payment_methods": [
            "payment_link",
            "qris",
            "va_bca",
            "va_bni",
            "va_bri",
            "va_mandiri",
            "no_payment",
        ],
        "warehouses": [741, 742],
        "products": [
            _p("Kopi Arabika Gayo 250 g", "Kopi Arabika Gayo", "physical", _GAYO),
            _p(
                "Kopi Arabika Toraja Sapan 250 g",
                "Kopi Toraja Sapan",
                "physical",
                [("Biji", 92000, 280, None), ("Bubuk", 94000, 280, None)],
            ),
            _p(
                "Kopi Arabika Kintamani 250 g",
                "Kopi Kintamani",
                "physical",
                [("Biji", 88000, 280, None), ("Bubuk", 90000, 280, None)],
            ),
            _p(
                "Kopi Arabika Flores Bajawa 250 g",
                "Kopi Flores Bajawa",
                "physical",
                [("Biji", 86000, 280, None), ("Bubuk", 88000, 280, None)],
            ),
            _p(
                "Kopi Robusta Temanggung 500 g",
                "Robusta Temanggung",
                "physical",
                [("Biji", 65000, 530, None), ("Bubuk", 67000, 530, None)],
            ),
            _p(
                "Kopi Robusta Lampung 1 kg",
                "Robusta Lampung 1 kg",
                "physical",
                [("Biji", 110000, 1050, None), ("Bubuk", 112000, 1050, None)],
            ),
            _p(
                "Kopi Luwak Liar Gayo 100 g",
                "Kopi Luwak Liar",
                "physical",
                [("", 350000, 130, None)],
            ),
            _p(
                "Kopi Arabika Java Preanger 250 g",
                "Java Preanger",
                "physical",
                [("Biji", 90000, 280, None), ("Bubuk", 92000, 280, None)],
            ),
            _p(
                "Kopi Arabika Kerinci 250 g",
                "Kopi Kerinci",
                "physical",
                [("Biji", 89000, 280, None), ("Bubuk", 91000, 280, None)],
            ),
            # Chilled product: no warehouse ships it (search-warehouse returns an empty list).
            _p(
                "Kopi Susu Gula Aren Literan 1 L",
                "Kopi Susu Literan",
                "physical",
                [("", 95000, 1100, None)],
                warehouses=(),
            ),
            _p(
                "Drip Bag Nusantara isi 10",
                "Drip Bag isi 10",
                "physical",
                [
                    ("Gayo", 55000, 150, None),
                    ("Toraja", 55000, 150, None),
                    ("Kintamani", 55000, 150, None),
                ],
            ),
            _p(
                "V60 Dripper Keramik",
                "V60 Dripper",
                "physical",
                [("Putih", 125000, 400, None), ("Hitam", 125000, 400, None)],
            ),
            _p("Kertas Filter V60 isi 100", "Filter V60", "physical", [("", 45000, 120, None)]),
            _p(
                "Gilingan Kopi Manual Stainless",
                "Grinder Manual",
                "physical",
                [("", 275000, 650, None)],
            ),
            _p(
                "Teko Leher Angsa 600 ml", "Teko Leher Angsa", "physical", [("", 185000, 700, None)]
            ),
            _p("Gula Aren Cair 250 ml", "Gula Aren Cair", "physical", [("", 35000, 300, None)]),
            _p(
                "Cangkir Enamel Kopi Tubruk",
                "Cangkir Enamel",
                "physical",
                [("", 39000, 200, None)],
                hidden=True,
            ),
            _p("Timbangan Digital Kopi", "Timbangan Kopi", "physical", [("", 149000, 500, None)]),
            _p(
                "E-book Panduan Seduh Manual",
                "E-book Seduh Manual",
                "digital",
                [("", 49000, 0, "EBOOK-SEDUH")],
            ),
            _p(
                "E-book Bisnis Kedai Kopi Rumahan",
                "E-book Kedai Kopi",
                "digital",
                [("", 79000, 0, "EBOOK-KEDAI")],
            ),
            _p(
                "Kelas Online Barista Dasar",
                "Kelas Barista",
                "course",
                [("", 299000, 0, "COURSE-BARISTA")],
            ),
            _p(
                "Kelas Online Roasting Rumahan",
                "Kelas Roasting",
                "course",
                [("", 349000, 0, "COURSE-ROASTING")],
            ),
            _p(
                "Voucher Cupping Session",
                "Voucher Cupping",
                "digital",
                [
                    ("Reguler", 150000, 0, "VOUCHER-CUPPING"),
                    ("VIP", 300000, 0, "VOUCHER-CUPPING-VIP"),
                ],
                hidden_variants=("VIP",),
            ),
            _p(
                "Keripik Tempe Malang 200 g",
                "Keripik Tempe",
                "physical",
                [("Original", 25000, 220, None), ("Pedas", 25000, 220, None)],
            ),
        ],
        "bundles": [
            {
                "name": "Paket Kopi Gayo + Toraja",
                "display": "Paket Dua Nusantara",
                "lines": [
                    ("Kopi Arabika Gayo 250 g", "Biji", 1),
                    ("Kopi Arabika Toraja Sapan 250 g", "Biji", 1),
                ],
                "options": [("Paket 1 set", 160000, True), ("Harga Reseller", 150000, False)],
                "weight_bump": 50,
            },
            {
                "name": "Paket Seduh Manual Lengkap",
                "display": "Paket Seduh Lengkap",
                "lines": [
                    ("V60 Dripper Keramik", "Putih", 1),
                    ("Kertas Filter V60 isi 100", "", 1),
                    ("Teko Leher Angsa 600 ml", "", 1),
                    ("Kopi Arabika Gayo 250 g", "Bubuk", 1),
                ],
                "options": [("Harga Normal", 590000, True), ("Promo Gajian", 549000, True)],
                "weight_bump": 200,
            },
            {
                "name": "Paket Belajar Kopi Digital",
                "display": "Bundel Belajar Kopi",
                "lines": [
                    ("E-book Panduan Seduh Manual", "", 1),
                    ("Kelas Online Barista Dasar", "", 1),
                ],
                "options": [("Bundel Digital", 299000, True)],
                "weight_bump": 0,
            },
        ],
    },
    {
        "id": 3301,
        "unique_id": "store_Bk4TlS7wQe22",
        "uuid": "5d0e7c1a-3f6b-4b8e-8a21-9c4e2d7f1b03",
        "name": "Batik & Kriya Lestari",
        "username": "kriyalestari",
        "business_id": 5121,
        "domain": None,
        "payment_methods": ["invoice", "bank_transfer", "cod"],
        "warehouses": [743, 741],
        "products": [
            _p(
                "Kemeja Batik Pekalongan Lengan Pendek",
                "Kemeja Batik Pekalongan",
                "physical",
                [
                    ("S", 185000, 300, None),
                    ("M", 185000, 300, None),
                    ("L", 185000, 300, None),
                    ("XL", 185000, 320, None),
                    ("XXL", 195000, 340, None),
                ],
                hidden_variants=("XXL",),
            ),
            # Hand-drawn Lasem batik is only kept in the Yogyakarta warehouse.
            _p(
                "Kemeja Batik Tulis Lasem",
                "Batik Tulis Lasem",
                "physical",
                [("M", 650000, 350, None), ("L", 650000, 350, None), ("XL", 650000, 370, None)],
                warehouses=(743,),
            ),
            _p(
                "Kain Batik Cap Solo 2 m",
                "Kain Batik Solo",
                "physical",
                [("Sogan", 225000, 400, None), ("Parang", 225000, 400, None)],
            ),
            _p(
                "Kain Batik Tulis Madura 2 m", "Batik Madura", "physical", [("", 480000, 400, None)]
            ),
            _p(
                "Dress Batik Kawung",
                "Dress Kawung",
                "physical",
                [("S", 275000, 350, None), ("M", 275000, 350, None), ("L", 275000, 360, None)],
            ),
            _p(
                "Blus Batik Mega Mendung",
                "Blus Mega Mendung",
                "physical",
                [("S", 210000, 280, None), ("M", 210000, 280, None), ("L", 210000, 290, None)],
            ),
            _p(
                "Selendang Batik Sutra",
                "Selendang Sutra",
                "physical",
                [("Biru", 320000, 150, None), ("Merah", 320000, 150, None)],
            ),
            _p(
                "Tas Anyaman Pandan",
                "Tas Pandan",
                "physical",
                [("Kecil", 95000, 300, None), ("Besar", 145000, 450, None)],
            ),
            _p(
                "Dompet Tenun Ikat Sumba",
                "Dompet Tenun Sumba",
                "physical",
                [("", 85000, 120, None)],
            ),
            _p("Topi Anyaman Bambu", "Topi Bambu", "physical", [("", 65000, 200, None)]),
            _p("Wayang Kulit Arjuna Mini", "Wayang Arjuna", "physical", [("", 175000, 250, None)]),
            _p(
                "Gantungan Kunci Wayang isi 3",
                "Gantungan Wayang",
                "physical",
                [("", 35000, 60, None)],
            ),
            _p(
                "Bakpia Pathok Kacang Hijau isi 20",
                "Bakpia Kacang Hijau",
                "physical",
                [("", 45000, 600, None)],
            ),
            _p("Bakpia Pathok Keju isi 20", "Bakpia Keju", "physical", [("", 48000, 600, None)]),
            _p("Geplak Bantul", "Geplak", "physical", [("", 35000, 400, None)]),
            _p(
                "Keripik Singkong Balado 250 g",
                "Keripik Balado",
                "physical",
                [("Original", 22000, 270, None), ("Pedas Manis", 22000, 270, None)],
            ),
            _p(
                "Kerupuk Udang Sidoarjo 500 g",
                "Kerupuk Udang",
                "physical",
                [("", 48000, 550, None)],
            ),
            _p(
                "Rendang Daging Kemasan 250 g",
                "Rendang Kemasan",
                "physical",
                [("", 95000, 350, None)],
            ),
            _p("Sambal Roa Manado 200 g", "Sambal Roa", "physical", [("", 55000, 280, None)]),
            _p("Dodol Garut isi 20", "Dodol Garut", "physical", [("", 38000, 500, None)]),
            _p("Wingko Babat Semarang", "Wingko Babat", "physical", [("", 32000, 450, None)]),
            _p(
                "Lumpia Kering Semarang",
                "Lumpia Kering",
                "physical",
                [("", 40000, 300, None)],
                hidden=True,
            ),
            _p(
                "Kain Songket Palembang",
                "Songket Palembang",
                "physical",
                [("", 1250000, 500, None)],
            ),
            _p("Sarung Tenun Samarinda", "Sarung Samarinda", "physical", [("", 295000, 450, None)]),
        ],
        "bundles": [
            {
                "name": "Paket Oleh-oleh Jogja",
                "display": "Oleh-oleh Jogja",
                "lines": [("Bakpia Pathok Kacang Hijau isi 20", "", 2), ("Geplak Bantul", "", 1)],
                "options": [("Paket Hemat", 115000, True), ("Paket Lebaran", 125000, False)],
                "weight_bump": 100,
            },
            {
                "name": "Paket Batik Couple",
                "display": "Batik Couple",
                "lines": [
                    ("Kemeja Batik Pekalongan Lengan Pendek", "M", 1),
                    ("Blus Batik Mega Mendung", "M", 1),
                ],
                "options": [("Couple Set", 365000, True)],
                "weight_bump": 80,
            },
        ],
    },
    {
        "id": 3315,
        "unique_id": "store_Kd9ViG2aLx05",
        "uuid": "9a7b2c3d-4e5f-4a1b-8c2d-3e4f5a6b7c8d",
        "name": "Kelas Digital Kreatif",
        "username": "kelasdigital",
        "business_id": 5122,
        "domain": "https://kelasdigital.id",
        "payment_methods": ["qris"],
        "warehouses": [],
        "products": [
            _p(
                "E-book Jago Desain Canva",
                "E-book Canva",
                "digital",
                [("", 59000, 0, "EBOOK-CANVA")],
            ),
            _p(
                "E-book Resep Masakan Nusantara",
                "E-book Resep Nusantara",
                "digital",
                [("", 49000, 0, "EBOOK-RESEP")],
            ),
            _p(
                "E-book Belajar Python untuk Pemula",
                "E-book Python",
                "digital",
                [("", 89000, 0, "EBOOK-PYTHON")],
            ),
            _p(
                "E-book Panduan UMKM Go Digital",
                "E-book UMKM Digital",
                "digital",
                [("", 39000, 0, "EBOOK-UMKM")],
            ),
            _p(
                "E-book Investasi Reksa Dana",
                "E-book Reksa Dana",
                "digital",
                [("", 69000, 0, "EBOOK-REKSADANA")],
            ),
            _p(
                "Template CV ATS Friendly", "Template CV", "digital", [("", 35000, 0, "TPL-CV-ATS")]
            ),
            _p(
                "Template Undangan Pernikahan Digital",
                "Undangan Digital",
                "digital",
                [
                    ("Basic", 75000, 0, "TPL-UNDANGAN-BSC"),
                    ("Premium", 150000, 0, "TPL-UNDANGAN-PRM"),
                ],
            ),
            _p(
                "Template Konten Instagram UMKM isi 100",
                "Template IG UMKM",
                "digital",
                [("", 99000, 0, "TPL-IG-UMKM")],
            ),
            _p(
                "Template Laporan Keuangan Excel",
                "Template Keuangan",
                "digital",
                [("", 79000, 0, "TPL-KEUANGAN")],
            ),
            _p(
                "Preset Lightroom Nusantara",
                "Preset Lightroom",
                "digital",
                [("", 45000, 0, "PRESET-LR-NUSA")],
            ),
            _p(
                "Kelas Online Digital Marketing",
                "Kelas Digital Marketing",
                "course",
                [("", 499000, 0, "COURSE-DIGMAR")],
            ),
            _p(
                "Kelas Online Fotografi Produk",
                "Kelas Foto Produk",
                "course",
                [("", 399000, 0, "COURSE-FOTO")],
            ),
            _p(
                "Kelas Online Bahasa Inggris Bisnis",
                "Kelas English Bisnis",
                "course",
                [("", 349000, 0, "COURSE-ENGLISH")],
            ),
            _p(
                "Kelas Online Excel untuk Kerja",
                "Kelas Excel",
                "course",
                [("", 249000, 0, "COURSE-EXCEL")],
            ),
            _p(
                "Kelas Online Menulis Novel",
                "Kelas Menulis Novel",
                "course",
                [
                    ("Reguler", 299000, 0, "COURSE-NOVEL"),
                    ("Early Bird", 199000, 0, "COURSE-NOVEL-EB"),
                ],
                hidden_variants=("Early Bird",),
            ),
            _p(
                "Lisensi Aplikasi Kasir Pro 1 Tahun",
                "Lisensi Kasir Pro",
                "license",
                [
                    ("1 Perangkat", 450000, 0, "LIC-KASIR-1"),
                    ("3 Perangkat", 1050000, 0, "LIC-KASIR-3"),
                ],
            ),
            _p(
                "Lisensi Font Batik Display",
                "Font Batik Display",
                "license",
                [
                    ("Personal", 150000, 0, "LIC-FONT-PERS"),
                    ("Komersial", 450000, 0, "LIC-FONT-KOM"),
                ],
            ),
            _p(
                "Lisensi Antivirus 1 Tahun",
                "Lisensi Antivirus",
                "license",
                [("", 199000, 0, "LIC-ANTIVIRUS")],
                hidden=True,
            ),
            _p(
                "Audiobook Dongeng Nusantara",
                "Audiobook Dongeng",
                "digital",
                [("", 29000, 0, "AUDIO-DONGENG")],
            ),
            _p(
                "Langganan Majalah Digital Bulanan",
                "Majalah Digital",
                "subscription",
                [("", 35000, 0, "SUB-MAJALAH")],
                pricing_type="recurring",
            ),
        ],
        "bundles": [
            {
                "name": "Paket Naik Kelas UMKM",
                "display": "Naik Kelas UMKM",
                "lines": [
                    ("E-book Panduan UMKM Go Digital", "", 1),
                    ("Template Konten Instagram UMKM isi 100", "", 1),
                    ("Kelas Online Digital Marketing", "", 1),
                ],
                "options": [("Bundel Lengkap", 549000, True), ("Early Bird", 449000, False)],
                "weight_bump": 0,
            },
            {
                "name": "Paket Siap Melamar Kerja",
                "display": "Siap Melamar Kerja",
                "lines": [
                    ("Template CV ATS Friendly", "", 1),
                    ("Kelas Online Excel untuk Kerja", "", 1),
                    ("Kelas Online Bahasa Inggris Bisnis", "", 1),
                ],
                "options": [("Bundel Karier", 499000, True)],
                "weight_bump": 0,
            },
        ],
    },
]

BENCH_STORE = {
    "id": 9001,
    "unique_id": "store_BenchMark9001",
    "uuid": "b0b0b0b0-0000-4000-8000-000000009001",
    "name": "Toko Benchmark",
    "username": "tokobenchmark",
    "business_id": 5199,
    "domain": None,
    "payment_methods": ["payment_link", "qris", "invoice", "bank_transfer", "va_bca", "cod"],
    "warehouses": [741],
}

# (id, unique_id, name, address, (city, subdistrict), postal code, address id, lincah, mengantar)
WAREHOUSE_TABLE = [
    (741, "warehouse_FN9odhpi1VOF", "Gudang Bekasi", "Jl. Ahmad Yani No. 12", ("Kota Bekasi", "Bekasi Selatan"), "17141", 1502, "LC-BKS-01", "MG-88231"),  # noqa: E501
    (742, "warehouse_Sby7Qm2RkT4w", "Gudang Surabaya", "Jl. Rungkut Industri III No. 8", ("Kota Surabaya", "Rungkut"), "60293", 1503, "LC-SBY-02", "MG-88232"),  # noqa: E501
    (743, "warehouse_Jog3Lp8NcV1x", "Gudang Yogyakarta", "Jl. Kemasan No. 21, Kotagede", ("Kota Yogyakarta", "Kotagede"), "55171", 1504, "LC-JOG-03", "MG-88233"),  # noqa: E501
]  # fmt: skip

_ADJ = ["Premium", "Hemat", "Spesial", "Klasik", "Modern", "Tradisional", "Organik", "Mini"]
_NOUN = ["Kopi", "Teh", "Keripik", "Sambal", "Kain", "Tas", "Buku", "Kaos", "Madu", "Sabun"]


def ean13(body12: str) -> str:
    """Return the 13-digit EAN for a 12-digit body (adds the check digit)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


class DemoData:
    """All demo entities plus lookup indexes."""

    def __init__(self, seed: int = 7, products: int | None = None) -> None:
        self.seed = seed
        self._rng = random.Random(seed)
        self.stores: list[Store] = []
        self.locations: list[Location] = []
        self.warehouses: dict[int, Warehouse] = {}
        self.variants_by_id: dict[int, Variant] = {}
        self.variants_by_uid: dict[str, Variant] = {}
        self.products_by_id: dict[int, Product] = {}
        self.bundles_by_id: dict[int, Bundle] = {}
        self.options_by_uid: dict[str, PriceOption] = {}
        self.couriers = {c.id: c for c in COURIER_SERVICES}
        self._load_locations()
        self._load_warehouses()
        self._next_product = 88100
        self._next_variant = 494500
        self._next_bundle = 9010
        self._next_option = 31001
        self._next_line = 71001
        for spec in STORE_TABLE:
            self._add_store(spec)
        if products:
            self._add_bench_store(products)
        self.stores_by_id = {s.id: s for s in self.stores}
        self.stores_by_uid = {s.unique_id: s for s in self.stores}
        self.locations_by_id = {loc.id: loc for loc in self.locations}

    # -- helpers --------------------------------------------------------------------------
    def _uid(self, prefix: str, n: int = 12) -> str:
        return prefix + "".join(self._rng.choice(_ALNUM) for _ in range(n))

    def _load_locations(self) -> None:
        raw = json.loads(
            resources.files("pos.sandbox").joinpath("data/locations.json").read_text("utf-8")
        )
        next_id = 2001
        for entry in raw["cities"]:
            province, city, lat, lon, subdistricts = entry[:5]
            remote = len(entry) > 5 and entry[5] == "remote"
            for name, codes in subdistricts.items():
                self.locations.append(
                    Location(next_id, name, city, province, codes.split(), lat, lon, remote)
                )
                next_id += 1

    def _load_warehouses(self) -> None:
        for wid, uid, name, address, (city, sub), postal, addr_id, lc, mg in WAREHOUSE_TABLE:
            loc = next(
                x for x in self.locations if x.city_name == city and x.subdistrict_name == sub
            )
            self.warehouses[wid] = Warehouse(wid, uid, name, address, loc, postal, addr_id, lc, mg)

    def _store_from(self, spec: dict[str, Any]) -> Store:
        store = Store(
            id=spec["id"],
            unique_id=spec["unique_id"],
            uuid=spec["uuid"],
            name=spec["name"],
            username=spec["username"],
            business_id=spec["business_id"],
            logo=f"https://cdn.scalev.id/Image/logo-{spec['username']}.webp",
            domain=spec["domain"],
            payment_methods=list(spec["payment_methods"]),
            warehouse_ids=list(spec["warehouses"]),
        )
        self.stores.append(store)
        return store

    def _add_product(self, store: Store, spec: _P) -> Product:
        pid = self._next_product
        self._next_product += 1
        hidden_variants = set(spec.get("hidden_variants", ()))
        product = Product(
            id=pid,
            store_id=store.id,
            name=spec["name"],
            display=spec["display"],
            item_type=spec["item_type"],
            is_visible=not spec.get("hidden", False),
            variants=[],
            slug=spec["name"].lower().replace(" ", "-"),
            pricing_type=spec.get("pricing_type", "one_time"),
            warehouses=spec.get("warehouses"),
            option1_name=None,
        )
        for label, price, weight, sku in spec["variants"]:
            vid = self._next_variant
            self._next_variant += 1
            if sku is None:
                sku = ean13("899" + f"{store.id % 1000:03d}" + f"{vid % 1000000:06d}")
            if label:
                product.option1_name = "Varian"
            variant = Variant(
                id=vid,
                unique_id=self._uid("variant_"),
                product_id=pid,
                fullname=f"{spec['name']} - {label}" if label else spec["name"],
                sku=sku,
                price=price,
                weight=weight if spec["item_type"] == "physical" else 0,
                item_type=spec["item_type"],
                is_visible=label not in hidden_variants,
                option1_value=label or None,
            )
            product.variants.append(variant)
            self.variants_by_id[vid] = variant
            self.variants_by_uid[variant.unique_id] = variant
        store.products.append(product)
        self.products_by_id[pid] = product
        return product

    def _add_store(self, spec: dict[str, Any]) -> None:
        store = self._store_from(spec)
        by_name: dict[str, Product] = {}
        for pspec in spec["products"]:
            by_name[pspec["name"]] = self._add_product(store, pspec)
        for bspec in spec["bundles"]:
            bid = self._next_bundle
            self._next_bundle += 1
            lines = []
            for pname, label, qty in bspec["lines"]:
                product = by_name[pname]
                variant = next(v for v in product.variants if (v.option1_value or "") == label)
                lines.append((self._next_line, variant, qty))
                self._next_line += 1
            options = []
            for oname, price, visible in bspec["options"]:
                option = PriceOption(
                    id=self._next_option,
                    unique_id=self._uid("bpo_"),
                    bundle_id=bid,
                    name=oname,
                    price=price,
                    is_visible=visible,
                    slug=f"{bspec['name']}-{oname}".lower().replace(" ", "-"),
                )
                self._next_option += 1
                options.append(option)
                self.options_by_uid[option.unique_id] = option
            bundle = Bundle(
                id=bid,
                store_id=store.id,
                name=bspec["name"],
                display=bspec["display"],
                lines=lines,
                price_options=options,
                weight_bump=bspec["weight_bump"],
                custom_id=f"BDL-{bid}",
            )
            store.bundles.append(bundle)
            self.bundles_by_id[bid] = bundle

    def _add_bench_store(self, count: int) -> None:
        """A synthetic store with ``count`` products (one or two variants each), built fast."""
        store = self._store_from(BENCH_STORE)
        pid0 = 1_000_000
        vid = 5_000_000
        products = store.products
        variants_by_id = self.variants_by_id
        variants_by_uid = self.variants_by_uid
        for i in range(count):
            pid = pid0 + i
            noun = _NOUN[i % len(_NOUN)]
            adj = _ADJ[(i // len(_NOUN)) % len(_ADJ)]
            name = f"{noun} {adj} {i + 1:05d}"
            physical = i % 3 != 0
            item_type = "physical" if physical else "digital"
            product = Product(pid, store.id, name, name, item_type, i % 97 != 5, [], f"bench-{i}")
            for j in range(2 if i % 5 == 0 else 1):
                v = Variant(
                    id=vid,
                    unique_id=f"variant_bm{vid:010d}",
                    product_id=pid,
                    fullname=f"{name} - {'AB'[j]}" if i % 5 == 0 else name,
                    sku=ean13(f"8990{vid:08d}") if physical else f"BENCH-{i + 1:05d}-{j}",
                    price=10000 + (i * 37 % 500) * 1000,
                    weight=100 + (i * 13 % 20) * 50 if physical else 0,
                    item_type=item_type,
                    option1_value="AB"[j] if i % 5 == 0 else None,
                )
                product.variants.append(v)
                variants_by_id[vid] = v
                variants_by_uid[v.unique_id] = v
                vid += 1
            products.append(product)
            self.products_by_id[pid] = product

    # -- queries --------------------------------------------------------------------------
    def store_by_ref(self, ref: str | int) -> Store | None:
        text = str(ref)
        if text.isdigit():
            return self.stores_by_id.get(int(text))
        return self.stores_by_uid.get(text)

    def product_of(self, variant: Variant) -> Product:
        return self.products_by_id[variant.product_id]

    def warehouses_for(self, product: Product) -> list[int]:
        store = self.stores_by_id[product.store_id]
        if product.warehouses is None:
            return list(store.warehouse_ids)
        return [w for w in product.warehouses if w in store.warehouse_ids]

    def store_url(self, store: Store, base_url: str) -> str:
        # The sandbox serves public order pages itself, so every store uses the sandbox URL.
        return base_url
