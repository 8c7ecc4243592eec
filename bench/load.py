"""Benchmark: many people at once. N people sign in, open Vital Signs and then a measure.

Run with ``python bench/load.py`` (``--sessions 1,10,30``, ``--size demo|large``). Seeds
a scratch database (the demo council, or ``seed-demo --measures 500 --years 10``), starts
the app as ``make run`` does (``streamlit run dashboard/server.py``, see
``bench/browser.py``), and for each N starts N sessions at once. Each session, as a
person would:

1. opens Vital Signs without being signed in, and gets the sign-in form;
2. signs in as the demo executive: the form's run hands over (an ``auth_redirect``
   message) to ``/session/sign-in``, an HTTP request that sets the HttpOnly sign-in
   cookie and redirects back to Vital Signs, which is opened anew with the cookie;
3. opens a measure (HOU-03) in a new tab, as the table's links do: a new connection
   that carries the sign-in cookie.

It prints, per N, the p50, p95 and max seconds of each step and of the whole session,
the script runs per session, and the server's CPU seconds per session (from the app
process's own accounting in /proc: the whole batch's CPU over N). Budget: <= 0.5 CPU
seconds per session. Exit status 1 when over.

How the server is driven: without a browser. Each session speaks Streamlit's own
websocket protocol (``/_stcore/stream``: protobuf ``BackMsg`` up, ``ForwardMsg`` down)
with the ``websockets`` package, so the figures are the server's, not 2 cores' worth of
Chromium. The sign-in goes through the real form (its widgets' ids are read from the
form the server sends). What the browser's JavaScript would add is played back the way
the browser does it (checked against ``bench/browser.py``, which sees the same number of
runs per load):

- every navigation first fetches the page over HTTP with the tab's cookies, as the
  browser's address bar does; its answer sets Streamlit's anti-forgery cookie
  (``_streamlit_xsrf``), which names the browser a sign-in ticket is good for;
- an ``auth_redirect`` message is followed with HTTP requests (not following their
  redirects blindly: each ``Set-Cookie`` goes in the jar, each ``Location`` is
  requested in turn) until a page answers, which is then opened anew;

- served as a plain script (``dashboard/app.py``; no longer the default) the app's
  cookie component (streamlit-authenticator's ``CookieManager``) reports the browser's
  cookies as its value each time a new instance of it is drawn; each report
  makes the browser ask for another run. The session keeps a cookie jar: a ``set``
  instance puts the sign-in cookie in the jar (its value comes in the component's
  arguments) and every ``getAll`` instance reports the jar;
- the sign-in cookie travels in the ``Cookie`` header of the websocket handshake, which
  is where the app reads it (``st.context.cookies``);
- a new query string sent by the app (``st.query_params``) is sent back with later runs.

A report is sent after the run that drew the component has finished; the browser sends
it as soon as the component's iframe has loaded, which can cut a run short. So the
server does a little less work here than behind a browser, never more. Nor does this
client keep the browser's message cache (``cached_message_hashes``), so it receives
more bytes than a browser would; that costs the server little.

Findings (demo council, a 2-core machine shared with other work): a session makes 8
script runs (sign-in form 2, signing in 3, the measure 3) and costs the server 1.6 to
2.1 CPU seconds (N = 1: 2.06 s; N = 10: 1.63 s; N = 30: 1.88 s). The server uses about
one core whatever N is (one process, one interpreter lock), so sessions queue: the
whole session's p50 was 2.6 s alone, 15.5 s with 10 at once and 57 s with 30. With
``--app-args "--runner.postScriptGC false"`` a session cost 0.82 s (N = 1) and 0.94 s
(N = 10): Streamlit's full garbage collection after every run is most of the cost (see
``bench/browser.py``); bcrypt (0.28 s a sign-in) is most of what remains beyond the
pages themselves.

After issue 23's changes (``runner.postScriptGC = false``; one run per signed-in page
load, see ``bench/browser.py``), the same machine and day: 5 script runs per session
(was 8), 120 KB received (was 232), server CPU per session 0.71 s at N = 1 (was 2.04)
and 0.50 s at N = 10 (was 1.74); p50 of the whole session 3.3 s alone (was 12.3) and
12.9 s with 10 at once (was 45.2), wall times on a busy machine. What remains is mostly
signing in: bcrypt (0.28 s) and, served as a plain script as here, the cookie
component's runs.

Served as ``make run`` serves it (``dashboard/server.py``), smoke runs on a busy machine
(not final figures): 4 script runs per session (the form, signing in, Vital Signs, the
measure), 142 KB received. With Streamlit's file watcher on (its default), one session
cost 1.51 s CPU, 0.79 s of it on the event loop (each new websocket session walks every
loaded module to choose files to watch); with it off, as ``.streamlit/config.toml`` now
sets, 0.70 to 0.76 s at N = 1 (event loop 0.07) and 0.62 s at N = 3. What remains beyond
the pages is signing in: bcrypt (0.28 s) and the form's own run.

Final figures of a later pass (a quieter machine; before -> after folding the sign-in's
database work into two transactions, which moved nothing measurable): 0.38 -> 0.38 s
per session at N = 1, 0.47 -> 0.47 at N = 10, 0.47 -> 0.45 at N = 30, 4 script runs and
146 KB per session; the session's p50 0.45 s alone, 3.2 s with 10 at once, 9.2 s with
30. A session costs more CPU among many than alone (0.38 -> 0.47 s): bcrypt runs on the
second core while the interpreter switches between sessions' script threads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import APP, SIZES, USERNAME, Server, app_env, seed, serve  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402

from tests.browser import PASSWORD  # noqa: E402

SESSIONS = (1, 10, 30)
MEASURE = "code=HOU-03"
BUDGET_CPU_PER_SESSION_S = 0.5
TIMEOUT_S = 300
MAX_RUNS_PER_LOAD = 12
MAX_REDIRECTS = 5
HTTP_OK = 200
REDIRECTS = (301, 302, 303, 307, 308)
SIGNED_IN = "Signed in as"
OPENING = "Opening your page"


class SessionError(RuntimeError):
    """A session did not see what a person would have."""


@dataclass
class Element:
    kind: str
    text: str = ""
    widget_id: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Tab:
    """One browser tab as the server sees it: a websocket, and what the tab would send."""

    url: str
    jar: dict[str, str]
    ws: ClientConnection | None = None
    page_hash: str = ""
    redirect: str = ""
    query: str = ""
    path: str = ""
    runs: int = 0
    received: int = 0
    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)
    values: dict[str, WidgetState] = field(default_factory=dict)

    async def navigate(self, path: str, query: str = "") -> None:
        """Open ``path`` as the browser's address bar would: fetch the page (whose answer
        sets Streamlit's anti-forgery cookie), open its websocket carrying the cookies,
        ask for the run and let it settle."""
        await self.close()
        location = f"/{path}" + (f"?{query}" if query else "")
        status, _ = await self._get(location)
        if status != HTTP_OK:
            raise SessionError(f"{location} answered {status}")
        await self._open()
        await self.load(path, query)

    async def _get(self, location: str) -> tuple[int, str]:
        """One HTTP GET with the jar's cookies, not following a redirect; keeps the
        cookies it sets. Its status and where it redirects to."""
        return await asyncio.to_thread(_get, urljoin(self.url + "/", location), self.jar)

    async def _open(self) -> None:
        headers = {}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        self.ws = await connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            additional_headers=headers,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
            open_timeout=TIMEOUT_S,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def load(self, path: str, query: str = "") -> None:
        """Open ``path`` as a navigation would, then let the components report (each
        report is another run) until nothing more would happen."""
        self.path, self.query = path, query
        await self._run(page_name=path)
        await self._settle({})

    async def submit(self, labels: dict[str, str], button: str) -> None:
        """Fill the text inputs by label and press the (form's) button."""
        extra = []
        for element in self.elements.values():
            if element.kind == "text_input" and element.text in labels:
                state = WidgetState(id=element.widget_id, string_value=labels[element.text])
                self.values[element.widget_id] = state
            if element.kind == "button" and element.text == button:
                extra.append(WidgetState(id=element.widget_id, trigger_value=True))
        if not extra:
            raise SessionError(f"no {button!r} button on the page")
        before = dict(self.elements)
        await self._run(extra=extra)
        if self.redirect:
            await self._follow()
            return
        await self._settle(before)

    async def _follow(self) -> None:
        """Follow an ``auth_redirect``, as the browser does: the cookie request (which
        sets the HttpOnly sign-in cookie in the jar) answers with a redirect back to the
        page, which is then opened anew."""
        target, self.redirect = self.redirect, ""
        for _ in range(MAX_REDIRECTS):
            status, location = await self._get(target)
            if status not in REDIRECTS:
                break
            target = location
        else:
            raise SessionError(f"more than {MAX_REDIRECTS} redirects from {target}")
        parts = urlsplit(target)
        if parts.path.startswith("/session/"):
            raise SessionError(f"the hand-over ended at {target} ({status})")
        await self.navigate(parts.path.lstrip("/"), parts.query)

    def text(self) -> str:
        return "\n".join(e.text for e in self.elements.values())

    async def _settle(self, previous: dict[tuple[int, ...], Element]) -> None:
        """Let the components the last run drew anew report, run by run, until none is
        new (``previous``: what was on the page before that run)."""
        for _ in range(MAX_RUNS_PER_LOAD):
            if not self._report(previous):
                return
            previous = dict(self.elements)
            await self._run()
        raise SessionError(f"still rerunning after {MAX_RUNS_PER_LOAD} runs")

    def _report(self, previous: dict[tuple[int, ...], Element]) -> bool:
        """What the cookie components the last run drew anew would report (True if any:
        the browser then asks for another run)."""
        fresh = [
            (path, e)
            for path, e in self.elements.items()
            if e.kind == "component"
            and (previous.get(path) is None or previous[path].widget_id != e.widget_id)
        ]
        for _path, element in fresh:
            method = element.args.get("method")
            if method == "set":
                self.jar[str(element.args["cookie"])] = str(element.args["value"])
            elif method == "delete":
                self.jar.pop(str(element.args.get("cookie")), None)
            if method in ("set", "delete"):
                self._value(element.widget_id, "true")
        if any(element.args.get("method") in ("set", "delete") for _p, element in fresh):
            fresh = [(p, e) for p, e in self.elements.items() if e.kind == "component"]
        for _path, element in fresh:
            if element.args.get("method") == "getAll":
                self._value(element.widget_id, json.dumps(self.jar))
        return bool(fresh)

    def _value(self, widget_id: str, value: str) -> None:
        self.values[widget_id] = WidgetState(id=widget_id, json_value=value)

    async def _run(self, *, page_name: str = "", extra: list[WidgetState] | None = None) -> None:
        """Ask for a run and read until it (and any run it asks for) has finished."""
        assert self.ws is not None
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        if page_name or not self.page_hash:
            state.page_name = page_name
        else:
            state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend([*self.values.values(), *(extra or [])])
        context = state.context_info
        context.timezone, context.locale = "Europe/London", "en-GB"
        context.url = f"{self.url}/{self.path}" + (f"?{self.query}" if self.query else "")
        await self.ws.send(msg.SerializeToString())
        self.elements = {}
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT_S)
            data = raw if isinstance(raw, bytes) else raw.encode()
            self.received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.runs += 1
                self.elements = {}
            elif kind == "navigation":
                self.page_hash = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "auth_redirect":
                self.redirect = forward.auth_redirect.url
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                path = tuple(forward.metadata.delta_path)
                self.elements[path] = _element(forward.delta.new_element)
            elif kind == "script_finished":
                if forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, jar: dict[str, str]) -> tuple[int, str]:
    """GET ``url`` with the cookies in ``jar``; put the cookies it sets in ``jar`` (and
    drop those it deletes). Its status and ``Location`` header."""
    request = urllib.request.Request(url)
    if jar:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
    try:
        with _OPENER.open(request, timeout=TIMEOUT_S) as response:
            response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    for header in headers.get_all("Set-Cookie") or []:
        pair, *attributes = header.split(";")
        name, _, value = pair.strip().partition("=")
        gone = any(a.strip().lower() in ("max-age=0", "max-age=-1") for a in attributes)
        if gone or value in ("", '""'):
            jar.pop(name, None)
        else:
            jar[name] = value.strip('"')
    return status, headers.get("Location", "")


def _element(new: Any) -> Element:
    kind = new.WhichOneof("type") or ""
    if kind == "component_instance":
        c = new.component_instance
        args = json.loads(c.json_args) if c.json_args else {}
        return Element("component", c.component_name, c.id, args)
    if kind in ("text_input", "button"):
        widget = getattr(new, kind)
        return Element(kind, widget.label, widget.id)
    if kind in ("markdown", "heading", "alert"):
        return Element(kind, getattr(new, kind).body)
    return Element(kind)


# --- one person ----------------------------------------------------------------


@dataclass
class Session:
    steps: dict[str, float] = field(default_factory=dict)
    runs: int = 0
    kb: float = 0.0
    error: str = ""


async def one_person(url: str) -> Session:
    """Sign in on Vital Signs, then open a measure in a new tab; time each step."""
    session = Session()
    jar: dict[str, str] = {}
    tabs = [Tab(url, jar), Tab(url, jar)]
    started = step = time.perf_counter()

    def done(name: str) -> None:
        nonlocal step
        now = time.perf_counter()
        session.steps[name] = now - step
        step = now

    try:
        first = tabs[0]
        await first.navigate("vital-signs")
        if "Password" not in first.text():
            raise SessionError("no sign-in form")
        done("sign-in form")
        await first.submit({"Username": USERNAME, "Password": PASSWORD}, "Sign in")
        _check_signed_in(first, "Vital Signs")
        done("sign in: Vital Signs")
        await first.close()
        measure = tabs[1]
        await measure.navigate("measure", MEASURE)
        _check_signed_in(measure, "the measure")
        done("measure, new tab")
        session.steps["session"] = time.perf_counter() - started
    except (SessionError, OSError, TimeoutError) as error:
        session.error = f"{type(error).__name__}: {error}"
    finally:
        for tab in tabs:
            await tab.close()
    session.runs = sum(t.runs for t in tabs)
    session.kb = sum(t.received for t in tabs) / 1024
    return session


def _check_signed_in(tab: Tab, what: str) -> None:
    text = tab.text()
    if SIGNED_IN not in text or OPENING in text:
        raise SessionError(f"{what} was not drawn signed in: {text[:200]!r}")


async def batch(url: str, n: int) -> list[Session]:
    return list(await asyncio.gather(*(one_person(url) for _ in range(n))))


# --- the run ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report(n: int, sessions: list[Session], cpu: float, loop: float, wall: float) -> bool:
    ok_sessions = [s for s in sessions if not s.error]
    failed = len(sessions) - len(ok_sessions)
    per_session = cpu / n
    within = per_session <= BUDGET_CPU_PER_SESSION_S and not failed
    print(
        f"\nN = {n}: {wall:.1f} s for the batch; server CPU {cpu:.2f} s, {per_session:.2f} s "
        f"per session (event loop {loop / n:.2f} s); budget {BUDGET_CPU_PER_SESSION_S} s  "
        f"{'PASS' if within else 'OVER'}"
    )
    if failed:
        print(f"  {failed} sessions failed, e.g. {next(s.error for s in sessions if s.error)}")
    if not ok_sessions:
        return False
    print(f"  {'step':22s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    for name in ok_sessions[0].steps:
        values = [s.steps[name] for s in ok_sessions]
        print(
            f"  {name:22s} {statistics.median(values):7.2f} {percentile(values, 95):7.2f} "
            f"{max(values):7.2f}"
        )
    runs = statistics.median(s.runs for s in ok_sessions)
    kb = statistics.median(s.kb for s in ok_sessions)
    print(f"  script runs per session {runs:.0f}, {kb:.0f} KB received per session")
    return within


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default=",".join(map(str, SESSIONS)))
    parser.add_argument("--size", default="demo", choices=sorted(SIZES))
    parser.add_argument("--app-args", default="", help="more options for the app's `streamlit run`")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.sessions.split(",") if n]
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        app: Server = serve(
            APP,
            folder / "app.log",
            app_env(seed(folder, args.size), None),
            args=tuple(args.app_args.split()),
        )
        try:
            warm = asyncio.run(batch(app.url, 1))[0]  # caches warm, as for the browser bench
            if warm.error:
                print(f"The warm-up session failed: {warm.error}")
                return 1
            for n in counts:
                cpu, loop, started = app.cpu(), app.main_cpu(), time.perf_counter()
                sessions = asyncio.run(batch(app.url, n))
                wall = time.perf_counter() - started
                ok &= report(n, sessions, app.cpu() - cpu, app.main_cpu() - loop, wall)
        finally:
            app.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
