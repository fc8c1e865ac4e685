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
  1000004: { type: "WDL", version: "1.0", name: "import-fails-wdl (fails before running: IMPORT_FAILED)" },
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

/**
 * @typedef {object} ClientResponse  one answer (or network failure) a client got, for the chaos campaign's checks
 * @property {string} kind       "submit" | "cancel" | "get" | "list" | "metrics"
 * @property {string} user
 * @property {number} status     HTTP status; 0 for a network error or timeout
 * @property {number} sentAt     epoch ms
 * @property {number} at         epoch ms of the answer
 * @property {string} [retryAfter]  the Retry-After header, when sent
 * @property {string} [error]    the body (bounded) of a non-2xx answer, or the network error
 */

/** WES API client for one stack. */
export class WesClient {
  /**
   * @param {string} wesUrl  @param {Record<string,string>} users  user → password
   * @param {(r: ClientResponse) => void} [onResponse]  sees every answer (the chaos campaign records them)
   */
  constructor(wesUrl, users, onResponse = () => {}) {
    this.wesUrl = wesUrl;
    this.users = users;
    this.onResponse = onResponse;
  }

  /**
   * One request as `user`; resolves to {status, text, retryAfter?} (status 0 on a network error) and
   * reports it to `onResponse`. Never throws.
   */
  async #send(kind, user, path, init = {}, timeoutMs = 60_000) {
    const sentAt = Date.now();
    try {
      const res = await fetch(`${this.wesUrl}${path}`, {
        ...init,
        headers: { authorization: basic(user, this.users[user]), ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      const retryAfter = res.headers.get("retry-after") ?? undefined;
      const out = { status: res.status, text, retryAfter };
      this.onResponse({ kind, user, status: res.status, sentAt, at: Date.now(), retryAfter, error: res.ok ? undefined : text.slice(0, 300) });
      return out;
    } catch (error) {
      this.onResponse({ kind, user, status: 0, sentAt, at: Date.now(), error: String(error).slice(0, 300) });
      return { status: 0, text: String(error).slice(0, 300) };
    }
  }

  /**
   * POST /runs as `user` (JSON body). Resolves to {status, runId?, ms, error?, retryAfter?}; never throws.
   * @param {string} user @param {string} workflowId @param {number} durationScale
   * @param {{idempotencyKey?: string, tags?: Record<string,string>}} [extra]
   */
  async submit(user, workflowId, durationScale, extra = {}) {
    const wf = WORKFLOWS[workflowId];
    const body = {
      workflow_type: wf.type,
      workflow_type_version: wf.version,
      workflow_url: `healthomics:${workflowId}`,
      workflow_params: { input_file: "s3://bench-inputs/sample.fastq" },
      tags: { "emulator:duration-scale": String(durationScale), bench: "1", ...extra.tags },
    };
    const headers = { "content-type": "application/json", ...(extra.idempotencyKey ? { "idempotency-key": extra.idempotencyKey } : {}) };
    const t0 = performance.now();
    const res = await this.#send("submit", user, "/runs", { method: "POST", headers, body: JSON.stringify(body) });
    const ms = performance.now() - t0;
    if (res.status !== 200) return { status: res.status, ms, error: res.text.slice(0, 300), retryAfter: res.retryAfter };
    return { status: 200, ms, runId: JSON.parse(res.text).run_id };
  }

  /** POST /runs/{id}/cancel as `user`: {status, error?}. */
  async cancel(user, runId) {
    const res = await this.#send("cancel", user, `/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" });
    return { status: res.status, error: res.status === 200 ? undefined : res.text.slice(0, 300) };
  }

  /** GET /runs/{id} as `user`: {status, body?} (the parsed RunLog on 200). */
  async getRun(user, runId) {
    const res = await this.#send("get", user, `/runs/${encodeURIComponent(runId)}`);
    return res.status === 200 ? { status: 200, body: JSON.parse(res.text) } : { status: res.status };
  }

  /** Every run visible to the admin: Map run id → state (newest first, pages of 500). */
  async listAll() {
    return new Map([...(await this.listAllSummaries())].map(([id, run]) => [id, run.state]));
  }

  /** Every run visible to the admin: Map run id → {state, tags} (newest first, pages of 500). */
  async listAllSummaries() {
    const runs = new Map();
    let token = "";
    for (let page = 0; page < 100; page++) {
      const res = await this.#send("list", "admin", `/runs?page_size=500${token ? `&page_token=${encodeURIComponent(token)}` : ""}`, {}, 30_000);
      if (res.status !== 200) throw new Error(`GET /runs answered ${res.status}: ${res.text.slice(0, 200)}`);
      const body = JSON.parse(res.text);
      for (const run of body.runs) runs.set(run.run_id, { state: run.state, tags: run.tags });
      token = body.next_page_token;
      if (!token) break;
    }
    return runs;
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

  /** Adds a fault rule (POST /__emulator/faults, docs/emulator.md); resolves to the rule with its id. */
  async addFault(rule) {
    const res = await fetch(`${this.url}/__emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rule),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 201) throw new Error(`adding a fault rule: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return await res.json();
  }

  /** Removes every fault rule. */
  async clearFaults() {
    const res = await fetch(`${this.url}/__emulator/faults`, { method: "DELETE", signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) throw new Error(`clearing fault rules: ${res.status}`);
  }

  /** The emulator's settings in force. */
  async config() {
    return await (await fetch(`${this.url}/__emulator/config`)).json();
  }
}
