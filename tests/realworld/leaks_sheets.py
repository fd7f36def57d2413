"""Leak makers: spreadsheets and OpenDocument text (.xls, .ods, .odt, a 200+ sheet .xlsx).

Contract: each `make_*` writes one file into `ctx.out` and returns its ground truth. Headers come in
the language of the office that wrote them; identifiers are written in the shapes such offices use.
"""

from __future__ import annotations

import openpyxl

from tests.corpus.truth import CorpusFile, leak
from tests.realworld import idents
from tests.realworld.kit import Ctx, truth_ids
from tests.realworld.office import ods_table, write_ods, write_odt, write_xls
from tests.realworld.people import excel_serial, write_date


def _split_family(family: str) -> tuple[str, str]:
    first, _, second = family.partition(" ")
    return first, second


def make_registro_consular(ctx: Ctx) -> CorpusFile:
    name = "registro_consular_2023.xls"
    crowd, n = ctx.crowd(name), ctx.n(300)
    people = crowd.people(n, ("es_MX", "es_ES"))
    header = ["Apellido paterno", "Apellido materno", "Nombre(s)", "Fecha de nacimiento", "Nacionalidad",
              "Número A", "Teléfono"]
    rows = []
    for i, p in enumerate(people):
        paterno, materno = _split_family(p.family)
        rows.append([paterno, materno, p.given, p.dob, p.country_local, idents.write_a_number(p.a_number, (0, 2)[i % 2]),
                     idents.write_phone(p.phone, i)])
    write_xls(ctx.path(name), [("Registro", header, rows)], title_rows=("CONSULADO GENERAL - Registro de connacionales",
                                                                       "Corte al 31/12/2023"))
    return leak(ctx.path(name), "xls", people=n, identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH", "PHONE", "NATIONALITY"},
                what="consulate register in legacy Excel, Spanish headers, two family-name columns, real dates")


def make_liste_retenus(ctx: Ctx) -> CorpusFile:
    name = "liste_retenus_fr.xls"
    crowd, n = ctx.crowd(name), ctx.n(220)
    people = crowd.people(n, ("fr_FR", "ht"))
    header = ["Nom", "Prénom", "Date de naissance", "Nationalité", "N° étranger", "Centre"]
    centres = ["CRA Mesnil-Amelot", "CRA Vincennes", "Krome SPC", "Otay Mesa DC"]
    rows = [[p.family.upper(), p.given, excel_serial(p.dob), "Haïti" if p.locale == "ht" else p.country_local,
             idents.write_a_number(p.a_number, 1), centres[i % 4]] for i, p in enumerate(people)]
    write_xls(ctx.path(name), [("Feuil1", header, rows)])
    return leak(ctx.path(name), "xls", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                expected={"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH"},
                what="French detainee list, dates of birth as bare Excel serial numbers, A 123 456 789 spacing")


def make_old_a_numbers(ctx: Ctx) -> CorpusFile:
    name = "legacy_ins_export_1998.xls"
    crowd, n, rng = ctx.crowd(name), ctx.n(160), ctx.rng(name)
    people = crowd.people(n, ("es_MX", "ht", "vi_VN", "en_US"))
    seen: set[str] = set()
    for p in people:  # an INS-era export: every A-number is an old 8-digit one
        while p.a_number in seen or not p.a_number.startswith("0"):
            p.a_number = idents.a_number(rng, old=True)
        seen.add(p.a_number)
    header = ["A#", "LAST NAME", "FIRST NAME", "DOB", "COB", "SSN"]
    rows = [[idents.write_a_number(p.a_number, (1, 5)[i % 2]).replace(" ", ""), p.latin_family.upper(),
             p.latin_given.upper(), p.dob, p.country.upper(), idents.write_ssn(p.ssn, i)] for i, p in enumerate(people)]
    write_xls(ctx.path(name), [("EXPORT", header, rows)], date_format="MM/DD/YYYY")
    return leak(ctx.path(name), "xls", people=n, identifiers=truth_ids(people, "A_NUMBER", "SSN"),
                expected={"A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"},
                what="INS-era export: old 8-digit A-numbers (A# header), SSNs, upper-case names")


def make_hidden_sheet_ods(ctx: Ctx) -> CorpusFile:
    name = "svodka_hidden_sheet.ods"
    crowd, n = ctx.crowd(name), ctx.n(200)
    people = crowd.people(n, ("ru_RU", "uk_UA"))
    summary = ods_table("Сводка", ["Гражданство", "Количество"],
                        [["Россия", sum(p.country == "Russia" for p in people)],
                         ["Казахстан", sum(p.country == "Kazakhstan" for p in people)],
                         ["Україна", sum(p.country == "Ukraine" for p in people)], ["Итого", n]])
    header = ["ФИО", "Транслитерация", "Дата рождения", "Гражданство", "Номер A", "Телефон", "Статус"]
    rows = [[p.name, p.latin_name, p.dob, p.country_local, idents.write_a_number(p.a_number, 0),
             idents.write_phone(p.phone, 0), "задержан"] for p in people]
    data = ods_table("Данные", header, rows, hidden=True, blank_rows_before=3, title="Список (служебное)")
    write_ods(ctx.path(name), [summary, data])
    return leak(ctx.path(name), "ods", people=n, identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH", "PHONE"},
                what="ODS with a visible summary and a hidden sheet of Cyrillic names beside a transliteration, "
                     "blank rows and LibreOffice's million-row tail as repeats")


def make_cadastro_ods(ctx: Ctx) -> CorpusFile:
    name = "cadastro_migrantes.ods"
    crowd, n = ctx.crowd(name), ctx.n(180)
    people = crowd.people(n, ("pt_BR", "es_ES"))
    header = ["Nome completo", "Data de nascimento", "Nacionalidade", "Nº de registro de estrangeiro (A#)",
              "E-mail", "Telefone"]
    rows = [[p.name, p.dob if i % 3 else write_date(p.dob, "dmy"), p.country_local,
             idents.write_a_number(p.a_number, 3), idents.write_email(p.email, i), idents.write_phone(p.phone, i)]
            for i, p in enumerate(people)]
    write_ods(ctx.path(name), [ods_table("Cadastro", header, rows, blank_rows_before=1)])
    return leak(ctx.path(name), "ods", people=n, identifiers=truth_ids(people, "A_NUMBER", "EMAIL", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "EMAIL", "PHONE"},
                what="Portuguese register: A-numbers as bare 123-456-789 under an A# header, dates as date cells and text")


def make_arabic_ods(ctx: Ctx) -> CorpusFile:
    name = "qaimat_alajanib.ods"
    crowd, n = ctx.crowd(name), ctx.n(150)
    people = crowd.people(n, ("ar_AA",))
    header = ["الاسم", "الاسم باللاتينية", "تاريخ الميلاد", "الجنسية", "رقم الأجنبي", "رقم الهاتف"]
    rows = [[p.name, p.latin_name, write_date(p.dob, "dmy"), p.country_local, idents.write_a_number(p.a_number, 4),
             idents.write_phone(p.phone, 0)] for p in people]
    write_ods(ctx.path(name), [ods_table("ورقة1", header, rows)])
    return leak(ctx.path(name), "ods", people=n, identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what="Arabic headers and names in Arabic script beside a Latin transliteration")


def make_vietnamese_odt(ctx: Ctx) -> CorpusFile:
    name = "ghi_chu_ho_so.odt"
    crowd, n = ctx.crowd(name), ctx.n(60)
    people = crowd.people(n, ("vi_VN",))
    header = ["Họ và tên", "Ngày sinh", "Quốc tịch", "Số A", "Số điện thoại"]
    rows = [[p.name, write_date(p.dob, "dmy"), p.country_local, idents.write_a_number(p.a_number, 2),
             idents.write_phone(p.phone, 1)] for p in people]
    write_odt(ctx.path(name), ["Ghi chú hồ sơ - Văn phòng hỗ trợ pháp lý",
                               "Danh sách thân chủ cần gặp trong tuần này:"], header, rows,
              ["Lưu ý: tài liệu nội bộ, không chia sẻ."])
    return leak(ctx.path(name), "odt", people=n, identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what="Vietnamese case memo (.odt) with a table of clients, A-123-456-789 spelling")


def make_many_sheets(ctx: Ctx) -> CorpusFile:
    name = "workbook_205_sheets.xlsx"
    crowd, n = ctx.crowd(name), ctx.n(40)
    people = crowd.people(n, ("es_MX", "ht", "en_US"))
    book = openpyxl.Workbook()
    book.active.title = "S001"
    book.active["A1"] = "Section 1: see instructions"
    for i in range(2, 205):
        book.create_sheet(f"S{i:03d}")["A1"] = f"Section {i}: no entries"
    last = book.create_sheet("S205 Roster")
    last.append(["Name", "A-Number", "Date of Birth", "Country"])
    for p in people:
        last.append([p.latin_name, idents.write_a_number(p.a_number, 0), p.dob, p.country])
    book.save(ctx.path(name))
    entry = leak(ctx.path(name), "xlsx", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                 expected={"A_NUMBER", "PERSON_NAME"},
                 what="workbook of 205 sheets, the roster on the last one (past a sheet limit: found, or partly read)")
    entry.expect_incomplete = True
    return entry


MAKERS = [make_registro_consular, make_liste_retenus, make_old_a_numbers, make_hidden_sheet_ods, make_cadastro_ods,
          make_arabic_ods, make_vietnamese_odt, make_many_sheets]
