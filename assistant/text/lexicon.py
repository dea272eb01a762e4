"""Word lists shared by verification and the title check: what a capitalised word is when it is not a name.

Folded (lower case, no diacritics). Kept apart from the checks that use them so that the lists can grow
(another language, another institution) without touching the logic.
"""

from __future__ import annotations

#: Capitalised English words that are not names to check: function words, titles, generic institutions.
#: Qualifiers that change who is meant ("Deputy", "Vice", "Prime", "Foreign") are deliberately absent, so a
#: point that promotes an official or moves them to another ministry fails unless the source says so.
GENERIC_WORDS = set(
    """a an the he she it they we i you this that these those his her their its our my your in on at by for
    from to with of and but or as after before during since according both also there here when where what
    which who whom whose how why yes no not all some many most each every one two three four five six seven
    eight nine ten first second third answer source sources however meanwhile today yesterday tomorrow
    minister ministry president ambassador embassy consul consulate general secretary
    chairman chairwoman director governor mayor mr mrs ms dr prof professor department government committee
    council party national assembly republic state states university institute centre center science
    sciences technology technologies information communication communications digital industry industrial
    trade economy economic forum conference summit agreement cooperation development association group
    company corporation bank fund program programme project office agency authority court police army
    affairs home interior defence defense education training health finance planning investment
    strategic comprehensive partnership artificial intelligence internet network south north east west
    central international global world city province day week month year monday tuesday wednesday thursday
    friday saturday sunday korean vietnamese german french indonesian english""".split()
)

#: Words of institutions and titles. Capitalised inside a sentence they are part of a name ("the Ministry of
#: Industry and Trade", "the University of Seoul") and are checked: word for word when the sentence and its
#: source share a language, through ``INSTITUTION_TRANSLATIONS`` when an English sentence cites another.
INSTITUTION_WORDS = set(
    """minister ministry president ambassador embassy consul consulate general secretary chairman chairwoman
    director governor mayor department government committee council party national assembly republic state
    university institute centre center science sciences technology technologies information communication
    communications digital industry industrial trade economy economic forum conference summit agreement
    development association group company corporation bank fund program programme project office agency
    authority court police army affairs home interior defence defense education training health finance
    planning investment artificial intelligence internet network city province""".split()
)

#: Institution words in the seed languages (folded; a variant matches at the start of a source word, so
#: "ministerium" matches "Ministeriums"): across languages an English institution word must have one of
#: them in its source. Words without an entry stay unchecked across languages.
INSTITUTION_TRANSLATIONS = {
    word: variants.split(",")
    for word, variants in {
        "minister": "minister,menteri,ministre,bo truong,thu truong",
        "ministry": "ministry,ministeri,kementerian,ministere,bo ",
        "president": "president,prasident,presiden,chu tich,tong thong",
        "ambassador": "ambassador,botschafter,duta besar,dubes,ambassadeur,dai su",
        "embassy": "embass,botschaft,kedutaan,ambassade,dai su quan",
        "university": "universit,hochschule,dai hoc",
        "institute": "institut,lembaga,vien",
        "industry": "industr,cong nghiep",
        "industrial": "industr,cong nghiep",
        "trade": "trade,handel,perdagangan,dagang,commerc,thuong mai",
        "information": "information,informasi,thong tin",
        "communication": "communication,kommunikation,komunikasi,truyen thong",
        "science": "scien,wissenschaft,sains,ilmu,khoa hoc",
        "technology": "technolog,teknologi,technik,cong nghe",
        "education": "education,bildung,pendidikan,giao duc",
        "health": "health,gesundheit,kesehatan,sante,y te",
        "finance": "financ,finanz,keuangan,tai chinh",
        "defence": "defen,verteidigung,pertahanan,quoc phong",
        "defense": "defen,verteidigung,pertahanan,quoc phong",
        "planning": "plan,perencanaan,ke hoach",
        "investment": "invest,dau tu",
        "government": "government,regierung,pemerintah,gouvernement,chinh phu",
        "economy": "econom,okonom,wirtschaft,ekonomi,kinh te",
        "economic": "econom,okonom,wirtschaft,ekonomi,kinh te",
        "republic": "republi,cong hoa",
        "mayor": "mayor,burgermeister,walikota,wali kota,maire,thi truong",
        "governor": "governor,gouverneur,gubernur,thong doc",
        "director": "director,direktor,direktur,directeur,giam doc",
    }.items()
}

#: Country names as they appear in the seed languages (folded): an English name matches any of them.
COUNTRY_ALIASES = {
    "korea": ["korea", "han quoc", "coree", "korea selatan", "sudkorea", "rok"],
    "vietnam": ["vietnam", "viet nam"],
    "germany": ["germany", "deutschland", "allemagne", "jerman", "duc"],
    "france": ["france", "frankreich", "prancis", "phap"],
    "indonesia": ["indonesia", "indonesien", "indonesie"],
    "japan": ["japan", "japon", "jepang", "nhat ban"],
    "china": ["china", "chine", "tiongkok", "trung quoc"],
    "seoul": ["seoul", "seoul", "xo un"],
    "hanoi": ["hanoi", "ha noi"],
}

#: Every word of a country's names in any language ("han", "quoc", "korea"): never part of a person's name.
COUNTRY_WORDS = {part for forms in COUNTRY_ALIASES.values() for form in forms for part in form.split()}

#: Nationality adjectives: part of a title ("Korean Minister of Science and ICT"), never a person's name.
NATIONALITIES = set(
    """korean vietnamese german french indonesian english american chinese japanese australian british""".split()
)
