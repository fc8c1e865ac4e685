/**
 * The CloudWatch Logs streams of an emulated run, as HealthOmics names them (log group
 * `/aws/omics/WorkflowLog`; streams `run/<runId>`, `run/<runId>/engine`,
 * `run/<runId>/task/<taskId>`): deterministic lines that follow the run's timeline, so a live
 * run's log grows as it runs. The text is the emulator's own (HealthOmics' exact lines are not
 * documented). A stream exists from its first line on; `logLevel: OFF` runs have none. Pure.
 */
import { scheduleOf, taskId } from "../ops/render";
import type { RunRecord } from "../records";
import { type ScheduledTask, taskStatusAt } from "../timeline";
import { streamNames } from "./names";
import { eventsBetween, type LogEvent, type StreamContent } from "./stream";

/** StartRun tag (emulator only): this many extra lines in the engine stream, for tests and benchmarks of big logs. */
export const LOG_LINES_TAG = "emulator:log-lines";
/** Most generated lines one run may ask for. */
export const MAX_LOG_LINES = 10_000_000;

function taskLabel(run: RunRecord, t: ScheduledTask): string {
  return `${t.spec.name} (task ${taskId(run, t)})`;
}

function generatedLine(runId: string, count: number) {
  return (i: number) => `[engine] run ${runId}: progress line ${i + 1} of ${count}: processed ${(i + 1) * 1000} records`;
}

/** The run stream: status changes and the failure reason of a failed run. */
function runStream(run: RunRecord): StreamContent {
  const s = scheduleOf(run);
  const fixed: LogEvent[] = [{ timestamp: run.createdAt, message: `Run ${run.id} (${run.uuid}) created for workflow ${run.workflowId} (${run.workflowName})` }];
  s.phases.forEach((phase, i) => {
    if (i === 0 || s.phases[i + 1]?.at === phase.at) return;
    fixed.push({ timestamp: phase.at, message: `Run ${run.id} status: ${phase.status}` });
  });
  for (const t of s.tasks) fixed.push({ timestamp: t.creationTime, message: `Task ${taskLabel(run, t)} created` });
  if (s.finalStatus === "FAILED") fixed.push({ timestamp: s.stopTime, message: `Run ${run.id} failed: ${s.failureReason}: ${s.statusMessage}` });
  if (s.finalStatus === "CANCELLED") fixed.push({ timestamp: s.stopTime, message: `Run ${run.id} was cancelled` });
  return { fixed: sortStable(fixed) };
}

/** The engine stream: from STARTING on; each task's start and end; the outcome; generated lines while RUNNING. */
function engineStream(run: RunRecord): StreamContent {
  const s = scheduleOf(run);
  const starting = s.phases.find((p) => p.status === "STARTING");
  // A run cancelled while PENDING never starts an engine: no engine stream.
  if (!starting) return { fixed: [] };
  const fixed: LogEvent[] = [{ timestamp: starting.at, message: `Workflow engine (${run.engine ?? "WDL"}) starting for run ${run.id}` }];
  if (s.startTime !== undefined) fixed.push({ timestamp: s.startTime, message: `Workflow ${run.workflowName} started` });
  for (const t of s.tasks) {
    if (t.startTime < t.stopTime) fixed.push({ timestamp: t.startTime, message: `Starting task ${taskLabel(run, t)}` });
    const end =
      t.finalStatus === "COMPLETED"
        ? `Task ${taskLabel(run, t)} completed`
        : t.finalStatus === "FAILED"
          ? `Task ${taskLabel(run, t)} failed: ${t.statusMessage ?? "failed"}`
          : `Task ${taskLabel(run, t)} cancelled`;
    fixed.push({ timestamp: t.stopTime, message: end });
  }
  const stopping = s.phases.find((p) => p.status === "STOPPING");
  const outcome =
    s.finalStatus === "COMPLETED"
      ? `Workflow ${run.workflowName} completed successfully`
      : s.finalStatus === "FAILED"
        ? `Workflow ${run.workflowName} failed: ${s.failureReason}: ${s.statusMessage}`
        : `Workflow ${run.workflowName} cancelled`;
  fixed.push({ timestamp: stopping?.at ?? s.stopTime, message: outcome });
  const content: StreamContent = { fixed: sortStable(fixed) };
  const count = run.logLines ?? 0;
  if (count > 0) {
    const from = s.startTime ?? starting.at;
    content.generated = { count, from, to: Math.max(from, stopping?.at ?? s.stopTime), text: generatedLine(run.id, count) };
  }
  return content;
}

/** A task stream: created, started on its instance, the command, the exit. */
function taskStream(t: ScheduledTask): StreamContent {
  const fixed: LogEvent[] = [
    { timestamp: t.creationTime, message: `Task ${t.spec.name} created: ${t.spec.cpus} vCPU, ${t.spec.memory} GiB, ${t.spec.instanceType}` },
  ];
  if (t.startTime < t.stopTime) {
    fixed.push({ timestamp: t.startTime, message: `Running ${t.spec.name}` });
    fixed.push({ timestamp: t.startTime, message: `${t.spec.name}: reading inputs` });
  }
  const end =
    t.finalStatus === "COMPLETED"
      ? `${t.spec.name} finished with exit code 0`
      : t.finalStatus === "FAILED"
        ? `${t.spec.name} failed with exit code 1: ${t.statusMessage ?? "failed"}`
        : `${t.spec.name} was cancelled`;
  fixed.push({ timestamp: t.stopTime, message: end });
  return { fixed: sortStable(fixed) };
}

function sortStable(events: LogEvent[]): LogEvent[] {
  return events
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].timestamp - b[0].timestamp || a[1] - b[1])
    .map(([e]) => e);
}

/**
 * The content of one of the run's streams, or undefined when the run has no such stream at
 * `now` (not started yet, no such task, or logging off).
 */
export function runLogStream(run: RunRecord, stream: string, now: number): StreamContent | undefined {
  if (run.logLevel === "OFF") return undefined;
  const names = streamNames(run.id);
  let content: StreamContent | undefined;
  if (stream === names.run) content = runStream(run);
  else if (stream === names.engine) content = engineStream(run);
  else {
    const s = scheduleOf(run);
    const task = s.tasks.find((t) => names.task(taskId(run, t)) === stream && taskStatusAt(t, now) !== undefined);
    if (task) content = taskStream(task);
  }
  if (!content) return undefined;
  const first = content.fixed[0]?.timestamp ?? Number.POSITIVE_INFINITY;
  return first <= now ? content : undefined;
}

/** Generated lines copied into logs/engine.log at most (the stream keeps them all). */
const ENGINE_LOG_GENERATED_LINES = 1000;

/** The text of the run's `logs/engine.log` output object: the engine stream, one `<time> <message>` line per event. */
export function engineLogText(run: RunRecord): string {
  const content = engineStream(run);
  const generated = content.generated;
  const capped: StreamContent = { fixed: content.fixed };
  if (generated) capped.generated = { ...generated, count: Math.min(generated.count, ENGINE_LOG_GENERATED_LINES) };
  const total = capped.fixed.length + (capped.generated?.count ?? 0);
  const lines = eventsBetween(capped, 0, total).map((e) => `${new Date(e.timestamp).toISOString()} ${e.message}`);
  if (generated && generated.count > ENGINE_LOG_GENERATED_LINES)
    lines.push(`(${generated.count - ENGINE_LOG_GENERATED_LINES} more progress lines are in the CloudWatch Logs stream only)`);
  return `${lines.join("\n")}\n`;
}
