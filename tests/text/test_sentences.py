from hypothesis import given
from hypothesis import strategies as st

from assistant.text.sentences import opens_with_pronoun, sentence_before, split_sentences
from tests.support.paths import SEEDS


def texts(spans, text):
    return [text[s.start : s.end] for s in spans]


def test_splits_on_full_stops_and_keeps_quotes():
    text = 'He said "Yes." Then he left! Did he? Yes.'
    assert texts(split_sentences(text), text) == ['He said "Yes."', "Then he left!", "Did he?", "Yes."]


def test_german_ordinal_dates_and_abbreviations_do_not_split():
    text = "Am Morgen des 10. Mai traf sich Minister Hung mit Dr. Choi, z.B. in Hanoi. Danach ging er."
    assert texts(split_sentences(text), text) == [
        "Am Morgen des 10. Mai traf sich Minister Hung mit Dr. Choi, z.B. in Hanoi.",
        "Danach ging er.",
    ]


def test_german_ordinals_of_counted_nouns_do_not_split_but_a_sentence_ending_in_a_number_does():
    text = "Im 18. Jahrhundert flohen 500.000 Hugenotten, am 3. Spieltag auch. Er wurde 18. Danach ging er."
    assert texts(split_sentences(text), text) == [
        "Im 18. Jahrhundert flohen 500.000 Hugenotten, am 3. Spieltag auch.",
        "Er wurde 18.",
        "Danach ging er.",
    ]


def test_initials_decimals_and_titles():
    text = "Thủ tướng B. TT&TT Nguyễn Minh Hồng phát biểu. Khoảng 6.000 sinh viên tốt nghiệp. M. Kang a parlé."
    assert texts(split_sentences(text), text) == [
        "Thủ tướng B. TT&TT Nguyễn Minh Hồng phát biểu.",
        "Khoảng 6.000 sinh viên tốt nghiệp.",
        "M. Kang a parlé.",
    ]


def test_sentences_glued_without_a_space_are_split_but_dotted_names_are_not():
    text = (
        "An dem Treffen nahmen Beamte teil.Minister Hung empfing ihn. Er nutzt ASP.NET, z.B. auf example.com.Danach "
        "Tp.Hồ Chí Minh. Sie entwickeln 5G OpenRAN.Menteri Hung sprach in den U.S.A. Vor Ort."
    )
    assert texts(split_sentences(text), text) == [
        "An dem Treffen nahmen Beamte teil.",
        "Minister Hung empfing ihn.",
        "Er nutzt ASP.NET, z.B. auf example.com.",
        "Danach Tp.Hồ Chí Minh.",
        "Sie entwickeln 5G OpenRAN.",
        "Menteri Hung sprach in den U.S.A.",
        "Vor Ort.",
    ]


def test_lines_are_sentence_boundaries():
    text = "Headline without stop\nFirst sentence. Second one.\n\nNext paragraph"
    assert texts(split_sentences(text), text) == [
        "Headline without stop", "First sentence.", "Second one.", "Next paragraph",
    ]


def test_hard_wraps_and_stray_blank_lines_do_not_split_a_sentence():
    text = "Minister Hung stressed the ties of coop\n\neration over 25 years (since 1992) with Korea.\nNew line."
    assert texts(split_sentences(text), text) == [
        "Minister Hung stressed the ties of coop\n\neration over 25 years (since 1992) with Korea.",
        "New line.",
    ]
    wrapped = "The ambassador proposed\ncooperation in 5G and\nsemiconductors.\nHeadline"
    assert texts(split_sentences(wrapped), wrapped)[0] == "The ambassador proposed\ncooperation in 5G and\nsemiconductors."


def test_scripts_with_their_own_sentence_marks():
    chinese = "越南和韩国签署了协议。双方将加强合作！会议何时举行？明年。"
    assert texts(split_sentences(chinese), chinese) == ["越南和韩国签署了协议。", "双方将加强合作！", "会议何时举行？", "明年。"]
    japanese = "大臣は「協力を強化する。」と述べた。会議は5月に開かれる。"
    assert texts(split_sentences(japanese), japanese) == ["大臣は「協力を強化する。」と述べた。", "会議は5月に開かれる。"]
    arabic = "هل وقع الوزير الاتفاق؟ نعم، وقعه أمس. وسيزور سيول."
    assert texts(split_sentences(arabic), arabic) == ["هل وقع الوزير الاتفاق؟", "نعم، وقعه أمس.", "وسيزور سيول."]
    hindi = "मंत्री ने समझौते पर हस्ताक्षर किए। बैठक मई में होगी॥ क्या यह सच है?"
    assert texts(split_sentences(hindi), hindi) == ["मंत्री ने समझौते पर हस्ताक्षर किए।", "बैठक मई में होगी॥", "क्या यह सच है?"]


def test_abbreviations_still_hold_before_a_word_in_a_caseless_script():
    text = "Dr. 李明 spoke. 他说。"
    assert texts(split_sentences(text), text) == ["Dr. 李明 spoke.", "他说。"]


@given(
    st.lists(
        st.sampled_from(["会议", "。", "！", "？", "」", "؟", "।", "॥", "وزير", "मंत्री", " ", "\n", "Dr.", "A", "5月", "."]),
        max_size=60,
    )
)
def test_spans_partition_text_in_every_script(parts):
    text = "".join(parts)
    spans = split_sentences(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() and s.end > s.start for s in spans)
    inside = {i for s in spans for i in range(s.start, s.end)}
    assert all(i in inside for i, ch in enumerate(text) if not ch.isspace())


def test_seed_sentences_cover_all_text():
    for path in SEEDS.iterdir():
        text = path.read_text(encoding="utf-8")
        spans = split_sentences(text)
        covered = "".join(text[s.start : s.end] for s in spans)
        assert "".join(covered.split()) == "".join(text.split())
        assert len(spans) > 10


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_spans_partition_non_space_text(text):
    spans = split_sentences(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() and s.end > s.start for s in spans)
    assert "".join(text[s.start : s.end] for s in spans).split() == "".join(
        text[s.start : s.end] for s in spans
    ).split()
    inside = set()
    for s in spans:
        inside.update(range(s.start, s.end))
    assert all(i in inside for i, ch in enumerate(text) if not ch.isspace())


def test_a_sentence_opening_with_a_pronoun_and_the_sentence_before_it():
    assert opens_with_pronoun("He is 39 years old.", "en") and opens_with_pronoun("„Sie stammen aus …", "de")
    assert opens_with_pronoun("Ông cho biết thêm.", "vi") and opens_with_pronoun("Dia mengatakan itu.", "id")
    assert not opens_with_pronoun("Manning is 39 years old.", "en")
    assert not opens_with_pronoun("Hebrew is a language.", "en")  # a whole word, not a prefix
    assert not opens_with_pronoun("He is 39.", None)
    text = "Manning led the Broncos. He is 39 years old."
    assert sentence_before(text, text.index("He")) == "Manning led the Broncos."
    assert sentence_before(text, 0) is None


def test_a_pronoun_after_a_short_opening_phrase_set_off_by_a_comma():
    assert opens_with_pronoun("However, they were able to win the Ekstraklasa title in 2000.", "en")
    assert opens_with_pronoun("In 2000, they won the title.", "en")
    assert opens_with_pronoun("At 39 years old, he is also the oldest quarterback to play in a Super Bowl.", "en")
    assert opens_with_pronoun("Tại Hà Nội, ông cho biết thêm.", "vi")
    assert not opens_with_pronoun("However, Polonia won the title in 2000.", "en")
    # a longer opening clause names its own subject more often than not
    assert not opens_with_pronoun("After the club was relegated in 2013, they played in the fourth league.", "en")
