"""A private Virtuoso open source instance for the tests, and what a client must do to talk to one.

`VirtuosoEngine` (an `engines.Engine`) runs Debian's `virtuoso-t` (package
virtuoso-opensource-7-bin, found with `dpkg -L`) in a temporary directory with its own
virtuoso.ini and database files, HTTP and ISQL bound to 127.0.0.1 on free ports; the system's
instance (/var/lib/virtuoso-opensource-7, port 8890) is never read or started. At its first start
it creates a publishing user with SPARQL_UPDATE and gives dba a random password. The [SPARQL]
limits default to those the Debian package ships, but for MaxQueryExecutionTime (`timeout_s`).

What a client must do, found against Virtuoso 7.2.5 (Debian bookworm) with this project's data:

Graph Store Protocol, `/sparql-graph-crud-auth` with HTTP Digest (MD5, qop=auth; Basic is
refused with 401) as a user granted SPARQL_UPDATE. Plain `/sparql-graph-crud` reads (GET) for
anyone but refuses writes with 403 ("Permission denied for delete from DB.DBA.RDF_QUAD"). A body
is sniffed more than its Content-Type is read: N-Triples as application/n-triples, text/plain
or text/turtle, Turtle as text/turtle, RDF/XML are accepted; N-Quads, TriG and JSON-LD are refused
with 500. PUT ?graph=IRI replaces the graph (201 when it held no triple, 200 when it did; an
empty body leaves it empty, 204); POST adds (duplicates merge). A body is parsed as it is loaded,
so PUT is not atomic: a syntax error after the first lines answers 500 with the old triples gone
and the new ones up to the error loaded (`@prefix broken` leaves the graph empty); only a body
not recognised as RDF from its first kilobytes answers 500 with the graph as it was. Readers see
the graph while it loads. DELETE answers 404 for a graph without triples (Virtuoso has no empty
graphs); `?default` is refused (500). Errors come back as an HTML page, the message in <xmp>.
A publisher should therefore check each graph's COUNT after loading it and only then record the
publication. Sizes: each graph of this dataset (at most 1,408 triples, 230 KB) takes one PUT in
well under a second. 1,021,039 triples (201 MB of N-Triples) took 37 s in one PUT and 61 s to
replace, but two of three such PUTs never answered (the server idle, the connection open, the
transaction log no longer growing); as a PUT of the first 100,000 lines (about 20 MB) and POSTs
of the rest it never stalled (16 s loading, 36 s replacing, three rounds). Chunks must keep
all triples of a blank node together: a label is local to one request, so split ones become new
nodes (744 extra triples here). Give every request a client timeout. Digest costs a round trip:
the first request is answered 401 with a challenge, so its body is sent twice unless the client
reuses the nonce (requests' HTTPDigestAuth does after its first exchange; urllib's handler
does not).

SPARQL Protocol, `/sparql`, anonymous (user SPARQL): POST form-encoded or GET. A POST with
Content-Type application/sparql-query hangs until the client gives up: do not send one.
- Dataset: with no default-graph-uri the default graph is every graph of the instance, Virtuoso's
  own included (virtrdf#, ldp#, …: thousands of triples), so a front end must always send one
  default-graph-uri per published graph: the default graph is then their union (a bag, as on
  Oxigraph). default-graph-uri alone leaves GRAPH ?g ranging over every graph of the instance
  (GRAPH <iri> of one not named finds nothing): send named-graph-uri for each graph too.
  named-graph-uri alone makes the default graph empty (as the protocol says). A query's FROM /
  FROM NAMED are merged with the protocol's parameters instead of being overridden by them, and
  FROM without FROM NAMED leaves GRAPH ?g ranging over every graph; adding a named-graph-uri no
  graph has (named sets are merged, so it adds nothing) gives the protocol's empty named set.
- Parameters: a trailing VALUES block (after the WHERE clause) is refused after ASK, CONSTRUCT
  and DESCRIBE (400: "BINDINGS is not supported at top level for queries other than SELECT", or
  SP030 after ASK) and joined wrongly after a SELECT with a BIND (rows multiply: 4,935 instead of
  9 for fact-provenance.rq); a VALUES block placed first inside the outermost WHERE group answers
  as the embedded store does, for every form.
- Results: SELECT/ASK as application/sparql-results+json (terms may come as the old
  "typed-literal" type, which pyoxigraph reads, but a blank node's value is "nodeID://b10000",
  which pyoxigraph refuses: "Invalid bnode value"; strip the prefix); CONSTRUCT/DESCRIBE as application/n-triples
  (supported; non-ASCII as \\u escapes). Its text/turtle writes a decimal with an integral value as
  a bare integer (81404.00 becomes xsd:integer 81404): do not ask for Turtle. application/n-quads
  is refused with 406. Without Accept it answers SPARQL XML.
- Values differ from Oxigraph's: decimals are canonical ("81404.00" comes back "81404"), a
  boolean expression (EXISTS, BOUND, comparisons, true) comes back as xsd:integer 0/1,
  GROUP_CONCAT drops language tags and ignores a subquery's ORDER BY, GROUP_CONCAT without
  SEPARATOR can fail (SR183, 500), `a|b` paths keep duplicates, and BIND(EXISTS{…}) after a BIND
  and an unmatched OPTIONAL yields 0 for a resource that has the type (timeline.rq's ?planned).
- Errors: a syntax error or unknown prefix answers 400 text/plain "Virtuoso 37000 Error SP030:
  …"; an unknown function, a missing privilege and most run-time failures answer 500 text/plain
  ("Virtuoso 42001 Error SR185: …"); a type error in an expression is an unbound value, not an
  error. Updates (INSERT, CLEAR, LOAD) on /sparql answer 500 (SR186 no permission): the
  anonymous user holds SPARQL_SELECT, not SPARQL_UPDATE.
- Timeouts: the `timeout` parameter (milliseconds) is an "anytime" limit: when it expires the
  answer is 200 with whatever was computed by then (a COUNT of 5,239,296 for a join of billions,
  or no row at all), and only the headers X-SQL-State: S1TAT and X-SQL-Message ("Returning
  incomplete results, query interrupted by result timeout") say so: a client must treat S1TAT as
  a timeout, never as an answer. It came after about 2 s for timeout=1000. A timeout above
  MaxQueryExecutionTime ([SPARQL], seconds; Debian ships 60) is cut to it. Without `timeout`, a
  query past MaxQueryExecutionTime answers 500 "Virtuoso S1T00 Error SR171: Transaction timed
  out". A client that disconnects does not stop its query: it runs on until that limit, so send
  `timeout` with the client's own deadline. MaxQueryCostEstimationTime (seconds; Debian 400) did
  not refuse a four-way cross join even when set to 1: do not count on it.
- Rows: ResultSetMaxRows ([SPARQL]; Debian ships 10,000, the front end's default cap too) cuts a
  SELECT to that many rows with the header X-SPARQL-MaxRows (sent too when the answer has exactly
  that many), and a CONSTRUCT or DESCRIBE to one more triple without any sign. Set it above the
  front end's own row cap (`max_result_rows` here), so that a cut is the front end's, and
  signalled. Apart from it, a query with ORDER BY whose OFFSET + LIMIT passes MaxSortedTopRows
  ([Parameters]; 10,000 unless set, and Debian's ini does not set it) is refused with 500 "SR353:
  Sorted TOP clause specifies more then 100000 rows to sort" (the pages' ORDER BY … LIMIT 100000):
  raise it (`max_sorted_top_rows` here) or keep sorted pages under it.
- Federation and outbound requests: SERVICE answers 500 (SQ070: no select privilege on
  DB.DBA.SPARQL_SINV_2) and sponging (FROM <http://…> with `define get:soft`, `should-sponge`,
  input:grab-*) 500 (SR186), because the anonymous user SPARQL lacks those grants: never grant it
  SELECT on DB.DBA.SPARQL_SINV_2, EXECUTE on DB.DBA.SPARQL_SINV_IMP (what turns SERVICE on) or
  SPARQL_SPONGE. query-uri and xslt-uri are refused (403, "external query sources are
  prohibited", "XSL-T transformation is prohibited"). But built-in functions are callable from
  plain SPARQL: `<bif:http_get>("http://…")` and `bif:http_client` fetch any URL as the server
  (in SELECT, FILTER, ORDER BY; `bif:` is predeclared and function names are case-insensitive),
  `bif:sequence_next` changes state, `bif:sys_stat` reads server facts, `<sql:NAME>` calls the
  procedure DB.DBA.NAME. The engine refuses only some (file_to_string, system,
  registry_set) and no setting was found that turns the rest off: a front end must refuse SERVICE
  and every function IRI in the bif: and sql: schemes before forwarding, as well as Virtuoso's
  DEFINE pragmas (not SPARQL; a standard parser refuses them).
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from pathlib import Path

import requests

from engines import EngineUnavailable, free_port

PACKAGE = "virtuoso-opensource-7-bin"
PUBLISHER = "aichr_publisher"
START_TIMEOUT_S = 120  # a first start creates the database; on a loaded two-core machine that takes several seconds
STOP_TIMEOUT_S = 30
START_ATTEMPTS = 3  # a free port can be taken between choosing it and the server binding it

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {db}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
MaxSortedTopRows = {max_sorted_top_rows}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_result_rows}
MaxQueryCostEstimationTime = {max_cost_s}
MaxQueryExecutionTime = {max_query_s}
"""


@functools.cache
def installed_program(name: str) -> Path | None:
    """`name` (virtuoso-t, isql-vt) as the Debian package installed it, or None without the package."""
    try:
        listing = subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True, text=True, timeout=60, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    for line in listing.stdout.splitlines():
        if line.endswith("/" + name) and os.access(line, os.X_OK):
            return Path(line)
    return None


def missing_reason() -> str | None:
    """Why a Virtuoso instance cannot be started here, or None when it can."""
    missing = [name for name in ("virtuoso-t", "isql-vt") if installed_program(name) is None]
    if missing:
        return f"{' and '.join(missing)} not found: install the Debian package {PACKAGE} (.ci/run does) or virtuoso-opensource"
    return None


def _kill_group(process: subprocess.Popen) -> None:
    """The last resort after a stop that did not end it, or at interpreter exit: the whole process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # it may end between the poll and the kill
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class VirtuosoEngine:
    """A Virtuoso instance of its own on 127.0.0.1: `start()`, its URLs and credentials, `stop()`; a
    `start()` after a `stop()` serves the same database at the same URLs."""

    name = "virtuoso"

    def __init__(
        self,
        workdir: Path | None = None,
        *,
        timeout_s: int = 60,
        max_result_rows: int = 10_000,
        max_cost_s: int = 400,
        max_sorted_top_rows: int = 10_000,
        buffers: int = 10_000,
    ) -> None:
        """Files go in a new folder inside `workdir` (else the system's temporary folder, removed with the
        engine); `timeout_s` is MaxQueryExecutionTime, the others Debian's [SPARQL] limits and Virtuoso's
        [Parameters] MaxSortedTopRows; `buffers` are 8 KB pages of memory."""
        self.workdir = workdir
        self.settings = {"max_result_rows": max_result_rows, "max_query_s": timeout_s, "max_cost_s": max_cost_s}
        self.settings |= {"buffers": buffers, "dirty_buffers": buffers * 3 // 5, "max_sorted_top_rows": max_sorted_top_rows}
        self.http_port, self.isql_port = _two_free_ports()
        self.folder: Path | None = None
        self.process: subprocess.Popen | None = None
        self.password = secrets.token_hex(16)  # hexadecimal, so that it needs no quoting in SQL
        self._dba_password = secrets.token_hex(16)
        self._reaper: weakref.finalize | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    @property
    def credentials(self) -> tuple[str, str]:
        """Digest credentials for the graph store: a user with SPARQL_UPDATE (not dba)."""
        return PUBLISHER, self.password

    def start(self) -> VirtuosoEngine:
        """Start the server and wait until /sparql answers; the first time, create the database, the
        publisher and dba's password (EngineUnavailable without the software)."""
        reason = missing_reason()
        if reason:
            raise EngineUnavailable(reason)
        if self.folder is not None:
            self._launch()
            return self
        for attempt in range(START_ATTEMPTS):
            self._create_folder()
            try:
                self._launch()
                break
            except _PortTaken:
                if attempt == START_ATTEMPTS - 1:
                    raise RuntimeError("Virtuoso could not bind free ports on 127.0.0.1") from None
                self.http_port, self.isql_port = _two_free_ports()
        try:
            self._configure()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """SIGTERM (Virtuoso shuts down cleanly on it), then SIGKILL to its process group if it lingers."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT_S)
        if self._reaper is not None:
            self._reaper()
        self.process, self._reaper = None, None

    def __enter__(self) -> VirtuosoEngine:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def isql(self, statements: str, *, user: str = "dba", password: str | None = None) -> str:
        """Run SQL statements (each ending with `;`) through isql-vt; its output, or RuntimeError with it."""
        program = installed_program("isql-vt")
        if program is None:
            raise EngineUnavailable(str(missing_reason()))
        arguments = [str(program), f"127.0.0.1:{self.isql_port}", user, password or self._dba_password]
        run = subprocess.run(arguments, input=statements, capture_output=True, text=True, timeout=120, check=False)
        if run.returncode != 0 or "*** Error" in run.stdout + run.stderr:
            raise RuntimeError(f"isql failed ({run.returncode}): {run.stdout[-1500:]} {run.stderr[-1500:]}")
        return run.stdout

    def _create_folder(self) -> None:
        """A new folder with the ini for the current ports; one in the system's temporary folder goes with the engine."""
        if self.workdir is not None:
            self.workdir.mkdir(parents=True, exist_ok=True)
        folder = self.folder = Path(tempfile.mkdtemp(prefix="aichr-kg-virtuoso-", dir=self.workdir))
        if self.workdir is None:
            weakref.finalize(self, shutil.rmtree, folder, True)  # at exit it runs after the reaper, made later
        (folder / "db").mkdir()
        (folder / "www").mkdir()
        ini = INI.format(
            db=folder / "db", root=folder / "www", http_port=self.http_port, isql_port=self.isql_port, **self.settings
        )
        (folder / "virtuoso.ini").write_text(ini)

    def _launch(self) -> None:
        if self.folder is None:
            raise RuntimeError("no folder to launch from")
        with (self.folder / "console.log").open("w") as console:
            self.process = subprocess.Popen(
                [str(installed_program("virtuoso-t")), "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so that a last-resort kill takes everything it started
            )
        self._reaper = weakref.finalize(self, _kill_group, self.process)
        try:
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                log = self._log_tail()
                if "Failed HTTP listen" in log or "Failed to start listening" in log:
                    raise _PortTaken()
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: {log}")
            try:
                if requests.get(self.query_url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Virtuoso did not answer within {START_TIMEOUT_S} s: {self._log_tail()}")

    def _configure(self) -> None:
        """The publisher gets SPARQL_UPDATE (what the graph store checks); dba's well-known password is replaced."""
        self.isql(
            f"DB.DBA.USER_CREATE ('{PUBLISHER}', '{self.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{PUBLISHER}";\n'
            f"user_set_password ('dba', '{self._dba_password}');\n",
            password="dba",
        )

    def _log_tail(self) -> str:
        if self.folder is None:
            return ""
        logs = [self.folder / "console.log", self.folder / "db" / "virtuoso.log"]
        return " | ".join(path.read_text(errors="replace")[-1500:] for path in logs if path.exists())


class _PortTaken(Exception):
    """Another process bound a chosen port first."""


def _two_free_ports() -> tuple[int, int]:
    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second
