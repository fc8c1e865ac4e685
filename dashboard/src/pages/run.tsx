import { type ComponentChildren, Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { API, ApiError, api, messageOf } from "../lib/api";
import { formatTime, runDuration } from "../lib/format";
import { usePoll } from "../lib/poll";
import { outputsOnDelete } from "../lib/deletion";
import { displayName } from "../lib/names";
import { isFinal } from "../lib/states";
import type { RunLog, RunOverviewDetail, ServiceInfo, TaskList, TaskLog } from "../lib/types";
import { Confirm } from "../components/confirm";
import { OutputFiles, outputFiles } from "../components/output-files";
import { logSources, RunLogs } from "../components/run-logs";
import { ErrorNotice, Notice } from "../components/notice";
import { StateBadge } from "../components/state-badge";
import { StateTimeline } from "../components/state-timeline";
import { Tags } from "../components/tags";
import { TaskChart } from "../components/task-chart";

const REFRESH_MS = 3000;
/** At most this many task pages (of 500) are read for the chart. */
const MAX_TASK_PAGES = 10;

interface RunView {
  overview: RunOverviewDetail;
  log: RunLog;
  tasks: TaskLog[];
  moreTasks: boolean;
}

async function loadRun(id: string): Promise<RunView> {
  const path = `${API}/runs/${encodeURIComponent(id)}`;
  const tasksOf = async () => {
    const tasks: TaskLog[] = [];
    let token = "";
    for (let page = 0; page < MAX_TASK_PAGES; page++) {
      const answer = await api<TaskList>(`${path}/tasks?page_size=500${token ? `&page_token=${encodeURIComponent(token)}` : ""}`);
      tasks.push(...answer.task_logs);
      token = answer.next_page_token;
      if (!token) return { tasks, more: false };
    }
    return { tasks, more: true };
  };
  const [overview, log, tasks] = await Promise.all([api<RunOverviewDetail>(`${API}/overview/runs/${encodeURIComponent(id)}`), api<RunLog>(path), tasksOf()]);
  return { overview, log, tasks: tasks.tasks, moreTasks: tasks.more };
}

/** A scrollable block, focusable so it scrolls with the keyboard too (WCAG 2.1.1). */
function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <Scroll label={label}>
      <pre class="json">{JSON.stringify(value, null, 2)}</pre>
    </Scroll>
  );
}

/** The HealthOmics identifiers of a run, as the API shows them to this user (masked for non-admins). */
function omicsIds(outputs: Record<string, unknown>): Record<string, string> {
  const own = outputs["wes:run"];
  const omics = own && typeof own === "object" ? (own as Record<string, unknown>).healthomics : undefined;
  if (!omics || typeof omics !== "object") return {};
  return Object.fromEntries(Object.entries(omics as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** One run: what was asked, where it is, its tasks on a time axis; cancel while it runs, delete once it has ended. */
export function Run({ id }: { id: string }) {
  const [confirming, setConfirming] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | undefined>(undefined);
  // Whether deleting also deletes the outputs; until service-info answers, the dialog hedges.
  const [serviceTags, setServiceTags] = useState<Record<string, string> | undefined>(undefined);
  useEffect(() => {
    api<ServiceInfo>(`${API}/service-info`)
      .then((info) => setServiceTags(info.tags))
      .catch(() => undefined);
  }, []);
  const view = usePoll(
    () => loadRun(id),
    REFRESH_MS,
    id,
    (v) => isFinal(v.overview.state) && isFinal(v.log.state),
  );
  const now = Date.now();

  const cancel = async () => {
    setNotice(undefined);
    try {
      await api(`${API}/runs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
      setNotice({ kind: "ok", text: "Cancel requested. The run stops within a few moments." });
    } catch (e) {
      setNotice({ kind: "error", text: messageOf(e) });
    }
    view.refresh();
  };

  const remove = async () => {
    setNotice(undefined);
    try {
      await api(`${API}/runs/${encodeURIComponent(id)}`, { method: "DELETE" });
      setDeleted(true);
    } catch (e) {
      setNotice({ kind: "error", text: messageOf(e) });
    }
  };

  if (deleted) {
    return (
      <section>
        <h1>Run deleted</h1>
        <Notice kind="ok">
          Run {id} and its records were deleted. {outputsOnDelete(serviceTags, "after")}
        </Notice>
        <a href="/">Back to the runs</a>
      </section>
    );
  }
  if (view.error instanceof ApiError && view.error.status === 404 && !view.data) {
    return (
      <section>
        <h1>Run not found</h1>
        <Notice kind="error">There is no run {id} among the runs you may see.</Notice>
        <a href="/">Back to the runs</a>
      </section>
    );
  }
  const data = view.data;
  if (!data) return <p class="muted">{view.error ? messageOf(view.error) : "Loading the run…"}</p>;
  const { overview, log, tasks } = data;
  const ids = omicsIds(log.outputs);
  const title = displayName(overview) ?? `Run ${overview.run_id.slice(0, 8)}`;
  const live = !isFinal(overview.state);

  return (
    <article aria-labelledby="run-title">
      <p>
        <a href="/">← Runs</a>
      </p>
      <div class="page-head">
        <div>
          <h1 id="run-title">{title}</h1>
          <p class="mono small muted">{overview.run_id}</p>
        </div>
        <div class="head-actions">
          <StateBadge state={overview.state} />
          {live && overview.state !== "CANCELING" && (
            <button type="button" class="button danger" onClick={() => setConfirming(true)}>
              Cancel run
            </button>
          )}
          {!live && isFinal(log.state) && (
            <button type="button" class="button danger" onClick={() => setConfirmingDelete(true)}>
              Delete run
            </button>
          )}
        </div>
      </div>
      {view.error !== undefined && <ErrorNotice error={view.error} />}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <Confirm
        open={confirming}
        title="Cancel this run?"
        message={`${title} will be stopped on AWS HealthOmics. Work it has done so far is not kept as outputs. This cannot be undone.`}
        confirm="Cancel run"
        onConfirm={() => void cancel()}
        onClose={() => setConfirming(false)}
      />
      <Confirm
        open={confirmingDelete}
        title="Delete this run?"
        message={`${title} will be deleted from this service: its record, logs, tasks, attachments and the input files it uploaded. ${outputsOnDelete(serviceTags, "before")} This cannot be undone.`}
        confirm="Delete run"
        keep="Keep the run"
        onConfirm={() => void remove()}
        onClose={() => setConfirmingDelete(false)}
      />

      <section class="card" aria-labelledby="facts-title">
        <h2 id="facts-title" class="visually-hidden">
          Summary
        </h2>
        <dl class="facts">
          <dt>Workflow</dt>
          <dd class="mono">
            {overview.workflow_url} ({overview.workflow_type} {overview.workflow_type_version})
          </dd>
          <dt>Submitted</dt>
          <dd>{formatTime(overview.submitted_at)}</dd>
          <dt>Started</dt>
          <dd>{formatTime(overview.start_time)}</dd>
          <dt>Ended</dt>
          <dd>{formatTime(overview.end_time)}</dd>
          <dt>Duration</dt>
          <dd>{runDuration(overview, now)}</dd>
          {log.run_log.exit_code !== undefined && (
            <>
              <dt>Exit code</dt>
              <dd>{log.run_log.exit_code}</dd>
            </>
          )}
          {overview.owner && (
            <>
              <dt>Owner</dt>
              <dd>{overview.owner}</dd>
            </>
          )}
          <dt>Tags</dt>
          <dd>
            <Tags tags={overview.tags} />
          </dd>
          {Object.entries(ids).map(([key, value]) => (
            <Fragment key={key}>
              <dt>HealthOmics {key.replace(/_/g, " ")}</dt>
              <dd class="mono small">{value}</dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">State timeline</h2>
        <StateTimeline timeline={overview.timeline} now={now} />
      </section>

      <section class="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">Tasks</h2>
        <TaskChart
          tasks={tasks}
          {...(overview.start_time ? { runStart: overview.start_time } : {})}
          {...(overview.end_time ? { runEnd: overview.end_time } : {})}
          now={now}
        />
        {data.moreTasks && <p class="muted small">Only the first {MAX_TASK_PAGES * 500} tasks are drawn.</p>}
      </section>

      <section class="card" aria-labelledby="outputs-title">
        <h2 id="outputs-title">Outputs</h2>
        {Object.keys(log.outputs).length === 0 ? (
          <p class="muted">{live ? "Outputs appear when the run completes." : "This run has no outputs."}</p>
        ) : (
          <>
            {outputFiles(log.outputs).length > 0 && <OutputFiles files={outputFiles(log.outputs)} />}
            <Json value={log.outputs} label="Outputs (JSON)" />
          </>
        )}
      </section>

      <section class="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Logs</h2>
        <RunLogs sources={logSources(log.run_log, tasks)} />
      </section>

      <section class="card" aria-labelledby="service-log-title">
        <h2 id="service-log-title">Service log</h2>
        {(log.run_log.system_logs ?? []).length === 0 ? (
          <p class="muted">Nothing logged yet.</p>
        ) : (
          <Scroll label="Service log">
            <pre class="log">{(log.run_log.system_logs ?? []).join("\n")}</pre>
          </Scroll>
        )}
      </section>

      <section class="card" aria-labelledby="request-title">
        <h2 id="request-title">Request</h2>
        <Json value={log.request} label="Request (JSON)" />
      </section>
    </article>
  );
}
