"""Numbers given to the wrong one of two parallel statements (grounding.attribution), and the verifier refusing them."""

from assistant.backends.embedder import HashingEmbedder
from assistant.grounding.attribution import misattributed
from assistant.grounding.verifier import Verifier

NOMINATIONS = (
    "In the years following these rumors, neither Tesla nor Edison won the Nobel Prize (although Edison received "
    "one of 38 possible nominations in 1915 and Tesla received one of 38 possible nominations in 1937)."
)


def test_a_number_given_to_the_other_name_of_a_parallel_statement_is_found():
    found = misattributed("Tesla received a Nobel Prize bid in 1915.", NOMINATIONS)
    assert [(m.number, m.owner, m.said_of) for m in found] == [("1915", "Edison", "Tesla")]
    assert found[0].reason() == "the source says 1915 of Edison, not of Tesla"
    assert misattributed("In 1915, Tesla was nominated.", NOMINATIONS)  # whatever the order of the claim
    points = "Smith scored 12 points and Jones scored 20 points."
    assert [m.number for m in misattributed("Jones scored 12 points.", points)] == ["12"]


def test_right_attributions_and_other_shapes_pass():
    for right in (
        "Tesla received a Nobel Prize bid in 1937.",
        "Edison received a nomination in 1915.",
        "Edison received a nomination in 1915 and Tesla in 1937.",  # both names: each with its own number
        "There were 38 possible nominations in 1915.",  # 38 is said twice, of both: no owner
    ):
        assert misattributed(right, NOMINATIONS) == [], right
    # Word order alone says nothing: no words tie each name to its number twice over.
    assert misattributed("Tesla won the prize in 1915.", "In 1915 Tesla won the prize, and in 1937 Edison won it.") == []
    assert misattributed("Jones scored 12 points.", "Smith scored 12 points, a record Jones beat in 1999.") == []
    # A number of another kind is not the second name's own: 2012 is no score.
    assert misattributed("Jones scored 12 points.", "Smith scored 12 points and Jones retired in 2012.") == []


def test_the_verifier_refuses_a_misattributed_number_and_keeps_the_right_one():
    emb = HashingEmbedder()
    verifier = Verifier(emb, threshold=0.3)
    texts = {1: NOMINATIONS}
    vectors = {1: emb.embed_passages([NOMINATIONS])[0]}
    wrong = "Tesla received one of 38 possible nominations in 1915"
    v = verifier.check(wrong, emb.embed_queries([wrong])[0], [1], texts, vectors)
    assert v.cosines[1] >= 0.3  # close in meaning, every fact in the source: only the attribution fails
    assert not v.supported and v.reason == "the source says 1915 of Edison, not of Tesla"
    right = "Tesla received one of 38 possible nominations in 1937"
    assert verifier.check(right, emb.embed_queries([right])[0], [1], texts, vectors).supported
