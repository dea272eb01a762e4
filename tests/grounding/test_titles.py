"""Who acts: an answer sentence must not hand its source's statement to another office holder."""

from __future__ import annotations

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.grounding.titles import opening_offices, replaced_actor
from assistant.grounding.verifier import Verifier

#: The rendering of a seed sentence the model answered "What did the ambassador propose?" from.
CONVINCED = ("The Minister is convinced that there will be a more intense cooperation between Vietnam and Korea on the "
             "technological and communication fields during the ambassador's tenure.")
QUESTION = "What did the ambassador propose?"


@pytest.mark.parametrize(
    "text, offices",
    [
        (CONVINCED, {"minister"}),  # "the ambassador's tenure" is past the opening
        ("Minister for Information and Communication, Nguyen Manh Hung, hopes that Ambassador Choi will …", {"minister"}),
        ("Korean Ambassador Choi Youngsam presented his credentials.", {"ambassador"}),
        ("In 2000, the ambassador said the ministers would come.", {"ambassador", "minister"}),  # "said" is common
        ("Tesla was famous for his showmanship.", set()),
        ("He proposed a technology transfer.", set()),  # a pronoun: the sentence before says who
    ],
)
def test_the_office_holders_at_a_sentences_opening(text, offices):
    assert opening_offices(text) == offices


@pytest.mark.parametrize(
    "sentence, source, replaced",
    [
        ("The ambassador proposed a more intense cooperation between Vietnam and Korea [1].", CONVINCED,
         ("minister", "ambassador")),
        ("The Minister is convinced that cooperation will intensify [1].", CONVINCED, None),  # the same actor
        # the source's actor is still named: a meeting told from the other side
        ("Prime Minister Abe met President Obama in Tokyo.", "President Obama met Prime Minister Abe in Tokyo.", None),
        ("Choi Youngsam proposed a technology transfer.", CONVINCED, None),  # no office at the sentence's opening
        ("The ambassador proposed a technology transfer.", "He proposed a technology transfer.", None),  # nor the source's
    ],
)
def test_a_statement_handed_to_another_office_holder_is_found(sentence, source, replaced):
    assert replaced_actor(sentence, source) == replaced


def test_the_verifier_refuses_an_answer_that_hands_the_ministers_statement_to_the_ambassador():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=-1.0)  # closeness passes for any pair: only the words decide
    proposal = "The ambassador proposed three areas of cooperation: technology transfer, 5G and investment."
    texts = {1: CONVINCED, 2: proposal}
    vectors = {n: emb.embed_passages([t])[0] for n, t in texts.items()}
    langs = {1: "en", 2: "en"}
    handed = verifier.check_answer(
        "The ambassador proposed a more intense cooperation between Vietnam and Korea [1].", QUESTION, texts, vectors,
        langs, "en",
    )
    assert not handed[0].supported
    assert handed[0].reason == "the cited passage says it of the minister, not the ambassador"
    kept = verifier.check_answer("The ambassador proposed technology transfer, 5G and investment [2].", QUESTION,
                                 texts, vectors, langs, "en")
    assert kept[0].supported and kept[0].citations == [2]
    # a German source is left to the other checks: the opening is read in English only
    german = {1: "Der Minister ist überzeugt, dass die Zusammenarbeit während der Amtszeit des Botschafters wächst."}
    across = verifier.check_answer("The ambassador proposed a more intense cooperation [1].", QUESTION, german,
                                   {1: emb.embed_passages(german.values())[0]}, {1: "de"}, "en")
    assert all(s.reason != "the cited passage says it of the minister, not the ambassador" for s in across)


def test_a_brief_point_condensed_in_english_keeps_the_office_holder_who_acts():
    """A condensed point is checked against the key sentence's English translation as an answer sentence is
    against its source: the minister's conviction is not the ambassador's."""
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=-1.0)  # closeness passes for any pair: only the words decide
    key = ("Der Minister ist überzeugt, dass die Zusammenarbeit zwischen Vietnam und Korea während der Amtszeit des "
           "Botschafters enger wird.")
    texts = {1: CONVINCED}
    vectors = {1: emb.embed_passages([CONVINCED])[0]}

    def check(point: str):
        return verifier.check_restatement(point, 1, key, "de", "en", texts, vectors, carried=lambda word: False,
                                          text_lang="en")

    handed = check("The ambassador expects more intense cooperation between Vietnam and Korea.")
    assert not handed.supported and handed.reason == "the cited passage says it of the minister, not the ambassador"
    kept = check("The Minister expects more intense cooperation between Vietnam and Korea.")
    assert kept.supported, kept.reason
    # a point condensed into German from a German key sentence is left to the other checks
    german = verifier.check_restatement("Der Botschafter erwartet eine engere Zusammenarbeit zwischen Vietnam und Korea.",
                                        1, key, "de", "de", {1: key}, {1: emb.embed_passages([key])[0]},
                                        carried=lambda word: False)
    assert german.reason != "the cited passage says it of the minister, not the ambassador"
