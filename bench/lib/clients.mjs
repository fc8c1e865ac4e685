/**
 * The benchmark's HTTP clients: the WES API (submit, list every run as admin) and the emulator's
 * unsigned local endpoints (request log paged by sequence number, run timelines, settings).
 * Plus a small concurrency limiter, so no loop ever floods the local proxies.
 */

/** The seeded workflows the benchmark runs (docs/emulator.md), with their WES type and version. */
export const WORKFLOWS = {
  1000001: { type: "WDL", version: "1.0", name: "germline-wdl (succeeds, 3 tasks)" },
  1000002: { type: "NFL", version: "DSL2", name: "rnaseq-nextflow (succeeds, 4 tasks)" },
  1000003: { type: "CWL", version: "v1.2", name: "align-cwl (fails: a task fails twice)" },
};

/** Runs `fn` over `items` with at most `limit` in flight; results in order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Sleeps `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function basic(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** WES API client for one stack. */
export class WesClient {
  /** @param {string} wesUrl  @param {Record<string,string>} users  user → password */
  constructor(wesUrl, users) {
    this.wesUrl = wesUrl;
    this.users = users;
  }

  /**
   * POST /runs as `user` (JSON body). Resolves to {status, runId?, ms, error?}; never throws.
   * @param {string} user @param {string} workflowId @param {number} durationScale
   */
  async submit(user, workflowId, durationScale) {
    const wf = WORKFLOWS[workflowId];
    const body = {
      workflow_type: wf.type,
      workflow_type_version: wf.version,
      workflow_url: `healthomics:${workflowId}`,
      workflow_params: { input_file: "s3://bench-inputs/sample.fastq" },
      tags: { "emulator:duration-scale": String(durationScale), bench: "1" },
    };
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.wesUrl}/runs`, {
        method: "POST",
        headers: { authorization: basic(user, this.users[user]), "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) return { status: res.status, ms, error: text.slice(0, 300) };
      return { status: 200, ms, runId: JSON.parse(text).run_id };
    } catch (error) {
      return { status: 0, ms: performance.now() - t0, error: String(error).slice(0, 300) };
    }
  }

  /** Every run visible to the admin: Map run id → state (newest first, pages of 500). */
  async listAll() {
    const states = new Map();
    let token = "";
    for (let page = 0; page < 100; page++) {
      const url = `${this.wesUrl}/runs?page_size=500${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
      const res = await fetch(url, { headers: { authorization: basic("admin", this.users.admin) }, signal: AbortSignal.timeout(30_000) });
      if (res.status !== 200) throw new Error(`GET /runs answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const body = await res.json();
      for (const run of body.runs) states.set(run.run_id, run.state);
      token = body.next_page_token;
      if (!token) break;
    }
    return states;
  }

  /** GET /admin/metrics as admin (parsed), or null. */
  async metrics(apiUrl) {
    try {
      const res = await fetch(`${apiUrl}/admin/metrics`, { headers: { authorization: basic("admin", this.users.admin) }, signal: AbortSignal.timeout(30_000) });
      return res.status === 200 ? await res.json() : null;
    } catch {
      return null;
    }
  }
}

/** The emulator's unsigned local endpoints. */
export class EmulatorClient {
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    /** @type {{operation: string, at: string, status: number, requestId?: string, runId?: string}[]} */
    this.calls = [];
    this.lastSeq = 0;
  }

  /** Appends the log entries logged since the last read to `this.calls` (call often: the log keeps 50,000). */
  async drainLog() {
    for (let round = 0; round < 100; round++) {
      const res = await fetch(`${this.url}/__emulator/requests?afterSeq=${this.lastSeq}`, { signal: AbortSignal.timeout(60_000) });
      if (res.status !== 200) throw new Error(`request log: ${res.status}`);
      const body = await res.json();
      if (typeof body.lastSeq !== "number") throw new Error("the emulator's request log has no lastSeq (emulator too old for the benchmark)");
      if (body.requests.length > 0 && body.lastSeq - this.lastSeq !== body.requests.length) {
        throw new Error("entries of the request log were trimmed before the benchmark read them");
      }
      this.calls.push(...body.requests);
      this.lastSeq = body.lastSeq;
      if (body.requests.length < 50_000) return;
    }
  }

  /** Timelines of runs by StartRun requestId (= WES run id), in batches of 1,000. */
  async timelines(requestIds) {
    const out = [];
    for (let i = 0; i < requestIds.length; i += 1000) {
      const res = await fetch(`${this.url}/__emulator/timelines`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requestIds: requestIds.slice(i, i + 1000) }),
        signal: AbortSignal.timeout(60_000),
      });
      if (res.status !== 200) throw new Error(`timelines: ${res.status} ${(await res.text()).slice(0, 200)}`);
      out.push(...(await res.json()).timelines);
    }
    return out;
  }

  /** The emulator's settings in force. */
  async config() {
    return await (await fetch(`${this.url}/__emulator/config`)).json();
  }
}
