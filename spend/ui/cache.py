"""What the pages read, cached by purpose.

The connection is a resource shared by the process. Inputs, figures, the conventions table and
the alerts are keyed on the database's write counter (and the scenario's settings, or the
reference date), so a slider move recomputes from memory and a write makes every key new.
They are kept as shared resources, not copied per reader: Polars frames are never changed in
place, and copying a hundred thousand conventions' titles at each rerun (as st.cache_data
does, through pickle) cost more than computing them.

On the PostgreSQL store one process serves several authorities: the version names the
authority of the run's scope (`spend.store.backend`), so every cache keyed on it is kept per
authority, and two people on two authorities never share an entry, even at the same write
counter. A write forgets only its own authority's entries.
"""

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

import duckdb
import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import Actor, RoleRules, stored_rules
from spend.domain.conventions import convention_table
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures, compute
from spend.domain.preparation import bills_in, preparation
from spend.domain.records import TABLES
from spend.domain.scenario import Scenario
from spend.domain.what_if import run, title_terms
from spend.exchange.draft import Draft, DraftError, draft_content
from spend.exchange.editing import EditPage, edit_page
from spend.paths import default_db_path
from spend.store import backend
from spend.store.arbitration import read_arbitrations
from spend.store.database import StoreError
from spend.store.restore import restore
from spend.store.users import register_user
from spend.views.alerts import all_alerts
from spend.views.formatting import with_grouped_amounts
from spend.views.provenance import provenance_text, synthetic_warning
from spend.views.scenario_form import FormChoices, form_choices


@contextlib.contextmanager
def session() -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, then free for the command line and other servers.

    The dashboard never creates the file (`make run` runs `init` the first time): a missing
    one is said in French with its latest backup. This process is registered as one of its
    users, so that `python -m spend init --force` does not remove it under the dashboard.
    """
    path = default_db_path()
    register_user(path)
    with store.session(path) as con:
        yield con


def backups() -> list[store.Backup]:
    """The backups of the dashboard's database (on the server: of the chosen authority only),
    the newest first."""
    if backend.database_url() is None:
        return store.list_backups(default_db_path())
    from spend.store import pg_backups  # the server's driver only where it is used

    return [pg_backup(path) for path in pg_backups.list_backups(backend.authority())]


def pg_backup(path: Path) -> store.Backup:
    """A `pg_dump` file of an authority as the Administration page lists it (taken_at in local
    time, as the file backups are): `<authority>-<UTC stamp>-<reason>.dump`."""
    parts = path.stem.split("-", 2)
    try:
        stamp = dt.datetime.strptime(parts[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
        taken_at = stamp.astimezone().replace(tzinfo=None)
    except (IndexError, ValueError):
        taken_at = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return store.Backup(path, taken_at, parts[2].replace("-", " ") if len(parts) > 2 else "")


def restore_backup(backup: Path, actor: Actor) -> None:
    """Put a backup in place of the database (after a backup of it), then forget the figures."""
    if (url := backend.database_url()) is None:
        restore(default_db_path(), backup, actor=actor)
    else:
        from spend.store import pg_backups

        pg_backups.restore(url, backend.authority(), backup, actor=actor)
    after_write()


def last_journal_entry(version: str) -> int | None:
    """The newest journal entry at `version` (0 when none): what an editor remembers when it
    loads a table, to refuse a save on rows changed since (a restore, journaled without a
    table, counts for every table). None when the base was written since `version` was read:
    the page's rows may then be older than the entry, and the page reads the base again."""
    with session() as con:
        if _version(store.query(con, "data_version").row(0)) != version:
            return None
        return int(store.query(con, "last_journal_id", table_name=None)["last_id"][0])


def _version(row: tuple) -> str:
    """The caches' key: the count and time of the writes of recorded data, after the authority
    on the server (whose counters are its own)."""
    return f"{authority_key()}{row[0]}:{row[1]}"


def authority_key() -> str:
    """`<authority>@` on the server (checked against the run's scope), "" on the file."""
    return f"{backend.authority()}@" if backend.database_url() is not None else ""


def checked_version(version: str) -> str:
    """`version` when it is one of the run's authority (on the server), else StoreError: a
    cached read is keyed on the version its caller passes, so a version of another authority
    (a stale session state, a bug) would be served that authority's frames from memory without
    the store's scope check. Cheap: no store access."""
    if backend.database_url() is not None and not version.startswith(authority_key()):
        raise StoreError(
            "Lecture refusée : ces données ne sont pas celles de la collectivité de cette "
            f"session (« {backend.authority()} »). Rechargez la page."
        )
    return version


Cached = TypeVar("Cached", bound=Callable[..., Any])


def _in_scope(cached: Cached) -> Cached:
    """A cached read whose first argument, a version, is checked before the cache is looked
    at (`checked_version`); `clear` clears the cache as before."""

    @functools.wraps(cached, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def checked(version: str, *args: Any, **kwargs: Any) -> Any:
        return cached(checked_version(version), *args, **kwargs)

    checked.clear = cached.clear  # type: ignore[attr-defined]
    return cast(Cached, checked)


# Entries per cache: the current version of each authority in use and the one before it
# (another process's write leaves the old one). One file: two, as ever.
VERSIONS = 8 if os.environ.get("SPEND_DATABASE_URL", "").strip() else 2


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_access_rules(version: str) -> pl.DataFrame:
    with session() as con:
        return store.query(con, "read_access_rules")


class StoreState(NamedTuple):
    """What a run's caches are keyed on, read once per run."""

    version: str  # the count and time of the writes of recorded data
    read_only: bool  # the file cannot be written
    scenarios_version: str  # changes when a scenario is saved or deleted


def read_store_state() -> None:
    """Read once per run what the run's caches are keyed on: the write counter, and whether the
    file can be written. Another process's write is seen at the next run.

    The file is opened only when it changed on disk since it was last read (its size, time and
    identity, and its write-ahead log's): a run of an idle dashboard costs a few system calls.
    """
    path = default_db_path()
    # On the server the file is not the store: its state is read at every run (one query).
    stamp = _file_stamp(path) if backend.database_url() is None else None
    known = _state_by_stamp.get(path)
    if stamp is not None and known is not None and known[0] == stamp:
        st.session_state["store_state"] = known[1]
        return
    with session() as con:
        row = store.query(con, "data_version").row(0)
        read_only = store.is_read_only(con)
    state = StoreState(_version(row), read_only, f"{authority_key()}{row[2]}")
    st.session_state["store_state"] = state
    if backend.database_url() is not None:
        _forget_older(backend.authority(), state.version)
    # Stamped after the session: its own opening (migrations, a checkpoint) is not a change.
    if stamp is not None:
        _state_by_stamp[path] = (_file_stamp(path), state)


_state_by_stamp: dict[Path, tuple[object, StoreState]] = {}
_latest_versions: dict[str, str] = {}  # on the server: the newest version seen per authority


def _forget_older(authority: str, version: str) -> None:
    """An authority written since (here or by another process): its older version's entries
    go, so that a busy authority holds one version's frames, not one per cache entry."""
    before = _latest_versions.get(authority)
    _latest_versions[authority] = version
    if before is not None and before != version:
        for one_key in (*SINGLE_KEYED, cached_provenance, cached_synthetic):
            one_key.clear(before)


def _file_stamp(path: Path) -> tuple[tuple[int, int, int, int], ...] | None:
    """What changes on disk when any process writes the database."""
    stamps = []
    for file in (path, path.with_name(f"{path.name}.wal")):
        try:
            info = file.stat()
        except FileNotFoundError:
            stamps.append((0, 0, 0, 0))
            continue
        stamps.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode))
    return tuple(stamps) if stamps[0] != (0, 0, 0, 0) else None


def store_state() -> StoreState:
    """This run's state of the store (read at the run's first need)."""
    if "store_state" not in st.session_state:
        read_store_state()
    state: StoreState = st.session_state["store_state"]
    return state


def data_version() -> str:
    return store_state().version


def scenarios_version() -> str:
    """Changes when a scenario is saved or deleted (the figures' version does not)."""
    return store_state().scenarios_version


def read_only() -> bool:
    """The database file cannot be written: the pages say so and offer no write."""
    return store_state().read_only


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_inputs(version: str) -> EngineInputs:
    with session() as con:
        return store.load_inputs(con)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_baseline(version: str) -> Figures:
    return compute(cached_inputs(version))


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_scenario(version: str, scenario_json: str) -> Figures:
    # From the recorded figures: only what the scenario changes is computed again.
    return run(
        cached_inputs(version),
        Scenario.from_json(scenario_json),
        cached_baseline(version),
        cached_title_terms(version),
    )


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_title_terms(version: str) -> pl.DataFrame:
    return title_terms(cached_inputs(version))


def cached_figures(version: str, scenario_json: str = "{}") -> Figures:
    """The recorded figures, or those of a scenario (its settings as JSON)."""
    if scenario_json == "{}":
        return cached_baseline(version)
    return cached_scenario(version, scenario_json)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_conventions(version: str) -> pl.DataFrame:
    return convention_table(cached_inputs(version))


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_alerts(version: str, today: dt.date) -> pl.DataFrame:
    figures = cached_baseline(version)
    return all_alerts(figures.balance, cached_conventions(version), figures.titles, today)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_tables(version: str) -> dict[str, pl.DataFrame]:
    """Every table as stored (the Données page's editor and exports)."""
    with session() as con:
        return store.read_all(con)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_form_choices(version: str) -> FormChoices:
    """What the simulation's widgets offer (a hundred thousand conventions' ids among it)."""
    return form_choices(cached_inputs(version))


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_settings(version: str) -> dict[str, str]:
    with session() as con:
        return store.settings(con)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def cached_scenarios(version: str) -> dict[str, str]:
    """Saved scenarios by name; `version` is `scenarios_version()`."""
    with session() as con:
        return store.saved_scenarios(con)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_edit_page(version: str, table: str, search: str, page: int) -> EditPage:
    """A page of a stored table as the editor shows it (text of 10⁵ rows is worth keeping),
    amounts with their thousands grouped (« 3 000,00 », read back as typed)."""
    shown = edit_page(cached_tables(version)[table], TABLES[table], search, page)
    return dataclasses.replace(shown, rows=with_grouped_amounts(shown.rows, TABLES[table]))


def after_scenario_write() -> None:
    """A scenario saved or deleted: only the list of scenarios is read again."""
    if backend.database_url() is None:
        cached_scenarios.clear()
    else:
        cached_scenarios.clear(scenarios_version())
    read_store_state()


def after_write() -> None:
    """Forget the computed frames and texts of the data that changed: on the file, all of
    them; on the server, those of this authority's version before the write (the others are
    keyed on it and age out), never another authority's."""
    if backend.database_url() is None:
        for cached in COMPUTED:
            cached.clear()
        st.cache_data.clear()
    else:  # the version before is forgotten as the new one is read
        forget_authority_profile(backend.authority())
    read_store_state()


# Authorities on the server: listed, and each one's name and rules read, at most once per this
# many seconds (hundreds of authorities are not opened at every run); a rule or name saved
# here is seen at once (`after_write`), one saved by another process within this delay.
AUTHORITIES_SEEN_WITHIN_S = 30


@dataclasses.dataclass(frozen=True)
class AuthorityProfile:
    """What the sidebar and the access check read of an authority they have not opened."""

    name: str  # from its settings, else its id
    stored_rules: RoleRules  # those its administrators saved on its Administration page


@st.cache_resource(show_spinner=False, ttl=AUTHORITIES_SEEN_WITHIN_S, max_entries=1)
def cached_authorities(url: str) -> list[str]:
    from spend.store import postgres

    return postgres.authorities(url)


_profiles: dict[tuple[str, str], tuple[float, AuthorityProfile]] = {}  # (server, authority)
_profiles_guard = threading.Lock()


def authority_profiles(names: list[str]) -> dict[str, AuthorityProfile]:
    """Each authority's name and saved rules: those read within the delay from memory, the
    others read together through one connection (`pg_profiles`)."""
    url = backend.database_url()
    assert url is not None
    now = time.monotonic()
    with _profiles_guard:
        known = {
            name: entry[1]
            for name in names
            if (entry := _profiles.get((url, name))) is not None
            and now - entry[0] < AUTHORITIES_SEEN_WITHIN_S
        }
    missing = [name for name in names if name not in known]
    if missing:
        read = _read_profiles(url, missing)
        with _profiles_guard:
            _profiles.update({(url, name): (now, profile) for name, profile in read.items()})
        known.update(read)
    return {name: known[name] for name in names if name in known}  # an invalid id: left out


def authority_profile(name: str) -> AuthorityProfile:
    return authority_profiles([name])[name]


def forget_authority_profile(name: str) -> None:
    """Its rules or name were just saved here: read them again at the next need."""
    url = backend.database_url()
    with _profiles_guard:
        _profiles.pop((url or "", name), None)


def _read_profiles(url: str, names: list[str]) -> dict[str, AuthorityProfile]:
    from spend.store import pg_profiles

    read = {}
    for name, rules, settings in pg_profiles.read_profiles(url, names):
        if rules is None or settings is None:  # an older schema: its session migrates it
            # The access check reads an authority before anyone may use it: a scope of its own.
            with backend.scope(name, {name}), store.session(default_db_path()) as con:
                rules = list(store.query(con, "read_access_rules").iter_rows())
                settings = store.settings(con)
        title = settings.get("collectivity_name", "").strip()
        read[name] = AuthorityProfile(title or name, stored_rules(rules))
    return read


def provenance() -> str:
    """Where the figures come from, said wherever they are shown."""
    return cached_provenance(data_version())


@_in_scope
@st.cache_data(show_spinner=False, max_entries=4)
def cached_provenance(version: str) -> str:
    with session() as con:
        return provenance_text(store.query(con, "last_write"), store.settings(con))


def synthetic() -> str | None:
    """A warning when the figures are demonstration data, else None."""
    return cached_synthetic(data_version())


@_in_scope
@st.cache_data(show_spinner=False, max_entries=4)
def cached_synthetic(version: str) -> str | None:
    with session() as con:
        return synthetic_warning(store.query(con, "synthetic_writes"))


# Préparation: the drafted deliberation of a year, one article per convention billed in it.
# Made on the Word button's click (at 10⁵ conventions it takes seconds), once per (version,
# year). The frames come from the run that offered the button (underscored: not hashed, the
# version names them), so a click needs no session, whatever the store and its scope.
@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_draft(
    version: str, year: int, _inputs: EngineInputs, _figures: Figures, _settings: dict[str, str]
) -> Draft | str:
    """The deliberation drafted from the recorded figures of `year`, or why there is none."""
    try:
        return draft_content(_inputs, _figures, year, _settings)
    except DraftError as error:
        return str(error)


# Préparation: the prepared lines of a year, with the proposal of the recorded figures (no
# settings) or of a scenario's settings: keyed on the settings, not the scenario's name, which
# a save under the same name keeps while the figures change (scenario saves change no version).
@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_preparation(version: str, year: int, scenario_json: str | None) -> pl.DataFrame:
    """The lines `preparation` gives for `year`, arbitrations included."""
    proposal = None if scenario_json is None else cached_figures(version, scenario_json)
    with session() as con:
        typed = read_arbitrations(con)
    return preparation(cached_inputs(version), cached_baseline(version), year, typed, proposal)


@_in_scope
@st.cache_resource(show_spinner=False, max_entries=4 * VERSIONS)
def cached_bills_in(version: str, year: int) -> bool:
    """Whether the recorded figures bill a convention in `year` (a deliberation to draft)."""
    return bills_in(cached_inputs(version), cached_baseline(version), year)


# Every cache of what the data holds, keyed on the data's version: a write on the file clears
# them all (`after_write`); on the server the single-keyed ones lose their older version's entry
# as the new one is read, the others age out of their few entries.
COMPUTED = (
    cached_inputs,
    cached_baseline,
    cached_scenario,
    cached_conventions,
    cached_alerts,
    cached_tables,
    cached_edit_page,
    cached_settings,
    cached_scenarios,
    cached_form_choices,
    cached_title_terms,
    cached_access_rules,
    cached_draft,
    cached_preparation,
    cached_bills_in,
)


SINGLE_KEYED = tuple(
    c
    for c in COMPUTED
    # keyed on more than the version
    if c
    not in (
        cached_scenario,
        cached_alerts,
        cached_edit_page,
        cached_draft,
        cached_preparation,
        cached_bills_in,
    )
)
