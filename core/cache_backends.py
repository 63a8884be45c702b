"""Cache backends that fail soft: the cache is an optimisation, never a dependency.

Django's file and Redis backends raise whatever the disk or the network raises
(a read-only or full ``CACHE_DIR``, Redis down): one broken cache then turns
every anonymous page and every save (whose signal retires the cached pages)
into a 500. These subclasses catch any error of the store, log it once per
outage, and behave as an empty cache that stores nothing for
``RETRY_SECONDS``, after which the store is tried again.

Invalidations (``incr``, ``decr``, ``delete``, ``delete_many``, ``clear``)
that could not be written are kept and replayed, in order, before the store
is trusted again; until they succeed it stays bypassed, so nobody is served a
value an invalidation should have retired. ``cache.is_failing()`` says
whether the store is being bypassed (``core.caching`` renders uncached then).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("core.cache")

#: Seconds a failed store is left alone before it is tried again.
RETRY_SECONDS = 5
#: Invalidations kept while the store is down (beyond that, ``clear`` once it is back).
MAX_PENDING = 1000


class FailSoftMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._state = threading.local()
        self._lock = threading.Lock()
        self._failed_at = None  # monotonic time of the last failure, None while healthy
        self._pending = []  # invalidations to replay: (method name, args, kwargs)
        self._overflow = False

    # -- state ---------------------------------------------------------------------------------------------

    def is_failing(self):
        """True while the store is bypassed (a recent error, or invalidations not yet replayed)."""
        if self._failed_at is None:
            return False
        if time.monotonic() - self._failed_at < RETRY_SECONDS:
            return True
        return not self._recover()

    def _recover(self):
        """Replay the pending invalidations; True when the store works again."""
        with self._lock:
            if self._failed_at is None:
                return True
            try:
                self._state.raw = True
                if self._overflow:
                    super().clear()
                else:
                    for name, args, kwargs in self._pending:
                        try:
                            getattr(super(), name)(*args, **kwargs)
                        except ValueError:  # incr of a key that is gone: nothing cached under it either
                            pass
            except Exception:  # noqa: BLE001 - any failure of the store means: still down
                self._failed_at = time.monotonic()
                return False
            finally:
                self._state.raw = False
            self._pending, self._overflow, self._failed_at = [], False, None
        logger.warning("cache %s works again; %s", self._alias_text(), "invalidations replayed")
        return True

    def _fail(self, operation, exc):
        with self._lock:
            first = self._failed_at is None
            self._failed_at = time.monotonic()
        if first:
            logger.error(
                "cache %s failed on %s (%s: %s): bypassed, pages render uncached; retried every %s s",
                self._alias_text(), operation, type(exc).__name__, exc, RETRY_SECONDS,
            )

    def _remember(self, name, args, kwargs):
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._overflow = True
            else:
                self._pending.append((name, args, kwargs))

    def _alias_text(self):
        return f"{type(self).__name__}({getattr(self, '_dir', None) or getattr(self, '_servers', '')})"

    # -- guarded calls -------------------------------------------------------------------------------------

    def _read(self, name, default, *args, **kwargs):
        if getattr(self._state, "raw", False):
            return getattr(super(), name)(*args, **kwargs)
        if self.is_failing():
            return default
        try:
            self._state.raw = True
            return getattr(super(), name)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the cache must never break a request
            self._fail(name, exc)
            return default
        finally:
            self._state.raw = False

    def _invalidate(self, name, default, *args, **kwargs):
        if getattr(self._state, "raw", False):
            return getattr(super(), name)(*args, **kwargs)
        if self.is_failing():
            self._remember(name, args, kwargs)
            return default
        try:
            self._state.raw = True
            return getattr(super(), name)(*args, **kwargs)
        except ValueError:
            raise  # incr of a missing key: the caller's business
        except Exception as exc:  # noqa: BLE001
            self._fail(name, exc)
            self._remember(name, args, kwargs)
            return default
        finally:
            self._state.raw = False

    # -- the cache API ---------------------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._read("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._read("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._read("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._read("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._read("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._read("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._read("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._invalidate("incr", None, key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._invalidate("decr", None, key, delta, version)

    def delete(self, key, version=None):
        return self._invalidate("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._invalidate("delete_many", None, list(keys), version)

    def clear(self):
        return self._invalidate("clear", None)


class FailSoftFileBasedCache(FailSoftMixin, FileBasedCache):
    """``FileBasedCache`` that a read-only or full ``CACHE_DIR`` can't break."""


class FailSoftRedisCache(FailSoftMixin, RedisCache):
    """``RedisCache`` that an unreachable Redis can't break."""
