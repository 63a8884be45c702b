"""The open-data settings refuse a malformed value and name the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


@pytest.mark.parametrize("raw", ["600/m", "100/5m", "10000/d", "5/s"])
def test_a_rate_is_requests_per_window(monkeypatch, raw):
    monkeypatch.setenv("OPENDATA_RATE_LIMIT", raw)
    assert env.env_rate("OPENDATA_RATE_LIMIT", "600/m") == raw


@pytest.mark.parametrize("raw", ["600", "600 per minute", "0/m", "600/w", "m/600"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("OPENDATA_RATE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="OPENDATA_RATE_LIMIT"):
        env.env_rate("OPENDATA_RATE_LIMIT", "600/m")
