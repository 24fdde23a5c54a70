"""The web chat channel's message rate per connection."""

from __future__ import annotations

from channels.webchat import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=5, per_minute=20, clock=clock)
    assert [limiter.allow("a") for _ in range(7)] == [True] * 5 + [False] * 2
    clock.now += 3  # 20 a minute: one message every 3 seconds
    assert limiter.allow("a") and not limiter.allow("a")


def test_a_thousand_messages_at_once_mostly_dropped() -> None:
    limiter = RateLimiter(burst=5, per_minute=20, clock=Clock())
    assert sum(limiter.allow("flood") for _ in range(1000)) == 5


def test_each_connection_has_its_own_bucket_and_is_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=1, per_minute=1, clock=clock)
    assert limiter.allow("a") and limiter.allow("b")
    assert not limiter.allow("a")
    limiter.forget("a")
    assert limiter.allow("a")


def test_a_person_typing_is_never_limited() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=5, per_minute=20, clock=clock)
    for _ in range(100):
        clock.now += 4  # a message every 4 seconds is fast typing
        assert limiter.allow("person")
