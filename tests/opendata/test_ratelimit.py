"""The per-client counter: exact for small limits, batched for large ones, shared through the cache."""

import pytest

from opendata.ratelimit import Counter, parse_rate


@pytest.mark.parametrize(("rate", "expected"), [("600/m", (600, 60)), ("100/5m", (100, 300)), ("10000/d", (10000, 86400))])
def test_rates(rate, expected):
    assert parse_rate(rate) == expected


def test_a_small_limit_is_exact_and_the_next_window_starts_afresh():
    counter = Counter()
    answers = [counter.hit("10.0.0.1", "3/m", now=120.0 + i * 0.01)[0] for i in range(5)]
    assert answers == [True, True, True, False, False]
    assert counter.hit("10.0.0.2", "3/m", now=120.5)[0]
    assert counter.hit("10.0.0.1", "3/m", now=180.0)[0]
    assert counter.hit("10.0.0.1", "3/m", now=150.0)[2] == pytest.approx(30.0)


def test_two_processes_share_the_count_through_the_cache():
    first, second = Counter(), Counter()
    assert first.hit("10.0.0.1", "2/m", now=60.0)[0] and second.hit("10.0.0.1", "2/m", now=60.1)[0]
    assert not first.hit("10.0.0.1", "2/m", now=60.2)[0]
    assert not second.hit("10.0.0.1", "2/m", now=60.3)[0]


def test_a_large_limit_is_counted_in_batches_and_overshoots_by_at_most_one_batch_per_process():
    from django.core.cache import cache

    first, second = Counter(), Counter()
    allowed = 0
    for i in range(1300):  # 1000/m: batches of 10, all within one second
        counter = first if i % 2 else second
        allowed += counter.hit("10.0.0.9", "1000/m", now=600.0 + i * 0.0001)[0]
    assert 1000 <= allowed <= 1000 + 2 * 10
    assert cache.get("opendata:rate:1000/m:10:10.0.0.9") >= 1000 - 2 * 10
