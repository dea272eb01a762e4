"""The language a question is asked in (``assistant.text.language.question_language``): real lingua models."""

from assistant.text.language import LANGUAGE_NAMES, question_language

CODES = tuple(LANGUAGE_NAMES)


def test_the_question_language_ignores_names():
    codes = ["en", "de", "vi", "fr", "id"]
    assert question_language("Who is Nguyen Manh Hung?", codes) == "en"
    assert question_language("Since when have Vietnam and South Korea had diplomatic relations?", codes) == "en"
    assert question_language("Wann wurde die Vereinbarung mit dem Ministerium unterzeichnet?", codes) == "de"


def test_an_indonesian_question_that_reads_as_malay_is_indonesian_where_the_library_is():
    # TyDi QA questions lingua reads as Malay by a clear margin ("dimanakah letak": 0.64 to 0.30).
    for question in ("Dimanakah letak Manchuria ?", "Apa nama mata uang Lebanon ?", "kapan Naguib Mahfouz dilahirkan?"):
        assert question_language(question, CODES, ["en", "id"]) == "id"
        assert question_language(question, CODES, ["en", "ms"]) == "ms"  # a Malay library: the reader's sister
    # With neither in the library, lingua's own reading stands.
    assert question_language("Dimanakah letak Manchuria ?", CODES, ["en", "de"]) == "ms"


def test_a_question_of_one_ordinary_word_is_judged_by_it_when_lingua_is_sure():
    assert question_language("Siapakah R.L. Stine?", CODES, ["en", "id"]) == "id"
    assert question_language("Pourquoi Museveni?", CODES, ["en", "fr"]) == "fr"
    # "how" reads as Polish at 0.51: not sure, so the first preferred language.
    assert question_language("How Nguyen?", CODES, ["en", "vi"]) == "en"
    assert question_language("Nguyen Manh Hung?", CODES, ["de", "en"]) == "de"  # names only
