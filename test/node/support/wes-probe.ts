/**
 * Machinery for the hostile-input sweep (wes-fuzz.test.ts): a probe is one request; `runProbes`
 * sends a batch with bounded concurrency and returns every broken promise it saw (5xx, a 4xx that
 * is not an ErrorResponse, a 2xx that is not the schema, internals leaking into a body).
 */
import { leaksIn } from "../../support/leaks";
import { call, type Answer, type User } from "./wes-http";
import { validateWes, type WesSchemaName } from "./wes-schema";

/** One hostile request. `input` is the text the request carried, so echoes of it are not leaks. */
export interface Probe {
  label: string;
  method: string;
  path: string;
  body?: string | FormData | Uint8Array;
  headers?: Record<string, string>;
  user?: User | null;
  input: string;
  /** Schema of a 2xx answer; null for an endpoint outside WES (the events endpoint), whose 2xx bodies are its own. */
  ok: WesSchemaName | null;
  /**
   * Statuses the platform (workerd / the Cloudflare edge) may answer itself before the Worker
   * runs, with its own plain-text body, e.g. 414 for a URL over its limit: not the API's to shape.
   */
  platform?: number[];
}

/** A probe's outcome, kept so created runs can be read back afterwards. */
export interface Outcome {
  probe: Probe;
  answer?: Answer;
  problems: string[];
}

/** Checks one answer against the promises every response keeps; returns the broken ones. */
export function judge(probe: Probe, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (probe.platform?.includes(answer.status)) {
    // Answered by the runtime, not the Worker: only the leak checks below apply.
  } else if (answer.status >= 400) {
    const errors = validateWes("ErrorResponse", answer.json);
    if (errors.length > 0) problems.push(`${answer.status} body is not an ErrorResponse: ${errors.join("; ")}`);
    const code = (answer.json as { status_code?: unknown } | undefined)?.status_code;
    if (code !== answer.status) problems.push(`status_code ${String(code)} differs from HTTP ${answer.status}`);
  } else if (answer.status >= 200 && answer.status < 300 && probe.ok !== null) {
    const errors = validateWes(probe.ok, answer.json);
    if (errors.length > 0) problems.push(`2xx body is not a ${probe.ok}: ${errors.join("; ")}`);
  }
  problems.push(...leaksIn(answer.text, probe.input));
  return problems;
}

/** Extra checks on an answer (e.g. read back a run it created); returns broken promises. */
export type FollowUp = (probe: Probe, answer: Answer) => Promise<string[]>;

/** Sends every probe (at most `concurrency` at a time) and judges each answer. */
export async function runProbes(probes: Probe[], followUp?: FollowUp, concurrency = 8): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next++]!;
      try {
        const answer = await call(probe.method, probe.path, {
          user: probe.user === undefined ? "demo" : probe.user,
          headers: probe.headers ?? {},
          ...(probe.body === undefined ? {} : { body: probe.body }),
        });
        const problems = judge(probe, answer);
        if (followUp) problems.push(...(await followUp(probe, answer)));
        outcomes.push({ probe, answer, problems });
      } catch (error) {
        // The server closed the connection or sent no HTTP answer: as bad as a 5xx for a client.
        outcomes.push({ probe, problems: [`no HTTP answer: ${String(error)}`] });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** One line per broken probe, for a failure message that shows all of them at once. */
export function report(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.problems.length > 0)
    .map(
      (o) =>
        `${o.probe.label} [${o.probe.method} ${o.probe.path.slice(0, 120)}] -> ${o.answer?.status ?? "no answer"}: ${o.problems.join("; ")} | ${o.answer?.text.slice(0, 300) ?? ""}`,
    );
}

/** A raw multipart/form-data body, for shapes FormData cannot produce (bad boundaries, duplicate names). */
export function rawMultipart(boundary: string, parts: Array<{ name: string; filename?: string; value: string; headers?: string }>, closing = true): string {
  const lines: string[] = [];
  for (const part of parts) {
    lines.push(`--${boundary}`);
    const filename = part.filename === undefined ? "" : `; filename="${part.filename}"`;
    lines.push(`Content-Disposition: form-data; name="${part.name}"${filename}`);
    if (part.headers) lines.push(part.headers);
    lines.push("", part.value);
  }
  if (closing) lines.push(`--${boundary}--`, "");
  return lines.join("\r\n");
}
