import { useState } from "preact/hooks";
import { apiText, messageOf } from "../lib/api";
import type { TaskLog } from "../lib/types";
import { Notice } from "./notice";

/** Lines shown per log (the API's ?tail). */
const TAIL = 500;

interface Source {
  label: string;
  url: string;
}

/** The logs a run offers: its stdout (engine) and stderr (run log), then each task's. */
export function logSources(run: { stdout?: string | undefined; stderr?: string | undefined }, tasks: TaskLog[]): Source[] {
  const sources: Source[] = [];
  if (run.stderr) sources.push({ label: "Run log (stderr)", url: run.stderr });
  if (run.stdout) sources.push({ label: "Engine log (stdout)", url: run.stdout });
  for (const task of tasks) if (task.stdout) sources.push({ label: `Task ${task.name} (${task.id})`, url: task.stdout });
  return sources;
}

/** Reads one log's last lines on request (logs can be large; nothing is fetched until asked). */
export function RunLogs({ sources }: { sources: Source[] }) {
  const [chosen, setChosen] = useState(0);
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  if (sources.length === 0) return <p class="muted">No logs yet.</p>;
  const load = async () => {
    const source = sources[chosen];
    if (!source) return;
    setLoading(true);
    setError(undefined);
    try {
      setText(await apiText(`${new URL(source.url).pathname}?tail=${TAIL}`));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div>
      <div class="log-controls">
        <label for="log-source">Log</label>
        <select id="log-source" value={String(chosen)} onChange={(e) => setChosen(Number((e.target as HTMLSelectElement).value))}>
          {sources.map((s, i) => (
            <option key={s.url} value={String(i)}>
              {s.label}
            </option>
          ))}
        </select>
        <button type="button" class="button" onClick={() => void load()} disabled={loading}>
          {loading ? "Loading…" : `Show the last ${TAIL} lines`}
        </button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {text !== undefined && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section class="scroll" tabIndex={0} aria-label="Log text">
          <pre class="log">{text === "" ? "(empty)" : text}</pre>
        </section>
      )}
    </div>
  );
}
