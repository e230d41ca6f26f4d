"""Prometheus metrics in a registry of the app's own (no process-global state)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    """Request counts and latency per endpoint, timeouts, refused queries, busy workers."""

    def __init__(self, busy_workers: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        busy = Gauge("aichr_sparql_workers_busy", "/sparql workers executing a query now", registry=self.registry)
        busy.set_function(busy_workers)
        self.requests = Counter(
            "aichr_http_requests", "HTTP requests answered", ["endpoint", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "aichr_http_request_seconds", "Time to answer an HTTP request", ["endpoint"], registry=self.registry
        )
        self.timeouts = Counter("aichr_query_timeouts", "Queries stopped at their time budget", registry=self.registry)
        self.rejected = Counter("aichr_queries_rejected", "Queries refused before execution", ["reason"], registry=self.registry)
        # 0 until a supervisor's record is watched: an app served without one has no HTTP workers to lose
        self.worker_restarts = Gauge("aichr_http_worker_restarts", "HTTP workers replaced after a crash", registry=self.registry)
        self.worker_crash_loop = Gauge(
            "aichr_http_worker_crash_loop", "1 while HTTP workers crash in a row", registry=self.registry
        )

    def watch_worker_crashes(self, restarts: Callable[[], int], crash_loop: Callable[[], bool]) -> None:
        """The HTTP workers' crashes, read from the supervisor's record at each scrape."""
        self.worker_restarts.set_function(restarts)
        self.worker_crash_loop.set_function(lambda: float(crash_loop()))

    def observe_request(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
