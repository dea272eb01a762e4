"""Model turns: first come, first served; waiting is reported; a waiter that gives up loses its turn only;
work done ahead of time gives way to a reader's request."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.backends.chat import ChatMessage
from assistant.backends.fake_chat import FakeChatModel
from assistant.backends.queueing import ModelQueue, QueuedChatModel, ahead_of_time, waiting_reported_to


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


def test_work_ahead_of_time_waits_for_a_readers_whole_request_not_only_its_model_calls():
    """Between a reader's two model calls (retrieval and checks run there) the queue is empty; a call made
    ahead of time still does not take a turn until the reader's request has ended."""
    queue = ModelQueue()
    order: list[str] = []
    between = threading.Event()
    finish = threading.Event()

    def reader():
        with queue.serving_reader():
            with queue.turn():
                order.append("reader 1")
            between.set()
            finish.wait(5)  # the queue is empty here
            with queue.turn():
                order.append("reader 2")

    def ahead():
        with ahead_of_time(), queue.turn():
            order.append("ahead")

    r = threading.Thread(target=reader)
    r.start()
    between.wait(5)
    assert queue.pending == 0 and queue.busy
    a = threading.Thread(target=ahead)
    a.start()
    time.sleep(0.3)
    assert order == ["reader 1"]  # it waits, though no model call is running or waiting
    finish.set()
    r.join(5)
    a.join(5)
    assert order == ["reader 1", "reader 2", "ahead"] and not queue.busy


def test_a_reader_waits_only_for_the_model_call_ahead_of_time_under_way():
    queue = ModelQueue()
    order: list[str] = []
    running = threading.Event()
    release = threading.Event()

    def ahead():
        with ahead_of_time():
            with queue.turn():
                running.set()
                release.wait(5)
                order.append("ahead 1")
            with queue.turn():  # the next call of the same sentence comes after the reader's request
                order.append("ahead 2")

    def reader():
        with queue.serving_reader():
            with queue.turn():
                order.append("reader 1")
            with queue.turn():
                order.append("reader 2")

    a = threading.Thread(target=ahead)
    a.start()
    running.wait(5)
    r = threading.Thread(target=reader)
    r.start()
    while queue.pending < 2:  # the reader has taken its ticket behind the call under way
        time.sleep(0.01)
    release.set()
    a.join(5)
    r.join(5)
    assert order == ["ahead 1", "reader 1", "reader 2", "ahead 2"]


def test_a_readers_request_made_from_a_thread_working_ahead_of_time_is_not_held_back_by_itself():
    queue = ModelQueue()
    done: list[str] = []

    def ahead_then_reader():
        with ahead_of_time(), queue.serving_reader(), queue.turn():
            done.append("reader")

    t = threading.Thread(target=ahead_then_reader)
    t.start()
    t.join(5)
    assert done == ["reader"]
