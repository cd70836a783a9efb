"""Offline writing aids: counts, readability, long sentences, passive voice, jargon and questions."""

from __future__ import annotations

import sys

from esncoach.models import PostKind
from esncoach.services import writing_aids
from esncoach.services.writing_aids import analyse, flesch_reading_ease, syllables
from esncoach.store.workspace import Workspace


def test_counts_and_network_formatting() -> None:
    text = "Thanks @marie.dupont and the #Lyon team! Details: https://engage.example.com/t/1. What next?"
    aids = analyse(text, kind=PostKind.SHORT_UPDATE, target=(20, 60))
    assert (aids.mentions, aids.topics, aids.links) == (1, 1, 1)
    assert aids.characters == len(text) and aids.has_question
    assert aids.sentences == 3  # the link's dots do not end a sentence
    assert aids.length_state == "long"
    assert any(h.kind == "length" and "over" in h.message for h in aids.hints)


def test_readability_uses_flesch_with_local_syllables() -> None:
    assert syllables("cardboard") == 2 and syllables("the") == 1 and syllables("reorganisation") >= 5
    assert flesch_reading_ease(100, 10, 150) == round(206.835 - 10.15 - 126.9, 1)
    plain = analyse("We met the team. They cut waste. It saved money. Ask them how they did it?")
    dense = analyse("Comprehensive organisational transformation necessitates institutionalised "
                    "interdepartmental collaboration methodologies notwithstanding considerable implementation "
                    "complexities.")
    assert plain.reading_ease is not None and dense.reading_ease is not None
    assert plain.reading_ease > 80 > 20 > dense.reading_ease
    assert "nltk" not in sys.modules and "textstat" not in sys.modules


def test_hints_point_at_passages() -> None:
    text = ("This decision was taken after careful consideration of the relevant factors, and stakeholders across "
            "every region of the organisation were consulted at length over many months before anything at all was "
            "finally agreed by the committee. We are leveraging synergies going forward.")
    aids = analyse(text, kind=PostKind.LONG_FORM)
    kinds = {h.kind for h in aids.hints}
    assert {"sentence", "passive", "jargon", "question", "readability"} <= kinds
    passive = [text[h.start:h.end] for h in aids.hints if h.kind == "passive"]
    assert "was taken" in passive and "were consulted" in passive
    jargon = [text[h.start:h.end].lower() for h in aids.hints if h.kind == "jargon"]
    assert {"leveraging", "synergies", "going forward", "stakeholders"} <= set(jargon)
    assert aids.longest_sentence_words > 25
    # A reply to a tough question does not need to end with a question.
    assert "question" not in {h.kind for h in analyse(text, kind=PostKind.TOUGH_QUESTION_REPLY).hints}


def test_jargon_list_is_an_editable_setting(ws: Workspace) -> None:
    assert "synergy" in writing_aids.jargon_words(ws)
    writing_aids.set_jargon_words(ws, words=["  blue   sky ", "Blue sky", "", "ideate"])
    assert writing_aids.jargon_words(ws) == ["blue sky", "ideate"]
    aids = writing_aids.analyse_for(ws, "Let us ideate some blue sky thinking with synergy.", kind=PostKind.SHORT_UPDATE)
    assert sorted(h.message.split("”")[0][1:] for h in aids.hints if h.kind == "jargon") == ["blue sky", "ideate"]
    assert aids.target == (150, 600)


def test_a_huge_text_is_analysed_with_capped_hints() -> None:
    text = ("This was decided going forward by the team after a very long discussion about many things. " * 1200)
    aids = analyse(text[:100_000], kind=PostKind.SHORT_UPDATE, target=(150, 600))
    assert aids.words > 15_000
    assert sum(1 for h in aids.hints if h.kind == "jargon") == 5
    assert aids.length_state == "long"
    assert analyse("").words == 0 and analyse("").reading_ease is None
