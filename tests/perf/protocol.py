"""A Python client that speaks Streamlit's browser websocket protocol, as the installed frontend does.

It is written against one Streamlit release (STREAMLIT_VERSION): the frontend's way of sending reruns,
fragment ticks, widget states and the ForwardMsg cache can change with any upgrade, so importing this
module on another release fails at once with a message instead of measuring something else silently.
"""

import asyncio
import http.cookiejar
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

import streamlit
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

STREAMLIT_VERSION = "1.67.0"  # the release whose frontend this client was checked against


def check_version(installed: str = streamlit.__version__) -> None:
    """Refuse to run against a Streamlit release the client was not checked against."""
    if installed != STREAMLIT_VERSION:
        raise RuntimeError(
            f"tests/perf/protocol.py speaks the websocket protocol of Streamlit {STREAMLIT_VERSION}, but Streamlit "
            f"{installed} is installed. Compare the frontend's rerun, fragment and widget-state messages with this "
            f"client, then set STREAMLIT_VERSION to {installed}.")


check_version()

class Node:
    """One element or block of the page tree, as the frontend keeps it."""

    __slots__ = ("children", "element", "fragment", "kind", "run")

    def __init__(self, run: str, fragment: str, kind: str, element=None):
        self.run, self.fragment, self.kind, self.element = run, fragment, kind, element
        self.children: dict[int, Node] = {}


VALUE_WIDGETS = {"text_input", "text_area", "checkbox", "radio", "selectbox", "multiselect", "number_input",
                 "date_input"}


def _has(proto, name: str) -> bool:
    try:
        return proto.HasField(name)
    except ValueError:
        return True


def initial_state(kind: str, element) -> WidgetState:
    """The value a widget commits on mount (useBasicWidgetState: the proto's value if set_value, else default)."""
    state = WidgetState(id=element.id)
    use_value = element.set_value
    if kind in ("text_input", "text_area"):
        name = "value" if use_value else "default"
        if _has(element, name):
            state.string_value = getattr(element, name)
    elif kind == "checkbox":
        state.bool_value = element.value if use_value else element.default
    elif kind in ("radio", "selectbox"):
        if use_value and _has(element, "raw_value"):
            state.string_value = element.raw_value
        elif not use_value and element.options and _has(element, "default"):
            state.string_value = element.options[element.default]
    elif kind == "multiselect":
        state.string_array_value.data.extend(
            element.raw_values if use_value else [element.options[i] for i in element.default])
    elif kind == "number_input":
        name = "value" if use_value and _has(element, "value") else "default"
        if _has(element, name):
            if element.data_type == element.DataType.INT:
                state.int_value = int(getattr(element, name))
            else:
                state.double_value = getattr(element, name)
    elif kind == "date_input":
        state.string_array_value.data.extend(element.value if use_value else element.default)
    return state


class StreamlitSession:
    """One browser tab, minus the rendering: the websocket protocol as the installed frontend speaks it."""

    def __init__(self, base_url: str, path: str, query: str, name: str, report: Callable[[str], None]):
        self.base_url, self.page_name, self.query, self.name, self.report = base_url, path, query, name, report
        self.page_hash = ""
        self.root = Node("", "", "root")
        self.widgets: dict[str, WidgetState] = {}
        self.fragment_of: dict[str, str] = {}  # widget id -> the fragment it was drawn in ("" for none)
        self.run_id, self.run_fragments = "", ()
        self.intervals: dict[str, tuple[float, asyncio.Task]] = {}
        self.cache: dict[str, tuple[bytes, int, str]] = {}
        self.cache_runs, self.max_cache_age = 0, 2
        self.alerts: list[tuple[float, int, str]] = []
        self.finished = 0
        self.full_runs = 0  # whole-page runs finished: stale elements are gone after each
        self.ticks_sent = 0
        self.reruns_sent = 0
        self.runs_started = 0  # runs the server began for this session, asked for or pushed (a live page's redraw)
        self.waiters: list[tuple[object, asyncio.Future]] = []
        self.ws = None
        self.closing = False
        self.send_lock = asyncio.Lock()
        self.reader: asyncio.Task | None = None

    # connection -----------------------------------------------------------------------------------
    async def open(self) -> None:
        """What the frontend does on load: page, health (sets the XSRF cookie), host-config, websocket, first run."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def fetch() -> None:
            for url in (f"{self.base_url}/{self.page_name}?{self.query}", f"{self.base_url}/_stcore/health",
                        f"{self.base_url}/_stcore/host-config"):
                opener.open(url, timeout=30).read()

        await asyncio.to_thread(fetch)
        xsrf = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "PLACEHOLDER_AUTH_TOKEN")
        host = urllib.parse.urlsplit(self.base_url).netloc
        self.ws = await connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit", xsrf],
                                origin=self.base_url, additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"},
                                max_size=None, open_timeout=30)
        self.reader = asyncio.create_task(self._read())
        await self.rerun()

    async def close(self) -> None:
        """Close the tab."""
        self.closing = True
        for _, task in self.intervals.values():
            task.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)

    # sending -----------------------------------------------------------------------------------------
    async def rerun(self, fragment_id: str = "", auto: bool = False, extra: tuple[WidgetState, ...] = ()) -> None:
        """Send rerun_script with every widget state, as sendRerunBackMsg does."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        if self.page_hash:
            rerun.page_script_hash = self.page_hash
        else:
            rerun.page_name = self.page_name
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = auto
        states = {**self.widgets, **{s.id: s for s in extra}}
        rerun.widget_states.widgets.extend(states.values())
        rerun.cached_message_hashes.extend(self.cache)
        info = rerun.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Paris", -60, "en-GB"
        info.url, info.is_embedded, info.color_scheme = f"{self.base_url}/{self.page_name}?{self.query}", False, "light"
        async with self.send_lock:
            await self.ws.send(msg.SerializeToString())
        self.reruns_sent += 1

    async def click(self, widget_id: str) -> None:
        """A button press: one rerun carrying its trigger, which is then forgotten; inside a fragment, of it only."""
        await self.rerun(self.fragment_of.get(widget_id, ""), extra=(WidgetState(id=widget_id, trigger_value=True),))

    async def submit(self, typed: dict[str, WidgetState], button_id: str) -> None:
        """Save after typing: the fields the person changed (each committed as it is left) and the Save trigger."""
        for state in typed.values():
            self.widgets[state.id] = state
        await self.click(button_id)

    async def _tick(self, fragment_id: str, interval: float) -> None:
        started = time.monotonic()
        beat = 1
        while not self.closing:
            await asyncio.sleep(max(0.0, started + beat * interval - time.monotonic()))
            beat += 1
            try:
                await self.rerun(fragment_id, auto=True)
                self.ticks_sent += 1
            except websockets.ConnectionClosed:
                return

    # receiving -----------------------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            async for data in self.ws:
                self._handle(data)
        except websockets.ConnectionClosed as closed:
            if not self.closing:
                self.report(f"{self.name}: websocket closed ({closed})")
        except Exception as error:  # noqa: BLE001 - a protocol failure is a reported error, not a crash
            self.report(f"{self.name}: {type(error).__name__}: {error}")
        finally:
            if not self.closing:
                self.report(f"{self.name}: connection ended")
            for _, future in self.waiters:
                if not future.done():
                    future.set_exception(ConnectionError(f"{self.name} disconnected"))

    def _handle(self, data: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.report(f"{self.name}: ForwardMsg cache miss {msg.ref_hash}")
                return
            metadata = msg.metadata
            msg = ForwardMsg()
            msg.ParseFromString(cached[0])
            msg.metadata.CopyFrom(metadata)
            kind = msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash not in self.cache:
            self.cache[msg.hash] = (data, self.cache_runs, msg.delta.fragment_id if kind == "delta" else "")
        if kind == "new_session":
            self.runs_started += 1
            self.run_id, self.run_fragments = msg.metadata.run.script_run_id, tuple(msg.metadata.run.fragment_ids)
            if not self.run_fragments:
                for _, task in self.intervals.values():
                    task.cancel()
                self.intervals.clear()
                self.max_cache_age = msg.new_session.config.max_cached_message_age
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.report(f"{self.name}: page not found")
        elif kind == "delta":
            self._delta(msg)
        elif kind == "auto_rerun":
            fragment, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fragment and self.intervals.get(fragment, (None,))[0] != interval:
                if fragment in self.intervals:
                    self.intervals[fragment][1].cancel()
                self.intervals[fragment] = (interval, asyncio.get_running_loop().create_task(
                    self._tick(fragment, interval)))
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                entry = self.intervals.pop(fragment, None)
                if entry:
                    entry[1].cancel()
        elif kind == "script_finished":
            self._finished(msg.script_finished)
            self._wake()  # the page is whole again: what a person would look at

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        which = delta.WhichOneof("type")
        path = list(msg.metadata.delta_path)
        if which not in ("new_element", "add_block") or not path:
            return
        parent = self.root
        for index in path[:-1]:
            parent = parent.children.setdefault(index, Node(self.run_id, delta.fragment_id, "block"))
        if which == "add_block":
            node = Node(self.run_id, delta.fragment_id, "block", delta.add_block)
            old = parent.children.get(path[-1])
            if old is not None and old.kind == "block":
                node.children = old.children
            parent.children[path[-1]] = node
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        parent.children[path[-1]] = Node(self.run_id, delta.fragment_id, kind, getattr(element, kind))
        if hasattr(getattr(element, kind), "id"):
            self.fragment_of[getattr(element, kind).id] = delta.fragment_id
        if kind in VALUE_WIDGETS:
            widget = getattr(element, kind)
            if widget.id not in self.widgets or widget.set_value:
                self.widgets[widget.id] = initial_state(kind, widget)
        elif kind == "alert":
            self.alerts.append((time.time(), element.alert.format, element.alert.body))
            self._wake()
        elif kind == "exception":
            self.report(f"{self.name}: exception on the page: {element.exception.type}: "
                               f"{element.exception.message[:200]}")
        self.on_element(kind, getattr(element, kind))

    def on_element(self, kind: str, element) -> None:
        """Called for every element drawn; a client that watches the page for something overrides it."""

    def _finished(self, status: int) -> None:
        full = status == ForwardMsg.FINISHED_SUCCESSFULLY
        self.full_runs += full
        if full or status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            for container in self.root.children.values():  # main, sidebar, event, bottom: never stale
                self._prune(container, full)
            active: set[str] = set()
            self._widget_ids(self.root, active)
            self.widgets = {k: v for k, v in self.widgets.items() if k in active}
        if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.cache_runs += 1
            for key, (_, runs, fragment) in list(self.cache.items()):
                if self.run_fragments and (not fragment or fragment not in self.run_fragments):
                    continue
                if self.cache_runs - runs > self.max_cache_age:
                    del self.cache[key]
        self.finished += 1

    def _prune(self, node: Node, full: bool) -> None:
        for index, child in list(node.children.items()):
            stale = child.run != self.run_id and (full or child.fragment in self.run_fragments)
            if stale:
                del node.children[index]
            else:
                self._prune(child, full)

    def _widget_ids(self, node: Node, into: set[str]) -> None:
        for child in node.children.values():
            if child.element is not None and hasattr(child.element, "id") and child.kind != "block":
                into.add(child.element.id)
            self._widget_ids(child, into)

    # waiting -------------------------------------------------------------------------------------
    def _wake(self) -> None:
        for check, future in list(self.waiters):
            if future.done():
                self.waiters.remove((check, future))
                continue
            found = check()
            if found:
                future.set_result(found)
                self.waiters.remove((check, future))

    async def until(self, check, timeout: float):
        """Wait until check() returns something truthy after a message; return it."""
        found = check()
        if found:
            return found
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((check, future))
        return await asyncio.wait_for(future, timeout)

    def elements(self, kind: str | None = None):
        """Every element shown now, in page order."""
        found = []

        def walk(node: Node) -> None:
            for index in sorted(node.children):
                child = node.children[index]
                if child.element is not None and (kind is None or child.kind == kind):
                    found.append((child.kind, child.element))
                walk(child)

        walk(self.root)
        return found

    def widget(self, kind: str, *, id_suffix: str = "", form_prefix: str = "", label: str | None = None):
        """The first shown widget of this kind matching an id suffix, a form id prefix and a label."""
        for _, element in self.elements(kind):
            if (element.id.endswith(id_suffix) and element.form_id.startswith(form_prefix)
                    and (label is None or element.label == label)
                    and (not form_prefix or element.form_id)):
                return element
        return None
