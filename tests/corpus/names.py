"""Name lists for the synthetic corpus, by origin, written for the corpus alone.

These lists are deliberately independent of any list the detector ships (bot/scan/data is
never read from here): a detector that only recognised its own list would fail this corpus.
Names are romanised the way they appear on US government rosters (Latin letters, with and
without accents). Each origin also carries the country spellings a roster would use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    key: str
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    #: how rosters spell the country of citizenship (English, upper case, Spanish)
    countries: tuple[str, ...]
    countries_es: tuple[str, ...]
    #: two surnames per person (paternal + maternal), as in Spanish-speaking countries
    double_surname: bool = False


SPANISH = Origin(
    key="spanish",
    given=("María José", "Juan Carlos", "Guadalupe", "Xiomara", "Yesenia", "Edwin", "Brayan", "Dayana",
           "Wilmer", "Nohemí", "Marvin", "Jénifer", "Osmín", "Rosaura", "Elmer", "Ángel", "Itzel",
           "Darwin", "Maritza", "Fredy", "Lesbia", "Reinaldo", "Yajaira", "Estuardo", "Anabel",
           "Héctor", "Dulce María", "Milagros", "Santos", "Ixchel", "Kevin Josué", "Zoila"),
    surnames=("Hernández", "Ajú", "Xicará", "Pérez", "Menjívar", "Orellana", "Tzoc", "Castañeda",
              "Quiñónez", "Villatoro", "Caal", "Chávez", "Maldonado", "Ixcoy", "Zelaya", "Pineda",
              "Barahona", "Cruz", "Ordóñez", "Galdámez", "Ramírez", "Coc", "Sandoval", "Argueta",
              "Portillo", "Ybarra", "Nuñez", "Batres", "Ventura", "Alvarenga", "Saravia", "Mejía",
              "de la Cruz", "De León", "del Cid"),
    countries=("GUATEMALA", "HONDURAS", "EL SALVADOR", "MEXICO", "NICARAGUA", "VENEZUELA", "COLOMBIA",
               "ECUADOR", "Guatemala", "Honduras", "El Salvador", "Mexico", "Venezuela", "Ecuador"),
    countries_es=("Guatemala", "Honduras", "El Salvador", "México", "Nicaragua", "Venezuela",
                  "Colombia", "Ecuador", "Perú", "República Dominicana"),
    double_surname=True,
)

PERSIAN = Origin(
    key="persian",
    given=("Shirin", "Dariush", "Farnaz", "Kourosh", "Golnar", "Behrang", "Mahtab", "Siavash", "Parisa",
           "Arash", "Niloufar", "Kambiz", "Roya", "Payam", "Taraneh", "Mehrdad", "Azadeh", "Babak",
           "Laleh", "Omid", "Soheila", "Ramin", "Yasaman", "Farhad"),
    surnames=("Ghorbani", "Tehrani", "Esfandiari", "Mohajer", "Shirazi", "Kashani", "Rostami", "Nikpour",
              "Jafarzadeh", "Mirzaei", "Sadeghi", "Farahani", "Bagheri", "Hosseinpour", "Zandi",
              "Amirkhani", "Navabi", "Khosravi", "Rahbar", "Tavakoli", "Gharib", "Parsa"),
    countries=("IRAN", "Iran", "IRAN, ISLAMIC REPUBLIC OF", "AFGHANISTAN"),
    countries_es=("Irán", "Afganistán"),
)

CHINESE = Origin(
    key="chinese",
    given=("Xiaoming", "Jianguo", "Meiling", "Zhiwei", "Yuxuan", "Haoran", "Xinyi", "Qiang", "Lihua",
           "Zihan", "Wenjie", "Yanping", "Junhao", "Shuang", "Guozhong", "Ruoxi", "Tianyu", "Fang",
           "Jiahui", "Dongmei", "Chenxi", "Bo"),
    surnames=("Zhang", "Liu", "Huang", "Zhou", "Xu", "Sun", "Zhu", "Guo", "He", "Gao", "Luo", "Zheng",
              "Xie", "Tang", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Yuan", "Pan"),
    countries=("CHINA, PEOPLES REPUBLIC OF", "CHINA", "China", "PEOPLE'S REPUBLIC OF CHINA"),
    countries_es=("China",),
)

RUSSIAN = Origin(
    key="russian",
    given=("Aleksandr", "Yekaterina", "Dmitriy", "Svetlana", "Vyacheslav", "Anastasiya", "Sergey",
           "Lyudmila", "Nikolay", "Oksana", "Yevgeniy", "Tatyana", "Vladislav", "Galina", "Artyom",
           "Zhanna", "Konstantin", "Valentina", "Rustam", "Alina", "Timur", "Kseniya"),
    surnames=("Kuznetsov", "Smirnova", "Volkov", "Lebedeva", "Sokolov", "Kozlova", "Novikov",
              "Morozova", "Pavlov", "Semyonova", "Golubev", "Vinogradova", "Bogdanov", "Vorobyova",
              "Fyodorov", "Mikhailova", "Belyaev", "Tarasova", "Zhukov", "Yakovleva", "Orlov", "Gusev"),
    countries=("RUSSIA", "Russia", "RUSSIAN FEDERATION", "UKRAINE", "UZBEKISTAN", "KYRGYZSTAN"),
    countries_es=("Rusia", "Ucrania"),
)

INDIAN = Origin(
    key="indian",
    given=("Harpreet", "Gurpreet", "Jaspreet", "Manpreet", "Priyanka", "Venkatesh", "Lakshmi",
           "Rajinder", "Sandeep", "Kavitha", "Anil Kumar", "Deepika", "Suresh", "Parminder", "Ashwin",
           "Meenakshi", "Balwinder", "Nandini", "Hardeep", "Sunita", "Vikram", "Pooja", "Ravinder"),
    surnames=("Singh", "Kaur", "Patel", "Sharma", "Reddy", "Iyer", "Chaudhary", "Gill", "Sandhu",
              "Deshmukh", "Nair", "Pillai", "Banerjee", "Chatterjee", "Grewal", "Rao", "Mehta", "Joshi",
              "Dhillon", "Kulkarni", "Bhatt", "Shah", "Sidhu", "Thakur"),
    countries=("INDIA", "India", "NEPAL", "BANGLADESH"),
    countries_es=("India", "Nepal"),
)

HAITIAN = Origin(
    key="haitian",
    given=("Jean-Baptiste", "Marie-Ange", "Wilner", "Rose-Merline", "Jacquelin", "Fritznel", "Nadège",
           "Wisly", "Guerline", "Réginald", "Mirlande", "Frantz", "Yolette", "Jean Robert", "Dieunel",
           "Edeline", "Kervens", "Tamara", "Lovely", "Widlyn", "Ménard", "Roselaure"),
    surnames=("Jean-Louis", "Pierre-Louis", "Célestin", "Dorvilus", "Joseph", "Saint-Fleur", "Toussaint",
              "Alexis", "Etienne", "Noël", "Desrosiers", "Charlotin", "Augustin", "Bien-Aimé",
              "Jeune", "Louissaint", "Fénelon", "Théodore", "Valcourt", "Dérisier", "Edouard", "Lafortune"),
    countries=("HAITI", "Haiti", "HAÏTI"),
    countries_es=("Haití",),
)

VIETNAMESE = Origin(
    key="vietnamese",
    given=("Thị Hương", "Văn Minh", "Ngọc Anh", "Quang", "Thanh Tâm", "Đức", "Phương", "Hoàng",
           "Thu Trang", "Tuấn", "Bảo Ngọc", "Khánh", "Linh", "Hải", "Mai", "Trung", "Thúy", "Việt"),
    surnames=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
              "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Lương"),
    countries=("VIETNAM", "Vietnam", "VIET NAM"),
    countries_es=("Vietnam",),
)

ARABIC = Origin(
    key="arabic",
    given=("Mohammed", "Abdelrahman", "Fatima Zahra", "Yousef", "Mariam", "Khaled", "Noura", "Omar",
           "Hanan", "Tariq", "Rania", "Abdulaziz", "Layla", "Mustafa", "Samira", "Bilal", "Amal",
           "Hamza", "Dalia", "Walid"),
    surnames=("Al-Masri", "Haddad", "El-Sayed", "Abdullah", "Benali", "Khoury", "Al-Hashimi", "Mansour",
              "Nasser", "Saleh", "Qureshi", "Bakr", "Darwish", "Al-Farsi", "Hamdan", "Ouazzani",
              "Zaher", "Abu Zaid", "Rahman", "Jaber"),
    countries=("SYRIA", "EGYPT", "YEMEN", "MOROCCO", "MAURITANIA", "Syria", "Egypt", "JORDAN"),
    countries_es=("Siria", "Egipto", "Marruecos", "Mauritania"),
)

WEST_AFRICAN = Origin(
    key="west_african",
    given=("Chukwuemeka", "Oluwaseun", "Ngozi", "Kwame", "Abena", "Mamadou", "Aissatou", "Ousmane",
           "Adaeze", "Babajide", "Efua", "Yaw", "Fatoumata", "Ibrahima", "Chiamaka", "Kofi", "Mariama",
           "Tunde", "Awa", "Seydou"),
    surnames=("Okonkwo", "Adeyemi", "Mensah", "Diallo", "Ndiaye", "Boateng", "Okafor", "Traoré",
              "Balogun", "Asante", "Sow", "Eze", "Owusu", "Keïta", "Adebayo", "Camara", "Nwosu",
              "Ba", "Oyelaran", "Fofana"),
    countries=("NIGERIA", "GHANA", "SENEGAL", "MAURITANIA", "GUINEA", "MALI", "Nigeria", "Ghana",
               "Senegal", "CAMEROON"),
    countries_es=("Nigeria", "Ghana", "Senegal", "Guinea", "Camerún"),
)

ENGLISH = Origin(
    key="english",
    given=("Brenda", "Dwayne", "Tiffany", "Clifford", "Shonda", "Garrett", "Melinda", "Travis",
           "Rochelle", "Wendell", "Krystal", "Desmond", "Heather", "Lamar", "Courtney", "Russell",
           "Tamika", "Grant", "Erin", "Byron"),
    surnames=("Whitfield", "Pennington", "Haskins", "Blevins", "Ratliff", "Dunbar", "Kincaid",
              "McAllister", "Prewitt", "Stroud", "Holloway", "Crenshaw", "Tolliver", "Ashby",
              "Pruitt", "Lindqvist", "O'Rourke", "Fairbanks", "Gentry", "Mabry"),
    countries=("JAMAICA", "CANADA", "UNITED KINGDOM", "Jamaica", "GUYANA", "BELIZE"),
    countries_es=("Jamaica", "Canadá", "Belice"),
)

#: every origin, weighted roughly as detained-population rosters are
ORIGINS: tuple[tuple[Origin, int], ...] = (
    (SPANISH, 40), (PERSIAN, 6), (CHINESE, 8), (RUSSIAN, 7), (INDIAN, 9), (HAITIAN, 8),
    (VIETNAMESE, 5), (ARABIC, 6), (WEST_AFRICAN, 7), (ENGLISH, 4),
)

#: origins whose names survive cp1252 (no Vietnamese diacritics)
LATIN1_ORIGINS: tuple[Origin, ...] = (SPANISH, HAITIAN, WEST_AFRICAN, PERSIAN, ARABIC, RUSSIAN, ENGLISH)

#: fictional towns for facility names and addresses
TOWNS = ("Red Mesa", "Cold Creek", "Port Haldane", "Sabine Flats", "Otter Bend", "Granite Falls",
         "Las Palmillas", "Marrow Lake", "Pinebrook", "Calder Springs", "Dry Fork", "Willet Point",
         "San Ysidro Norte", "Harlan Gap", "Bluewater", "Stillman")

FACILITY_KINDS = ("County Detention Center", "Processing Center", "Service Processing Center",
                  "Correctional Facility", "Regional Detention Facility", "Family Residential Center",
                  "County Jail", "Contract Detention Facility")

STATES = ("TX", "LA", "AZ", "NM", "GA", "CA", "FL", "NJ", "PA", "MS", "AL", "WA", "CO", "OK")

#: officials named in their role in press material (never people exposed)
OFFICIAL_ROLES = ("Director", "Deputy Director", "Field Office Director", "Assistant Secretary",
                  "Press Secretary", "Acting Director")

#: how a roster's "Nationality" column words it (English demonyms)
DEMONYMS = {
    "GUATEMALA": "Guatemalan", "HONDURAS": "Honduran", "EL SALVADOR": "Salvadoran", "MEXICO": "Mexican",
    "NICARAGUA": "Nicaraguan", "VENEZUELA": "Venezuelan", "COLOMBIA": "Colombian", "ECUADOR": "Ecuadorian",
    "IRAN": "Iranian", "AFGHANISTAN": "Afghan", "CHINA": "Chinese", "RUSSIA": "Russian", "UKRAINE": "Ukrainian",
    "UZBEKISTAN": "Uzbek", "KYRGYZSTAN": "Kyrgyz", "INDIA": "Indian", "NEPAL": "Nepali", "BANGLADESH": "Bangladeshi",
    "HAITI": "Haitian", "VIETNAM": "Vietnamese", "SYRIA": "Syrian", "EGYPT": "Egyptian", "YEMEN": "Yemeni",
    "MOROCCO": "Moroccan", "MAURITANIA": "Mauritanian", "JORDAN": "Jordanian", "NIGERIA": "Nigerian",
    "GHANA": "Ghanaian", "SENEGAL": "Senegalese", "GUINEA": "Guinean", "MALI": "Malian", "CAMEROON": "Cameroonian",
    "JAMAICA": "Jamaican", "CANADA": "Canadian", "UNITED KINGDOM": "British", "GUYANA": "Guyanese",
    "BELIZE": "Belizean",
}

#: Spanish demonyms (feminine / masculine) for prose written in Spanish
DEMONYMS_ES = {
    "Guatemala": ("guatemalteca", "guatemalteco"), "Honduras": ("hondureña", "hondureño"),
    "El Salvador": ("salvadoreña", "salvadoreño"), "México": ("mexicana", "mexicano"),
    "Nicaragua": ("nicaragüense", "nicaragüense"), "Venezuela": ("venezolana", "venezolano"),
    "Colombia": ("colombiana", "colombiano"), "Ecuador": ("ecuatoriana", "ecuatoriano"),
    "Perú": ("peruana", "peruano"), "República Dominicana": ("dominicana", "dominicano"),
}


def demonym(country: str) -> str:
    """'HONDURAS' -> 'Honduran'; countries without an entry stay as written."""
    key = country.upper().replace("Ï", "I").split(",")[0].replace("VIET NAM", "VIETNAM")
    key = {"RUSSIAN FEDERATION": "RUSSIA", "PEOPLE'S REPUBLIC OF CHINA": "CHINA"}.get(key, key)
    return DEMONYMS.get(key, country)
