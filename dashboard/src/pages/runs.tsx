import { useState } from "preact/hooks";
import { API, api } from "../lib/api";
import { formatAgo, formatTime, runDuration } from "../lib/format";
import { usePoll } from "../lib/poll";
import { navigate } from "../lib/router";
import { FILTER_STATES, stateLabel } from "../lib/states";
import { displayName } from "../lib/names";
import type { RunOverviewList } from "../lib/types";
import { ErrorNotice } from "../components/notice";
import { StateBadge } from "../components/state-badge";
import { Tags } from "../components/tags";

const PAGE_SIZE = 20;
const REFRESH_MS = 5000;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list's filters, kept in the page's query string (so a filtered list can be bookmarked). */
interface Filters {
  states: string[];
  tags: Array<[string, string]>;
  name: string;
}

function readFilters(search: string): Filters {
  const q = new URLSearchParams(search);
  const keys = q.getAll("tag_key");
  const values = q.getAll("tag_value");
  return { states: q.getAll("state"), tags: keys.map((k, i) => [k, values[i] ?? ""]), name: q.get("name") ?? "" };
}

function filterQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const s of f.states) q.append("state", s);
  for (const [k, v] of f.tags) {
    // Pairs rather than tag=k:v, so keys that contain ':' work too.
    q.append("tag_key", k);
    q.append("tag_value", v);
  }
  if (f.name) q.set("name", f.name);
  return q;
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

/** The runs list: newest first, filters, search, paging, refreshed every few seconds. */
export function Runs({ search, admin }: { search: string; admin: boolean }) {
  const filters = readFilters(search);
  const [tokens, setTokens] = useState<string[]>([""]);
  const [tagKey, setTagKey] = useState("");
  const [tagValue, setTagValue] = useState("");
  const [query, setQuery] = useState("");
  const [updated, setUpdated] = useState(0);
  const token = tokens[tokens.length - 1] ?? "";
  const apiQuery = filterQuery(filters);
  apiQuery.set("page_size", String(PAGE_SIZE));
  if (token) apiQuery.set("page_token", token);
  const key = apiQuery.toString();
  const list = usePoll(
    async () => {
      const page = await api<RunOverviewList>(`${API}/overview/runs?${key}`);
      setUpdated(Date.now());
      return page;
    },
    REFRESH_MS,
    key,
  );

  const apply = (next: Filters) => {
    setTokens([""]);
    const q = filterQuery(next).toString();
    navigate(q ? `/?${q}` : "/", true);
  };
  const toggleState = (state: string) =>
    apply({ ...filters, states: filters.states.includes(state) ? filters.states.filter((s) => s !== state) : [...filters.states, state] });
  const addTag = (event: Event) => {
    event.preventDefault();
    if (!tagKey.trim()) return;
    apply({ ...filters, tags: [...filters.tags.filter(([k]) => k !== tagKey.trim()), [tagKey.trim(), tagValue]] });
    setTagKey("");
    setTagValue("");
  };
  const onSearch = (event: Event) => {
    event.preventDefault();
    const text = query.trim();
    if (RUN_ID.test(text)) navigate(`/runs/${text.toLowerCase()}`);
    else apply({ ...filters, name: text });
  };
  const now = Date.now();
  const page = list.data;
  const filtered = filters.states.length > 0 || filters.tags.length > 0 || filters.name !== "";

  return (
    <section aria-labelledby="runs-title">
      <div class="page-head">
        <h1 id="runs-title">Runs</h1>
        <a class="button primary" href="/submit">
          Submit a run
        </a>
      </div>

      <div class="filters card">
        <search>
          <form class="search" onSubmit={onSearch}>
            <label for="run-search">Search by run id or name</label>
            <div class="inline">
              <input
                id="run-search"
                type="search"
                value={query}
                placeholder="run id, or the exact run name"
                onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
              />
              <button type="submit" class="button">
                Search
              </button>
            </div>
          </form>
        </search>
        <fieldset class="states">
          <legend>State</legend>
          {FILTER_STATES.map((state) => (
            <label key={state} class="chip-check">
              <input type="checkbox" checked={filters.states.includes(state)} onChange={() => toggleState(state)} />
              {stateLabel(state)}
            </label>
          ))}
        </fieldset>
        <form class="tag-filter" onSubmit={addTag}>
          <fieldset>
            <legend>Tag</legend>
            <div class="inline">
              <label class="visually-hidden" for="tag-key">
                Tag key
              </label>
              <input id="tag-key" placeholder="key" value={tagKey} onInput={(e) => setTagKey((e.target as HTMLInputElement).value)} />
              <label class="visually-hidden" for="tag-value">
                Tag value
              </label>
              <input id="tag-value" placeholder="value" value={tagValue} onInput={(e) => setTagValue((e.target as HTMLInputElement).value)} />
              <button type="submit" class="button">
                Add tag filter
              </button>
            </div>
          </fieldset>
        </form>
        {filtered && (
          <div class="active-filters">
            <span class="muted small">Showing runs with</span>
            {filters.name && (
              <button type="button" class="chip" onClick={() => apply({ ...filters, name: "" })} aria-label={`Remove name filter ${filters.name}`}>
                name = {filters.name} ✕
              </button>
            )}
            {filters.tags.map(([k, v]) => (
              <button
                key={k}
                type="button"
                class="chip"
                onClick={() => apply({ ...filters, tags: filters.tags.filter(([x]) => x !== k) })}
                aria-label={`Remove tag filter ${k}`}
              >
                {k}: {v} ✕
              </button>
            ))}
            <button type="button" class="button subtle" onClick={() => apply({ states: [], tags: [], name: "" })}>
              Clear filters
            </button>
          </div>
        )}
      </div>

      {list.error !== undefined && <ErrorNotice error={list.error} />}
      <p class="muted small" aria-live="polite">
        {list.loading && !page
          ? "Loading runs…"
          : page
            ? `${page.runs.length} run${page.runs.length === 1 ? "" : "s"} on this page · updated ${formatAgo(updated, now)}`
            : ""}
      </p>
      {page && page.runs.length === 0 && <p class="empty">{filtered ? "No runs match these filters." : "No runs yet. Submit one to see it here."}</p>}
      {page && page.runs.length > 0 && (
        <table class="runs">
          <caption class="visually-hidden">Your runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Run</th>
              <th scope="col">Workflow</th>
              <th scope="col">Tags</th>
              {admin && <th scope="col">Owner</th>}
              <th scope="col">Submitted</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {page.runs.map((run) => (
              <tr key={run.run_id} data-run-id={run.run_id}>
                <td data-label="State">
                  <div>
                    <StateBadge state={run.state} />
                  </div>
                </td>
                <td data-label="Run">
                  <div>
                    <a href={`/runs/${run.run_id}`}>{displayName(run) ?? `Run ${shortId(run.run_id)}`}</a>
                    {displayName(run) && <span class="muted small mono"> {shortId(run.run_id)}</span>}
                  </div>
                </td>
                <td data-label="Workflow">
                  <div class="mono small">
                    {run.workflow_url} <span class="muted">({run.workflow_type})</span>
                  </div>
                </td>
                <td data-label="Tags">
                  <div>
                    <Tags tags={run.tags} />
                  </div>
                </td>
                {admin && (
                  <td data-label="Owner">
                    <div>{run.owner}</div>
                  </td>
                )}
                <td data-label="Submitted">
                  <div>{formatTime(run.submitted_at)}</div>
                </td>
                <td data-label="Started">
                  <div>{formatTime(run.start_time)}</div>
                </td>
                <td data-label="Ended">
                  <div>{formatTime(run.end_time)}</div>
                </td>
                <td data-label="Duration">
                  <div>{runDuration(run, now)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="button" disabled={tokens.length <= 1} onClick={() => setTokens(tokens.slice(0, -1))}>
          ← Newer
        </button>
        <span class="muted small">Page {tokens.length}</span>
        <button
          type="button"
          class="button"
          disabled={!page?.next_page_token}
          onClick={() => page?.next_page_token && setTokens([...tokens, page.next_page_token])}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
