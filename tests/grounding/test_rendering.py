"""The structural checks of a translation against its original (negation, order, untranslated words,
invented names), and Verifier.check_translation putting them together with facts and closeness."""

from __future__ import annotations

import pytest

from assistant.grounding.rendering import negation_changed, order_changed, untranslated_words
from assistant.grounding.verifier import Verifier

DE = "Die Trainerin Anna Berg lobte den Spieler Paul Roth am 3. Juni 2021 nach dem Spiel."
EN = "Coach Anna Berg praised the player Paul Roth after the game on 3 June 2021."


def test_a_faithful_translation_passes_every_structural_check():
    assert not negation_changed(DE, "de", EN, "en")
    assert order_changed(DE, EN) == []
    assert untranslated_words(DE, "de", EN, "en") == []


@pytest.mark.parametrize(
    "original, lang_from, wrong, reason, right",
    [
        ("Hàn Quốc đã trở thành một trong những đối tác chiến lược quan trọng của Việt Nam.", "vi",
         "China has become one of Vietnam's important strategic partners.", "not in the original: china",
         "South Korea has become one of Vietnam's important strategic partners."),
        ("Der Botschafter traf den Minister 2019 in Wien.", "de",
         "The ambassador met the minister in Paris in 2019.", "it leaves out Vienna",
         "The ambassador met the minister in Vienna in 2019."),
    ],
)
def test_a_translation_putting_another_place_in_place_of_the_originals_is_refused(original, lang_from, wrong, reason, right):
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    refused = verifier.check_translation(original, lang_from, wrong, "en", cosine=0.95, judge=0.9)
    assert not refused.supported and refused.reason == reason
    assert verifier.check_translation(original, lang_from, right, "en", cosine=0.95, judge=0.9).supported


@pytest.mark.parametrize(
    "original, lang_from, text, lang_to",
    [
        (DE, "de", "Coach Anna Berg did not praise the player Paul Roth after the game.", "en"),
        ("Korea ist der größte Investor in Vietnam.", "de", "Korea is not the largest investor in Vietnam.", "en"),
        ("Hàn Quốc không phải là nhà đầu tư lớn nhất.", "vi", "South Korea is the largest investor.", "en"),
        ("Le ministre n'a pas reçu l'ambassadeur.", "fr", "The minister received the ambassador.", "en"),
        # "without" negates no claim: a "nicht" added beside "ohne" turns the sentence round all the same.
        ("They are mass-produced without a designated buyer.", "en",
         "Sie werden ohne einen bestimmten Käufer nicht in Massen hergestellt.", "de"),
    ],
)
def test_a_negation_added_or_lost_is_caught(original, lang_from, text, lang_to):
    assert negation_changed(original, lang_from, text, lang_to)


@pytest.mark.parametrize(
    "original, lang_from, text",
    [
        # A negation word joined by a hyphen is a prefix, on either side.
        ("Diese nicht-marxistischen Schriftsteller blieben aktiv.", "de", "These non-Marxist writers remained active."),
        ("Internet2 ist ein gemeinnütziges Konsortium.", "de", "Internet2 is a not-for-profit consortium."),
        # Vietnamese marks tell "dùng"/"dụng" (use) from "đừng" (don't); "hàng không" is aviation.
        ("Hai bên hợp tác phát triển và ứng dụng các công nghệ mới.", "vi", "Both sides cooperate in developing and applying new technologies."),
        ("Hãng hàng không Vietnam Airlines mở đường bay mới.", "vi", "Vietnam Airlines opened a new route."),
        # "No." before a number abbreviates "number".
        ("Kenia hat das Übereinkommen 81 ratifiziert.", "de", "Kenya has ratified Convention No. 81."),
        # A privative preposition is no negation: "ohne Außenstromversorgung" may be a "plugs-out" test.
        ("Der Bodentest ohne Außenstromversorgung begann am 27. Januar 1967.", "de", "The plugs-out test began on January 27, 1967."),
    ],
)
def test_words_that_only_look_like_negations_are_not_counted(original, lang_from, text):
    assert not negation_changed(original, lang_from, text, "en")


def test_a_vietnamese_negation_is_still_seen_with_its_marks():
    assert negation_changed("Bộ trưởng không dùng điện thoại.", "vi", "The minister uses the phone.", "en")
    assert not negation_changed("Bộ trưởng không dùng điện thoại.", "vi", "The minister does not use the phone.", "en")


@pytest.mark.parametrize(
    "original, text, flipped",
    [
        # Joined into one score, range or ratio: the order is the claim.
        ("Sie gewannen 20-18 gegen Boston.", "They won 18-20 against Boston.", True),
        ("Die Temperatur stieg um 0,3 bis 0,6 °C.", "The temperature rose by 0.6 to 0.3 °C.", True),
        ("Die Siedler waren 20 zu 1 überlegen.", "The settlers were outnumbered 1 to 20.", True),
        # In different parts of the sentence, numbers follow the translation's word order.
        ("2009 waren 400 Beamte beim Ministerium angestellt.", "The ministry employed 400 officers in 2009.", False),
        ("Zwischen 1975 und 1996 0,62 ± 0,37 Tonnen pro Hektar.", "0.62 ± 0.37 tons per hectare between 1975 and 1996.", False),
        ("Bei nur 17 Sekunden Spielzeit fingen sie die 2-Point Conversion ab.",
         "They intercepted the 2-point conversion with 17 seconds left.", False),
    ],
)
def test_joined_numbers_keep_their_order_and_numbers_apart_may_move(original, text, flipped):
    assert bool(order_changed(original, text, "de")) is flipped


def test_names_swapped_between_roles_change_their_order():
    swapped = "Coach Paul Roth praised the player Anna Berg after the game on 3 June 2021."
    assert order_changed(DE, swapped)


def test_words_of_one_name_may_change_their_order_but_two_names_may_not():
    original = "Seine Vorträge wurden 1934 von der Presse der Oxford University veröffentlicht."
    # English puts the head of a name last: one name in the translation, its words in any order
    assert order_changed(original, "His lectures were published in 1934 by the Oxford University Press.", "de") == []
    # … only when written as one name: words apart ("Oxford University's Press") keep the original's order
    assert order_changed(original, "His lectures were published in 1934 by Oxford University's Press.", "de")
    assert order_changed("Anna Berg lobte Paul Dubois.", "Paul Dubois praised Anna Berg.", "de") == [("berg", "dubo")]


def test_two_countries_keep_their_order_unless_joined_as_a_pair():
    """The issue's reversed relation: who invests in whom, told by the countries' order, each written as its
    own language names it."""
    korea = "Korea ist derzeit der größte Direktinvestor in Vietnam."
    assert order_changed(korea, "Vietnam is currently the largest direct investor in Korea.", "de", "en") == [("korea", "vietnam")]
    assert order_changed(korea, "Korea is currently the largest direct investor in Vietnam.", "de", "en") == []
    assert order_changed("Hàn Quốc là nhà đầu tư lớn nhất tại Việt Nam.", "Vietnam is the largest investor in Korea.", "vi", "en")
    # a pair joined by "and" (or a dash) says nothing by its order, on either side
    joined = "Die Zusammenarbeit zwischen Vietnam und Korea wächst."
    assert order_changed(joined, "Cooperation between Korea and Vietnam is growing.", "de", "en") == []
    assert order_changed("Hợp tác Việt Nam - Hàn Quốc phát triển.", "Korea-Vietnam cooperation grows.", "vi", "en") == []
    # a possessor comes first in English: "Vietnam's largest investor" is the same relation
    assert order_changed(korea, "Vietnam's largest direct investor is currently Korea.", "de", "en") == []
    # without the translation's language, countries are not compared
    assert order_changed(korea, "Vietnam is currently the largest direct investor in Korea.", "de") == []


def test_a_word_left_in_the_original_language_is_caught_but_a_copied_name_is_not():
    original = "Die neue Brücke über den Rhein wurde von Bürgermeisterin Anna Berg eröffnet."
    assert untranslated_words(original, "de", "The new bridge over the Rhine was eröffnet by Mayor Anna Berg.", "en") == ["eröffnet"]
    # A capitalised word in English is read as a name kept as written ("Warschau"), so a German noun left
    # in an English sentence goes unseen: the price of not refusing every exonym (see BENCHMARKS.md).
    assert untranslated_words(original, "de", "The new Brücke over the Rhine was opened by Mayor Anna Berg.", "en") == []
    assert untranslated_words(original, "de", "The new bridge over the Rhine was opened by Mayor Anna Berg.", "en") == []


def test_a_title_left_in_the_originals_form_is_untranslated_even_capitalised():
    original = "Der Minister hofft, dass der Botschafter als Brücke zwischen koreanischen Experten dient."
    assert untranslated_words(original, "de", "The Minister hopes that the Botschafter will serve as a bridge between Korean experts.", "en") == ["Botschafter"]
    assert untranslated_words(original, "de", "The Minister hopes that the ambassador will serve as a bridge between Korean experts.", "en") == []
    tenure = "Es wird während der Amtszeit des Botschafters mehr Zusammenarbeit geben."
    assert untranslated_words(tenure, "de", "There will be more cooperation during the Botschafters’ tenure.", "en") == ["Botschafters"]
    # a name kept as written is not a title ("Institut Pasteur"), nor is an English title ("Premier League")
    assert untranslated_words("Er besuchte das Institut Pasteur.", "de", "He visited the Institut Pasteur.", "en") == []
    assert untranslated_words("Er spielt in der Premier League.", "de", "He plays in the Premier League.", "en") == []


def test_a_title_copied_with_a_letter_wrong_is_untranslated_but_the_english_title_is_not():
    """The real model wrote "Botchafter Choi Youngsam" for "Botschafter Choi Youngsam" and it was shown as a
    verified translation: the exact check cannot see a garbled copy. A word nearer the original's form of a
    title than to the English title is one; "President" for "Präsident" is the translation."""
    original = "Vietnam und Korea arbeiten während der Amtszeit von Botschafter Choi Youngsam enger zusammen."
    assert untranslated_words(original, "de", "Vietnam and Korea cooperate more closely during the tenure of Botchafter Choi Youngsam.", "en") == ["Botchafter"]
    assert untranslated_words(original, "de", "Vietnam and Korea cooperate more closely during the tenure of Ambassador Choi Youngsam.", "en") == []
    president = "Der Präsident der Republik Korea besuchte Hanoi."
    assert untranslated_words(president, "de", "The President of the Republic of Korea visited Hanoi.", "en") == []
    assert untranslated_words(president, "de", "The Prasidant of the Republic of Korea visited Hanoi.", "en") == ["Prasidant"]


def test_translations_into_other_languages_than_english_are_checked_for_titles_too():
    """Titles are named in every language's form (the lexicon's table): a translation into Vietnamese or
    German that leaves the original's title as written, or names an office the original does not, is refused
    like an English one; a title in the translation's own words passes."""
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    original = "Menteri Nguyen Manh Hung menerima Duta Besar Korea Choi Youngsam di Hanoi."

    def reason(text: str, lang: str) -> str | None:
        return verifier.check_translation(original, "id", text, lang, cosine=0.95, judge=0.9).reason

    assert reason("Bộ trưởng Nguyễn Mạnh Hùng đã tiếp Duta Besar Hàn Quốc Choi Youngsam tại Hà Nội.", "vi") == (
        "left untranslated: Duta Besar"
    )
    assert reason("Bộ trưởng Nguyễn Mạnh Hùng đã tiếp Đại sứ Hàn Quốc Choi Youngsam tại Hà Nội.", "vi") is None
    assert reason("Minister Nguyen Manh Hung empfing den koreanischen Botschafter Choi Youngsam in Hanoi.", "de") is None
    assert reason("Minister Nguyen Manh Hung empfing den koreanischen Bürgermeister Choi Youngsam in Hanoi.", "de") == (
        "not in the original: Bürgermeister"
    )


def test_a_month_the_translation_writes_by_its_number_is_the_originals_named_month():
    """Vietnamese writes a month by its number ("ngày 10 tháng 5"): the 5 is not a number the translation
    invented when the original names May ("10 Mei", "8. Mai", "May 8"), and a wrong month is still refused."""
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    for original, lang in [("Menteri Hung menerima Duta Besar Choi pada tanggal 10 Mei.", "id"),
                           ("Minister Hung empfing Botschafter Choi am 10. Mai.", "de"),
                           ("Minister Hung received Ambassador Choi on May 10.", "en")]:
        right = "Bộ trưởng Hùng đã tiếp Đại sứ Choi vào ngày 10 tháng 5."
        assert verifier.check_translation(original, lang, right, "vi", cosine=0.95, judge=0.9).supported, original
        wrong = verifier.check_translation(original, lang, right.replace("tháng 5", "tháng 6"), "vi", cosine=0.95, judge=0.9)
        assert not wrong.supported and "6" in wrong.reason


def test_a_month_left_in_the_originals_name_or_lost_is_refused():
    """The small model writes "ngày 10 Mei" into Vietnamese (seen on the seeds): a date's month in a name the
    translation's language does not write is left untranslated, however short; a Vietnamese "Mai" (a given
    name) is not a month. A month the original names that the translation lost is dropped ("vào tháng Ảo"
    for "in early August"), and a verb is no month ("they march")."""
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)

    def reason(original: str, lang_from: str, text: str, lang: str) -> str | None:
        return verifier.check_translation(original, lang_from, text, lang, cosine=0.95, judge=0.9).reason

    assert reason("Pada tanggal 8 Mei, CMC meluncurkan CMC Korea.", "id", "Ngày 8 Mei, CMC đã ra mắt CMC Korea.", "vi") == (
        "left untranslated: Mei"
    )
    assert reason("Am 8. Mai gründete CMC die CMC Korea.", "de", "On 8 Mai, CMC founded CMC Korea.", "en") == (
        "left untranslated: Mai"
    )
    assert untranslated_words("Bà Mai, 40 tuổi, phát biểu.", "vi", "Mai, 40, spoke.", "en") == []
    assert reason("Le 8 mai, CMC a fondé CMC Korea.", "fr", "Am 8. Mai gründete CMC die CMC Korea.", "de") is None
    assert reason("Minister Hung visited Seoul in early August.", "en", "Bộ trưởng Hùng đã đến Seoul vào tháng Ảo.", "vi") == (
        "it drops month 8"
    )
    assert reason("Sie marschieren nach Washington.", "de", "They march to Washington.", "en") is None
    # an ordinal day dates the month too (seed 001: "… in the capital city of Seoul on May 8th.")
    assert reason("Am 8. Mai gründete CMC die CMC Korea.", "de", "CMC founded CMC Korea on May 8th.", "en") is None
    assert reason("Sie kamen im Juni nach Washington.", "de", "They came to Washington in March.", "en") == "not in the original: month 3"


def test_check_translation_names_what_is_wrong():
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    assert verifier.check_translation(DE, "de", EN, "en", cosine=0.95, judge=0.9).supported
    assert "drops 3" in verifier.check_translation(DE, "de", EN.replace("3 June", "June"), "en", cosine=0.95).reason
    assert "not in the original: 4" in verifier.check_translation(DE, "de", EN.replace("3 June", "4 June"), "en", cosine=0.95).reason
    assert "similarity" in verifier.check_translation(DE, "de", EN, "en", cosine=0.5).reason
    assert "judged unfaithful" in verifier.check_translation(DE, "de", EN, "en", cosine=0.95, judge=0.2).reason
    assert "not written in en" in verifier.check_translation(DE, "de", DE.replace("Die", "Der"), "en", cosine=0.95).reason
    assert verifier.check_translation(DE, "de", DE, "en", cosine=1.0).reason == "no translation"
    dropped = "Coach Anna Berg praised the player after the game on 3 June 2021."
    assert verifier.check_translation(DE, "de", dropped, "en", cosine=0.95).supported  # no store to ask
    # Only names written the same way in another language count: German nouns ("Spieler") are translated.
    names = {"anna", "berg", "paul", "roth"}
    elsewhere = verifier.check_translation(DE, "de", dropped, "en", cosine=0.95, carried=names.__contains__)
    assert elsewhere.reason == "it leaves out paul, roth"


@pytest.mark.parametrize(
    "original, lang_from, text, lang_to",
    [
        ("Việt Nam là đối tác thương mại lớn thứ 3 của Hàn Quốc.", "vi", "Vietnam is Korea's third largest trading partner.", "en"),
        ("Die Stadt hat 37 Hochschulen für Informatik.", "de", "The city has thirty-seven computer science colleges.", "en"),
        ("Die Mannschaft gewann drei Spiele in Folge.", "de", "The team won 3 games in a row.", "en"),
        ("The team won its second title in 2019.", "en", "Die Mannschaft gewann 2019 ihren zweiten Titel.", "de"),
    ],
)
def test_a_number_written_in_words_on_one_side_is_neither_dropped_nor_invented(original, lang_from, text, lang_to):
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    assert verifier.check_translation(original, lang_from, text, lang_to, cosine=0.95, judge=0.9).supported
    # the same sentence with another number in words (or in digits) still fails (numbers in words on both
    # sides, "second" / "dritten", are not compared: the check reads digits and what they may be written as)
    wrong = {"third": "fourth", "thirty-seven": "thirty-six", "3 games": "4 games"}
    for right, other in wrong.items():
        if right in text:
            verdict = verifier.check_translation(original, lang_from, text.replace(right, other), lang_to, cosine=0.95, judge=0.9)
            assert not verdict.supported and ("drops" in verdict.reason or "not in the original" in verdict.reason)


@pytest.mark.parametrize(
    "original, lang_from, text, wrong",
    [
        ("Laut Minister Nguyen Manh Hung erreichen Vietnam und Korea eine neue Ebene.", "de",
         "According to Ambassador Nguyen Manh Hung, Vietnam and Korea reach a new level.", "ambassador"),
        ("Menteri Nguyen Manh Hung menyampaikan bahwa pelaku usaha Vietnam tertarik.", "id",
         "Nguyen Manh Hung, Minister of Industry, said that Vietnamese businesses are interested.", "industry"),
        ("Le directeur Tran Ngoc Thach a déclaré que la ville attire des investisseurs.", "fr",
         "Tran Ngoc Thach, the Deputy Director, declared that the city attracts investors.", "deputy"),
        ("Bộ trưởng Nguyễn Mạnh Hùng cho biết hai bên hợp tác chặt chẽ.", "vi",
         "According to Prime Minister Nguyen Manh Hung, both sides cooperate closely.", "prime"),
        # a person's title opening the sentence is checked too ("Development of …" opening one is not a title)
        ("Minister Nguyen Manh Hung teilte mit, dass vietnamesische Unternehmen interessiert seien.", "de",
         "Ambassador Nguyen Manh Hung stated that Vietnamese companies are interested.", "ambassador"),
        # an academic title the original does not give is invented too
        ("Bộ trưởng Young Min You cho biết kể từ năm 1992, hai nước đã trở thành những người bạn gần bó.", "vi",
         "At the forum, Minister Professor Young Min You said that since 1992, the two countries became close friends.",
         "professor"),
    ],
)
def test_an_office_or_institution_the_original_does_not_name_is_refused(original, lang_from, text, wrong):
    # (A sentence's first word is not checked: capitalised there, "Development" or "State" need not be a title.)
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    verdict = verifier.check_translation(original, lang_from, text, "en", cosine=0.95, judge=0.9)
    assert not verdict.supported and wrong in verdict.reason


@pytest.mark.parametrize(
    "original, lang_from, text",
    [
        ("Bundeskanzler Olaf Scholz empfing den Außenminister.", "de", "Chancellor Olaf Scholz received the Foreign Minister."),
        ("Le directeur adjoint Tran Ngoc Thach a parlé.", "fr", "Deputy Director Tran Ngoc Thach spoke."),
        ("Phó Thủ tướng Trần Lưu Quang đã phát biểu.", "vi", "Deputy Prime Minister Tran Luu Quang spoke."),
        ("Wakil Presiden Ma'ruf Amin membuka acara itu.", "id", "Vice President Ma'ruf Amin opened the event."),
        ("Professorin Anna Berg leitet das Institut.", "de", "Professor Anna Berg heads the institute."),
        ("Minister Nguyen Manh Hung teilte mit, dass Firmen interessiert seien.", "de",
         "Minister Nguyen Manh Hung stated that companies are interested."),
        ("Die Entwicklung der Stadt Hanoi geht weiter.", "de", "Development of the City of Hanoi continues."),
        ("Le professeur Jean Dubois a parlé.", "fr", "Professor Jean Dubois spoke."),
        ("Giáo sư Trần Văn Thọ đã phát biểu.", "vi", "Professor Tran Van Tho spoke."),
    ],
)
def test_offices_the_original_names_in_its_own_words_pass(original, lang_from, text):
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    assert verifier.check_translation(original, lang_from, text, "en", cosine=0.95, judge=0.9).supported


@pytest.mark.parametrize(
    "original, text, supported",
    [
        # a ruler's number the original does not give is invented (HistSumm: the empress became Wilhelm II's wife)
        ("Bey Jhro Majestät der Verwittibten Röm. Kayserin Elisabetha Christina mit denen gewöhnlichen Ceremonien.",
         "At Her Majesty the widowed Roman Empress Elisabetha Christina, the wife of Kaiser Wilhelm II, with the usual ceremonies.",
         False),
        ("Kaiser Heinrich III. adelte den Grafen.", "Emperor Henry III ennobled the count.", True),
        ("Kaiser Heinrich III. adelte den Grafen.", "Emperor Henry IV ennobled the count.", False),
        ("Die Börse arbeitete bis zum Zweiten Weltkrieg.", "The exchange operated until World War II.", True),  # in words
        ("Ludwig XIV. baute Versailles.", "Louis XIV built Versailles.", True),
        ("Die Firma zog nach Washington, D.C.", "The company moved to Washington DC.", True),  # an acronym, not a number
    ],
)
def test_a_roman_numeral_after_a_name_is_a_number_the_original_must_state(original, text, supported):
    verifier = Verifier(embedder=None, threshold=0.85, translation_threshold=0.9, faithfulness_threshold=0.5)
    verdict = verifier.check_translation(original, "de", text, "en", cosine=0.95, judge=0.9)
    assert verdict.supported is supported
    if not supported:
        assert verdict.reason.startswith("not in the original: I")
