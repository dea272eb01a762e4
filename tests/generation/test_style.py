from assistant.generation.style import plain_dates


def test_ordinal_dates_take_the_plain_news_form():
    assert plain_dates("He met the ambassador on the 10th of May with the message.") == "He met the ambassador on 10 May with the message."
    assert plain_dates("On 1st August 2024 and May 22nd, 2018.") == "On 1 August 2024 and May 22, 2018."
    assert plain_dates("The 3rd of June 2021 [7].") == "3 June 2021 [7]."


def test_other_ordinals_and_plain_dates_are_left_alone():
    text = "The 4th industrial revolution began on 10 May; the 30th anniversary is in May 2022; the 2nd floor."
    assert plain_dates(text) == text
