/**
 * Per-user limits of POST /runs: over a limit the answer is a 429 with Retry-After and a message
 * naming the limit, nothing is stored, other users are served, idempotent replays of accepted
 * runs still answer, and N concurrent submissions never overshoot. Admins see the counts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API, basic, runBody } from "../support/api";
import { drain } from "../support/runs";

type ErrorBody = { msg: string; status_code: number };

const app = createApp();
const USERS = "demo:demo,guest:guest,admin:admin,ann:ann,bob:bob,cat:cat,dan:dan,eve:eve";

/** A request to the Worker with these settings on top of the test ones. */
async function fetchWith(settings: Record<string, string>, path: string, init: RequestInit & { user: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", basic(init.user));
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  return await app.fetch(
    new Request(`${API.replace("/ga4gh/wes/v1", "")}${path}`, { ...init, headers }),
    { ...env, WES_USERS: USERS, ...settings } as Env,
    ctx,
  );
}

function submitWith(settings: Record<string, string>, user: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetchWith(settings, "/ga4gh/wes/v1/runs", {
    method: "POST",
    user,
    body: JSON.stringify(runBody("1000001")),
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function runIdOf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { run_id: string }).run_id;
}

/**
 * Ends a test's runs: cancelled while queued they leave the budget's start queue at once, so no
 * start grant reaches them after the file has ended (vitest's teardown would catch it).
 */
async function end(user: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await fetchWith({}, `/ga4gh/wes/v1/runs/${id}/cancel`, { method: "POST", user });
    await drain(id);
  }
}

async function storedRuns(user: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE owner = ?1").bind(user).first<{ n: number }>())!.n;
}

describe("queued and active runs per user (WES_USER_MAX_ACTIVE_RUNS)", () => {
  const limits = { WES_USER_MAX_ACTIVE_RUNS: "2" };

  it("refuses the submission over the limit with 429, Retry-After and the limit's name; stores nothing; serves others", async () => {
    const first = await runIdOf(await submitWith(limits, "ann", { "Idempotency-Key": "ann-1" }));
    const second = await runIdOf(await submitWith(limits, "ann"));
    const refused = await submitWith(limits, "ann");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    const body = (await refused.json()) as ErrorBody;
    expect(body.status_code).toBe(429);
    expect(body.msg).toContain("WES_USER_MAX_ACTIVE_RUNS");
    expect(body.msg).toContain("2 runs queued or active");
    expect(await storedRuns("ann")).toBe(2);
    // Another user is served; a replay of an accepted run still answers with that run.
    const bobs = await runIdOf(await submitWith(limits, "bob"));
    expect(await runIdOf(await submitWith(limits, "ann", { "Idempotency-Key": "ann-1" }))).toBe(first);
    // Once a run has ended, there is room again.
    const canceled = await fetchWith(limits, `/ga4gh/wes/v1/runs/${second}/cancel`, { method: "POST", user: "ann" });
    expect(canceled.status).toBe(200);
    await drain(second);
    expect((await env.DB.prepare("SELECT state FROM runs WHERE id = ?1").bind(second).first<{ state: string }>())!.state).toBe("CANCELED");
    const third = await runIdOf(await submitWith(limits, "ann"));
    await end("ann", [first, third]);
    await end("bob", [bobs]);
  });

  it("20 concurrent submissions with a limit of 5: exactly 5 accepted, 15 answered 429, no 5xx", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => submitWith({ WES_USER_MAX_ACTIVE_RUNS: "5" }, "cat")));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(await storedRuns("cat")).toBe(5);
    const attachments = await env.DB.prepare("SELECT count(*) AS n FROM run_tags WHERE owner = 'cat'").first<{ n: number }>();
    expect(attachments!.n).toBe(0);
    await end("cat", await Promise.all(responses.filter((r) => r.status === 200).map(runIdOf)));
  });
});

describe("submissions per minute per user (WES_USER_SUBMISSIONS_PER_MINUTE)", () => {
  const limits = { WES_USER_SUBMISSIONS_PER_MINUTE: "3" };

  it("refuses the fourth submission within a minute with a Retry-After of at most 60 s; deleting a run frees nothing", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await runIdOf(await submitWith(limits, "dan")));
    const refused = await submitWith(limits, "dan");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as ErrorBody;
    expect(body.msg).toContain("WES_USER_SUBMISSIONS_PER_MINUTE");
    expect(body.msg).toContain(`try again in ${retryAfter} s`);
    // Cancel and delete one: it still counts against the minute.
    await fetchWith(limits, `/ga4gh/wes/v1/runs/${ids[0]}/cancel`, { method: "POST", user: "dan" });
    await drain(ids[0]!);
    expect((await fetchWith(limits, `/ga4gh/wes/v1/runs/${ids[0]}`, { method: "DELETE", user: "dan" })).status).toBe(200);
    expect((await submitWith(limits, "dan")).status).toBe(429);
    // A minute later (the runs made older by hand), submissions are accepted again.
    await env.DB.prepare("UPDATE runs SET created_at = created_at - 61000 WHERE owner = 'dan'").run();
    await env.DB.prepare("UPDATE run_tombstones SET created_at = created_at - 61000 WHERE owner = 'dan'").run();
    const later = await runIdOf(await submitWith(limits, "dan"));
    await end("dan", [...ids.slice(1), later]);
  });
});

describe("admin metrics", () => {
  it("list each user's active runs and submissions in the last minute, and the limits in force", async () => {
    const settings = { WES_USER_MAX_ACTIVE_RUNS: "10", WES_USER_SUBMISSIONS_PER_MINUTE: "20" };
    const ids = [await runIdOf(await submitWith(settings, "eve")), await runIdOf(await submitWith(settings, "eve"))];
    const res = await fetchWith(settings, "/admin/metrics", { user: "admin" });
    expect(res.status).toBe(200);
    const metrics = (await res.json()) as { fair_use: { max_active_runs_per_user: number; submissions_per_minute_per_user: number; users: unknown[] } };
    expect(metrics.fair_use.max_active_runs_per_user).toBe(10);
    expect(metrics.fair_use.submissions_per_minute_per_user).toBe(20);
    expect(metrics.fair_use.users).toContainEqual({ user: "eve", active_runs: 2, submissions_last_minute: 2 });
    await end("eve", ids);
  });

  it("a bad limit is a 503 naming the setting, never a run accepted unchecked", async () => {
    const res = await submitWith({ WES_USER_MAX_ACTIVE_RUNS: "lots" }, "demo");
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).msg).toContain("WES_USER_MAX_ACTIVE_RUNS");
  });
});
