"""Scoring the translation check on labelled pairs: decisions at given thresholds, calibration on one half."""

from __future__ import annotations

from assistant.evaluation.faithfulness import ScoredPair, accepted, calibrate, report


def pair(label: str, cosine: float, judge: float, flaw: str | None = None, corruption: str | None = None,
         sure: float | None = None, against: float | None = None) -> ScoredPair:
    return ScoredPair(id=f"{label}-{cosine}-{judge}", split="tune", source="xquad", label=label, corruption=corruption,
                      lang="en", original_lang="de", cosine=cosine, judge=judge, flaw=flaw, confidence=sure,
                      contradiction=against)


PAIRS = [
    pair("faithful", 0.95, 0.9), pair("faithful", 0.93, 0.8), pair("faithful", 0.91, 0.7), pair("faithful", 0.9, 0.4),
    pair("corrupted", 0.94, 0.3, corruption="negation"), pair("corrupted", 0.92, 0.2, corruption="swap_names"),
    pair("corrupted", 0.95, 0.9, flaw="it drops 3", corruption="number"),
    pair("corrupted", 0.93, 0.75, corruption="reversal", sure=-9.0),
]


def test_a_pair_is_accepted_only_when_no_check_refuses_it():
    assert accepted(PAIRS[0], 0.9, 0.5)
    assert not accepted(PAIRS[3], 0.9, 0.5)  # the judge refuses
    assert not accepted(PAIRS[6], 0.5, 0.0)  # a structural flaw refuses whatever the thresholds
    assert accepted(PAIRS[3], 0.9, 0.5, use_judge=False)
    # the model unsure of a word refuses, when a least log-probability is set
    assert accepted(PAIRS[7], 0.9, 0.5) and not accepted(PAIRS[7], 0.9, 0.5, -6.0)
    assert accepted(PAIRS[7], 0.9, 0.5, -10.0) and accepted(PAIRS[0], 0.9, 0.5, -1.0)  # no score: not checked
    # so does the original speaking against its words, when a least sum is set
    against = pair("corrupted", 0.93, 0.75, corruption="reversal", sure=-3.0, against=-14.0)
    assert accepted(against, 0.9, 0.5, -6.0) and not accepted(against, 0.9, 0.5, -6.0, -13.0)
    assert accepted(against, 0.9, 0.5, -6.0, -15.0) and accepted(PAIRS[0], 0.9, 0.5, -6.0, -1.0)


def test_report_counts_acceptance_rejection_precision_and_recall_by_kind():
    r = report(PAIRS, "pairs.jsonl", "fake", 0.9, 0.5)
    assert (r.faithful, r.corrupted) == (4, 4)
    assert r.faithful_accepted == 0.75 and r.corrupted_rejected == 0.75
    assert r.precision == 0.75 and r.recall == 0.75  # rejected: 3 corrupted + 1 faithful
    assert r.rejected_by_kind == {"negation": "1/1", "number": "1/1", "reversal": "0/1", "swap_names": "1/1"}
    assert r.without_judge["corrupted_rejected"] == 0.25


def test_calibration_keeps_80_percent_of_faithful_pairs_and_rejects_the_most_corrupted():
    cosine, judge, sure, against = calibrate(PAIRS, min_faithful_accepted=0.75)
    r = report(PAIRS, "pairs.jsonl", "fake", cosine, judge, sure, against)
    # the reversal passes cosine and judge at any thresholds that keep 3 of 4 faithful: only its low
    # confidence catches it
    assert r.faithful_accepted >= 0.75 and r.corrupted_rejected == 1.0 and sure > -9.0
    # a reversal the model is sure of word by word, but whose original speaks against it, is caught by that
    sure_of_it = [*PAIRS[:7], pair("corrupted", 0.93, 0.75, corruption="reversal", sure=-2.0, against=-20.0),
                  pair("faithful", 0.92, 0.8, sure=-2.5, against=-4.0)]
    cosine, judge, sure, against = calibrate(sure_of_it, min_faithful_accepted=0.8)
    r = report(sure_of_it, "pairs.jsonl", "fake", cosine, judge, sure, against)
    assert r.faithful_accepted >= 0.8 and r.corrupted_rejected == 1.0 and -20.0 < against <= -4.0
