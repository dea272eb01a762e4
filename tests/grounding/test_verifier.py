"""The verifier: each citation checked on its own for facts, meaning, language and form."""

import numpy as np

from assistant.backends.embedder import HashingEmbedder
from assistant.grounding.facts import is_repetitive, missing_facts
from assistant.grounding.verifier import Verifier


def test_verifier_needs_both_meaning_and_facts():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=0.5)
    texts = {1: "Da Nang has 37 IT training establishments.", 2: "The weather was fine on Sunday."}
    vectors = dict(zip(texts, emb.embed_passages(list(texts.values()))))
    ok = "Da Nang has 37 IT training establishments"
    v = verifier.check(ok, emb.embed_queries([ok])[0], [1], texts, vectors)
    assert v.supported and v.citations == [1]
    wrong_source = verifier.check(ok, emb.embed_queries([ok])[0], [2], texts, vectors)
    assert not wrong_source.supported and "does not support" in wrong_source.reason
    invented = "Da Nang has 73 IT training establishments"
    v = verifier.check(invented, emb.embed_queries([invented])[0], [1], texts, vectors)
    assert not v.supported and "73" in v.reason
    uncited = verifier.check(ok, emb.embed_queries([ok])[0], [], texts, vectors)
    assert not uncited.supported and uncited.reason == "no citation"
    assert isinstance(v.cosines[1], float) and np.isfinite(v.cosines[1])


def test_facts_are_not_pooled_across_the_cited_sources():
    """Each shown citation supports the sentence on its own: a conflation of two sources fails, and a
    second citation that lacks a fact is dropped while the one that has them all stays."""
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=0.3)
    texts = {
        1: "Da Nang has 37 IT training establishments with 6,000 graduates a year.",
        2: "Hanoi has many IT training establishments and universities.",
    }
    vectors = dict(zip(texts, emb.embed_passages(list(texts.values()))))
    conflated = "Hanoi has 37 IT training establishments"
    v = verifier.check(conflated, emb.embed_queries([conflated])[0], [1, 2], texts, vectors)
    assert min(v.cosines.values()) >= 0.3  # both are close in meaning: only the facts decide
    assert not v.supported and v.citations == []
    assert v.reason.startswith("not in the cited passage")
    one = "Da Nang has 37 IT training establishments"
    v = verifier.check(one, emb.embed_queries([one])[0], [1, 2], texts, vectors)
    assert v.supported and v.citations == [1]


def test_a_source_opening_with_a_pronoun_lends_the_names_of_the_sentence_before_it():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=0.3)
    texts = {1: "He is 39 years old and the oldest quarterback to play in a Super Bowl."}
    vectors = dict(zip(texts, emb.embed_passages(list(texts.values()))))
    named = "Peyton Manning is 39 years old and the oldest quarterback to play in a Super Bowl"
    vector = emb.embed_queries([named])[0]
    alone = verifier.check(named, vector, [1], texts, vectors)
    assert not alone.supported and "peyton" in alone.reason
    context = {1: "Die Broncos wurden von Quarterback Peyton Manning angeführt."}
    assert verifier.check(named, vector, [1], texts, vectors, contexts=context).supported
    # The sentence before lends names, not a claim the source does not make: a number it lacks still fails.
    wrong = named.replace("39", "40")
    v = verifier.check(wrong, emb.embed_queries([wrong])[0], [1], texts, vectors, contexts=context)
    assert not v.supported and "40" in v.reason


def one_source(source: str, threshold: float) -> tuple[HashingEmbedder, Verifier, dict[int, str], dict]:
    """A verifier with the hashed embedder over one numbered source: the embedder, verifier, texts, vectors."""
    emb = HashingEmbedder()
    return emb, Verifier(emb, threshold=threshold), {1: source}, {1: emb.embed_passages([source])[0]}


def test_a_looping_sentence_is_refused_even_when_close_to_its_source():
    source = "Diese Information wurde während des Empfangs des außerordentlichen Botschafters bekannt gegeben."
    emb, verifier, texts, vectors = one_source(source, threshold=0.3)
    looping = "Diese Information wurde während des Empfangs des außerordentlichen anderen anderen anderen anden, anden"
    v = verifier.check(looping, emb.embed_queries([looping])[0], [1], texts, vectors)
    assert v.cosines[1] >= 0.3 and not v.supported and "repetitive" in v.reason
    assert is_repetitive("the the the end") and is_repetitive("a b a b a b a b a b")
    assert not is_repetitive("Da Nang has 37 IT training establishments with about 6,000 graduates a year.")
    assert not is_repetitive("He said that that was all.")  # a word twice in a row is ordinary


def test_a_point_in_the_wrong_language_is_refused_and_names_do_not_count():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=-1.0)  # meaning always passes: only the form is tested
    source = "The Ministry of Science and ICT has been promoting economic growth based on digital technology."
    texts, vectors = {1: source}, {1: emb.embed_passages([source])[0]}
    copied = "The Ministry of Science and ICT has been promoting economic growth based on digital technology"
    v = verifier.check(copied, emb.embed_queries([copied])[0], [1], texts, vectors, "vi", {1: "en"})
    assert not v.supported and v.reason == "not written in vi, the language asked for"
    translated = "Họ đang thúc đẩy tăng trưởng kinh tế dựa trên công nghệ số và ICT"
    assert verifier.check(translated, emb.embed_queries([translated])[0], [1], texts, vectors, "vi", {1: "en"}).supported
    vi_source = "Bộ trưởng Nguyễn Mạnh Hùng đã có cuộc gặp với Bộ trưởng Lee Jong-ho tại Seoul để bàn về hợp tác."
    english = "Minister Nguyen Manh Hung had a meeting with Minister Lee Jong-ho in Seoul about cooperation."
    v = verifier.check(english, emb.embed_queries([english])[0], [1], {1: vi_source}, {1: emb.embed_passages([vi_source])[0]}, "en", {1: "vi"})
    assert v.supported, v.reason


def test_institution_words_of_a_name_are_checked_within_and_across_languages():
    source = "Minister of Information and Communications Nguyen Manh Hung said Vietnamese firms want to invest in Korea."
    wrong = "The Minister of Industry and Trade Nguyen Manh Hung said Vietnamese firms want to invest in Korea."
    assert missing_facts(wrong, source, same_language=True) == ["industry", "trade"]
    right = "The Minister of Information and Communications Nguyen Manh Hung said firms want to invest in Korea."
    assert missing_facts(right, source, same_language=True) == []
    german = "Minister für Information und Kommunikation Nguyen Manh Hung sagte, Firmen wollen in Korea investieren."
    indonesian = "Menteri Informasi dan Komunikasi Nguyen Manh Hung menyampaikan bahwa pelaku usaha ingin berinvestasi di Korea."
    vietnamese = "Bộ trưởng Bộ Thông tin và Truyền thông Nguyễn Mạnh Hùng cho biết doanh nghiệp muốn đầu tư vào Hàn Quốc."
    for other in (german, indonesian, vietnamese):  # across languages, through the table of translations
        assert missing_facts(right, other) == []
        assert missing_facts(wrong, other) == ["industry", "trade"]
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=-1.0)
    v = verifier.check(wrong, emb.embed_queries([wrong])[0], [1], {1: source}, {1: emb.embed_passages([source])[0]}, "en", {1: "en"})
    assert not v.supported and v.reason == "not in the cited passage: industry, trade"


def test_answers_and_briefs_go_through_the_same_checks():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=0.3)
    texts = {
        1: "Da Nang has 37 IT training establishments with about 6,000 graduates a year.",
        2: "Minister Hung received Ambassador Choi Youngsam in Hanoi on 10 May.",
    }
    vectors = {n: emb.embed_passages([t])[0] for n, t in texts.items()}
    langs = {1: "en", 2: "en"}
    # An answer: the copied sentence cites its neighbour and is re-cited; a restated question answers nothing.
    checked = verifier.check_answer(
        "Da Nang has 37 IT training establishments [2]. Ambassador Choi Youngsam was received [2].",
        "How many IT training establishments does Da Nang have?", texts, vectors, langs, "en",
    )
    assert checked[0].supported and checked[0].citations == [1] and checked[0].cited_by_model == [2]
    assert checked[0].reason.startswith("re-cited")
    restated = verifier.check_answer(
        "Da Nang does have IT training establishments [1].", "How many IT training establishments does Da Nang have?",
        texts, vectors, langs, "en",
    )
    assert not restated[0].supported and restated[0].reason == "it only repeats the question"
    # A brief point: the same citation check, and the names other languages share must stay.
    kept = verifier.check_restatement("Minister Hung received Ambassador Choi Youngsam in Hanoi on 10 May.", 2, texts[2], "en",
                                      "en", texts, vectors, carried=lambda word: True)
    assert kept.supported and kept.citations == [2]
    dropped = verifier.check_restatement("Minister Hung received the ambassador in Hanoi on 10 May.", 2, texts[2], "en",
                                         "en", texts, vectors, carried=lambda word: True)
    assert not dropped.supported and "choi" in dropped.reason and "youngsam" in dropped.reason
    invented = verifier.check_restatement("Minister Hung received Ambassador Choi Youngsam on 12 May.", 2, texts[2], "en",
                                          "en", texts, vectors, carried=lambda word: True)
    assert not invented.supported and "12" in invented.reason


def test_a_brief_point_with_words_left_in_the_key_sentences_language_is_refused():
    key = "Menteri meyakini bahwa selama masa jabatan Duta Besar, kerja sama Vietnam dan Korea akan meningkat."
    emb, verifier, texts, vectors = one_source(key, threshold=0.0)
    mixed = verifier.check_restatement("Menteri meyakini that during the tenure of the Duta Besar, Vietnam and Korea will cooperate more.",
                                       1, key, "id", "en", texts, vectors, carried=lambda word: False)
    assert not mixed.supported and mixed.reason == "left untranslated: Menteri, Duta Besar, meyakini"
    english = verifier.check_restatement("The minister believes that during the ambassador's tenure, Vietnam and Korea will cooperate more.",
                                         1, key, "id", "en", texts, vectors, carried=lambda word: False)
    assert english.supported


def test_a_sentence_or_translation_that_drifts_into_another_script_is_refused():
    """The model finished an English brief point in Chinese; every name and number was in its source."""
    source = ("The Minister hopes the Ambassador will be a bridge between Korean semiconductor experts and the Ministry, "
              "and will encourage Korean companies to work with Vietnamese firms on 5G OpenRAN.")
    emb, verifier, texts, vectors = one_source(source, threshold=-1.0)  # closeness passes: only the letters decide
    drifted = "The Minister hopes the Ambassador will encourage Korean companies鼓励韩国 to work on 5G OpenRAN"
    v = verifier.check(drifted, emb.embed_queries([drifted])[0], [1], texts, vectors)
    assert not v.supported and v.reason == "written partly in another script: 鼓励韩国"
    clean = drifted.replace("鼓励韩国", "")
    assert verifier.check(clean, emb.embed_queries([clean])[0], [1], texts, vectors).supported
    german = "Der Minister hofft, dass der Botschafter koreanische Unternehmen ermutigt, an 5G OpenRAN zu arbeiten."
    translation = verifier.check_translation(german, "de", drifted, "en", cosine=0.99, judge=0.99)
    assert not translation.supported and translation.reason == "written partly in another script: 鼓励韩国"
    assert verifier.check_translation(german, "de", clean, "en", cosine=0.99, judge=0.99).reason != translation.reason
