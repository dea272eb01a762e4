"""A sentence built on the question's words must cite a passage that holds them."""

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.grounding.framing import borrowed_words, same_stem, unspoken_question_words
from assistant.grounding.verifier import Verifier

QUESTION = "What Panther defender was called for holding on third down?"
SACKS = "Pro Bowl defensive tackle Kawann Short led the team with 11 sacks and forced three fumbles."
HOLDING = "On third down, cornerback Josh Norman was called for holding, which gave the Broncos new downs."


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("holding", "hold", True), ("settlers", "settlement", True), ("called", "call", True),
     ("third", "three", False), ("identity", "ideas", False), ("won", "wonder", False)],
)
def test_forms_of_one_word_share_a_stem_and_other_words_do_not(a, b, same):
    assert same_stem(a, b) is same


def test_only_the_question_words_that_say_something_count_as_borrowed():
    # "third" and "down" are common words: they say nothing of the topic
    assert borrowed_words("Kawann Short was called for holding on third down.", QUESTION, "en") == {"called", "holding"}


@pytest.mark.parametrize(
    ("sentence", "question", "passage", "lacking"),
    [
        ("Kawann Short was called for holding on third down.", QUESTION, SACKS, ["called", "holding"]),
        ("David Collins gave the original viking settlers a common identity.",
         "Who upon arriving gave the original viking settlers a common identity?",
         "The first European settlement in the region was established in 1803 under David Collins.",
         ["common", "identity", "original", "viking"]),
        ("Josh Norman was called for holding on third down.", QUESTION, HOLDING, []),
        # a paraphrase with most of the question's words in the passage passes
        ("The Panthers defense surrendered 308 points.", "How many points did the Panthers defense surrender?",
         "The defense of the Panthers gave up only 308 points and ranked sixth in the league.", []),
        # a sentence that borrows one word is not judged by this check
        ("Rollo led them.", "Who led the Normans?", "The weather was fine.", []),
    ],
)
def test_a_passage_lacking_most_borrowed_words_is_named(sentence, question, passage, lacking):
    assert unspoken_question_words(sentence, question, passage, "en") == lacking


def test_an_answer_with_a_name_pasted_into_the_question_is_refused_and_re_cited_where_the_words_stand():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=-1.0)  # closeness passes for any pair: only the words decide
    texts = {1: SACKS, 2: HOLDING}
    vectors = {n: emb.embed_passages([t])[0] for n, t in texts.items()}
    langs = {1: "en", 2: "en"}
    pasted = verifier.check_answer("Kawann Short was called for holding on third down [1].", QUESTION, texts, vectors,
                                   langs, "en")
    assert not pasted[0].supported and pasted[0].reason == "the cited passage does not speak of called, holding"
    right = verifier.check_answer("Josh Norman was called for holding on third down [1].", QUESTION, texts, vectors,
                                  langs, "en")
    assert right[0].supported and right[0].citations == [2] and right[0].reason.startswith("re-cited")
    # a passage in another language than the answer's is left to the other checks
    german = {1: "Kawann Short führte das Team mit 11 Sacks an.", 2: HOLDING}
    across = verifier.check_answer("Kawann Short was called for holding on third down [1].", QUESTION, german,
                                   {n: emb.embed_passages([t])[0] for n, t in german.items()}, {1: "de", 2: "en"}, "en")
    assert across[0].supported and across[0].citations == [1]
