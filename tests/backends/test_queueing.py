"""Model turns: first come, first served; waiting is reported; a waiter that gives up loses its turn only."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.backends.chat import ChatMessage
from assistant.backends.fake_chat import FakeChatModel
from assistant.backends.queueing import ModelQueue, QueuedChatModel, waiting_reported_to


def test_turns_are_served_in_arrival_order_and_waiters_hear_how_many_are_ahead():
    queue = ModelQueue()
    order: list[int] = []
    heard: dict[int, list[int]] = {1: [], 2: []}
    first_in = threading.Event()
    release = threading.Event()

    def first():
        with queue.turn():
            first_in.set()
            release.wait(5)
            order.append(0)

    def later(i: int):
        with queue.turn(heard[i].append):
            order.append(i)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    first_in.wait(5)
    for i in (1, 2):
        t = threading.Thread(target=later, args=(i,))
        t.start()
        threads.append(t)
        while len(heard[i]) == 0:  # wait until it has taken its ticket
            time.sleep(0.01)
    assert queue.pending == 3
    release.set()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2]
    assert heard[1] == [1, 0] and heard[2][0] == 2 and heard[2][-1] == 0  # "2 ahead" … "your turn"
    assert queue.pending == 0


def test_a_waiter_that_gives_up_does_not_block_the_line():
    queue = ModelQueue()
    holding = threading.Event()
    release = threading.Event()
    served: list[str] = []

    def holder():
        with queue.turn():
            holding.set()
            release.wait(5)

    def impatient(ahead: int):
        raise RuntimeError("browser closed")

    t = threading.Thread(target=holder)
    t.start()
    holding.wait(5)
    with pytest.raises(RuntimeError):
        with queue.turn(impatient):
            pass
    follower = threading.Thread(target=lambda: queue.turn().__enter__() or served.append("follower"))
    follower.start()
    release.set()
    t.join(5)
    follower.join(5)
    assert served == ["follower"]


def test_the_queued_model_reports_waiting_to_the_listener_of_its_thread():
    gate = threading.Event()
    model = QueuedChatModel(FakeChatModel(replies=lambda m: "slow reply" if gate.wait(5) else ""))
    messages = [ChatMessage("user", "hi")]
    outputs: list[str] = []
    first = threading.Thread(target=lambda: outputs.append("".join(model.stream(messages, max_tokens=8))))
    first.start()
    while model.queue.pending == 0:
        time.sleep(0.01)
    heard: list[int] = []

    def second():
        with waiting_reported_to(heard.append):
            outputs.append("".join(model.stream(messages, max_tokens=8)))

    t = threading.Thread(target=second)
    t.start()
    while not heard:
        time.sleep(0.01)
    gate.set()
    first.join(5)
    t.join(5)
    assert heard == [1, 0] and outputs == ["slow reply", "slow reply"]
    assert model.name == "fake" and model.count_tokens(messages) > 0
