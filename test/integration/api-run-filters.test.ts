/**
 * GET /runs filters through the Worker's fetch handler with real D1: state, tag, tag_key/tag_value
 * and name; page tokens that carry their filters; what each user may see; bad filters; the
 * migration's backfill; and, by the rows D1 reports reading, that every filter walks an index.
 *
 * Runs are stored with the real insert path (insertRun) rather than submitted, so no Durable
 * Object runs them: the listing only reads D1.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { pageIds, pageQuery } from "../../src/db/run-list";
import { insertRun } from "../../src/db/runs";
import { call, getJson, runBody, submit } from "../support/api";
import { drain } from "../support/runs";
import type { RunRequestBody } from "../../src/wes/json-shapes";
import type { WesState } from "../../src/wes/states";

interface Summary {
  run_id: string;
  state: string;
  tags: Record<string, string>;
}
interface ListBody {
  runs: Summary[];
  next_page_token: string;
}
interface ErrorBody {
  msg: string;
  status_code: number;
}

let clock = Date.parse("2026-01-01T00:00:00Z");

/** Stores a run as POST /runs would (same insert), with a chosen state and name. */
async function store(owner: string, tags: Record<string, string>, state: WesState = "QUEUED", name: string | null = null): Promise<string> {
  const id = crypto.randomUUID();
  clock += 1000;
  await insertRun(
    database(env.DB),
    {
      id,
      owner,
      state,
      request: runBody("1000001", { tags }) as RunRequestBody,
      tags,
      runName: name,
      createdAt: clock,
      updatedAt: clock,
      requestHash: id,
      systemLogs: [],
      outputs: {},
    },
    [],
  );
  return id;
}

async function list(query: string, user = "demo"): Promise<ListBody> {
  const { status, body } = await getJson<ListBody | ErrorBody>(`/runs?${query}`, user);
  if (status !== 200) throw new Error(`GET /runs?${query} → ${status}: ${JSON.stringify(body)}`);
  return body as ListBody;
}

async function refused(query: string, user = "demo"): Promise<string> {
  const { status, body } = await getJson<ErrorBody>(`/runs?${query}`, user);
  expect(status, JSON.stringify(body)).toBe(400);
  expect(body.status_code).toBe(400);
  return body.msg;
}

/** Every run id of a filtered listing, page by page (following the tokens alone). */
async function walk(query: string, pageSize: number, user = "demo"): Promise<string[]> {
  const ids: string[] = [];
  let page = await list(`${query}&page_size=${pageSize}`, user);
  ids.push(...page.runs.map((r) => r.run_id));
  while (page.next_page_token) {
    page = await list(`page_size=${pageSize}&page_token=${encodeURIComponent(page.next_page_token)}`, user);
    ids.push(...page.runs.map((r) => r.run_id));
  }
  return ids;
}

const p = crypto.randomUUID().slice(0, 8); // this file's tag values, so other files' runs never match
const ids: Record<string, string> = {};

beforeAll(async () => {
  // Oldest first; listings are newest first.
  ids.a = await store("demo", { project: `alpha-${p}`, "emulator:duration-scale": "0.5" }, "COMPLETE", `sample-${p}`);
  ids.b = await store("demo", { project: `alpha-${p}`, sample: "s1" }, "RUNNING");
  ids.c = await store("demo", { project: `beta-${p}`, sample: "s1" }, "COMPLETE");
  ids.d = await store("demo", { project: `alpha-${p}`, sample: "s2" }, "EXECUTOR_ERROR", `sample-${p}`);
  ids.e = await store("demo", { project: `alpha-${p}`, sample: "s1" }, "COMPLETE");
  ids.g = await store("guest", { project: `alpha-${p}`, sample: "s1" }, "COMPLETE", `sample-${p}`);
});

describe("GET /runs filters", () => {
  it("tag=<key>:<value> keeps runs carrying the tag, newest first; several tags must all match", async () => {
    expect((await list(`tag=project:alpha-${p}`)).runs.map((r) => r.run_id)).toEqual([ids.e, ids.d, ids.b, ids.a]);
    expect((await list(`tag=project:alpha-${p}&tag=sample:s1`)).runs.map((r) => r.run_id)).toEqual([ids.e, ids.b]);
    expect((await list(`tag=project:alpha-${p}&tag=sample:nope`)).runs).toEqual([]);
  });

  it("splits tag at the first ':' and takes tag_key/tag_value pairs for keys that contain ':'", async () => {
    expect((await list(`tag=project:alpha-${p}&tag=emulator:duration-scale:0.5`)).runs).toEqual([]);
    const pair = await list(`tag=project:alpha-${p}&tag_key=emulator:duration-scale&tag_value=0.5`);
    expect(pair.runs.map((r) => r.run_id)).toEqual([ids.a]);
    expect(pair.runs[0]!.tags).toEqual({ project: `alpha-${p}`, "emulator:duration-scale": "0.5" });
    // A value may contain ':' (only the first one splits).
    const colon = await store("demo", { url: `https://example.org/${p}` });
    expect((await list(`tag=url:${encodeURIComponent(`https://example.org/${p}`)}`)).runs.map((r) => r.run_id)).toEqual([colon]);
  });

  it("state is repeatable (any of them) and combines with tags and name", async () => {
    const finished = await list(`tag=project:alpha-${p}&state=COMPLETE&state=EXECUTOR_ERROR`);
    expect(finished.runs.map((r) => r.run_id)).toEqual([ids.e, ids.d, ids.a]);
    expect((await list(`tag=project:alpha-${p}&state=running`)).runs.map((r) => r.run_id)).toEqual([ids.b]);
    expect((await list(`name=sample-${p}`)).runs.map((r) => r.run_id)).toEqual([ids.d, ids.a]);
    expect((await list(`name=sample-${p}&state=COMPLETE`)).runs.map((r) => r.run_id)).toEqual([ids.a]);
    expect((await list(`name=sample-${p}&tag=sample:s2`)).runs.map((r) => r.run_id)).toEqual([ids.d]);
    // State alone lists every matching run of the caller, newest first.
    const running = await list("state=RUNNING&page_size=500");
    expect(running.runs.every((r) => r.state === "RUNNING")).toBe(true);
    expect(running.runs.map((r) => r.run_id)).toContain(ids.b);
  });

  it("users see only their own runs through every filter; admins see everyone's", async () => {
    expect((await list(`tag=project:alpha-${p}`, "guest")).runs.map((r) => r.run_id)).toEqual([ids.g]);
    expect((await list(`name=sample-${p}`, "guest")).runs.map((r) => r.run_id)).toEqual([ids.g]);
    expect((await list(`state=COMPLETE&tag=project:alpha-${p}`, "guest")).runs.map((r) => r.run_id)).toEqual([ids.g]);
    expect((await list(`tag=project:alpha-${p}`, "admin")).runs.map((r) => r.run_id)).toEqual([ids.g, ids.e, ids.d, ids.b, ids.a]);
    expect((await list(`tag=project:alpha-${p}&state=COMPLETE`, "admin")).runs.map((r) => r.run_id)).toEqual([ids.g, ids.e, ids.a]);
  });

  it("a page token carries its filters: pages fit together with the token alone or with the same filters", async () => {
    const all = (await list(`tag=project:alpha-${p}`)).runs.map((r) => r.run_id);
    expect(await walk(`tag=project:alpha-${p}`, 1)).toEqual(all);
    expect(await walk(`state=COMPLETE&state=EXECUTOR_ERROR&tag=project:alpha-${p}`, 2)).toEqual([ids.e, ids.d, ids.a]);
    const first = await list(`tag=project:alpha-${p}&state=COMPLETE&page_size=1`);
    const token = encodeURIComponent(first.next_page_token);
    // Same filters in another order: the same listing.
    expect((await list(`state=complete&tag=project:alpha-${p}&page_size=1&page_token=${token}`)).runs.map((r) => r.run_id)).toEqual([ids.a]);
    const msg = await refused(`tag=project:beta-${p}&page_token=${token}`);
    expect(msg).toContain("other filters");
    await refused(`tag=project:alpha-${p}&page_token=${token}`);
    // An unfiltered token cannot be reused for a filtered listing either.
    const plain = await list("page_size=1");
    await refused(`state=COMPLETE&page_token=${encodeURIComponent(plain.next_page_token)}`);
  });

  it("refuses filters it cannot apply, each with a 400 that says how to write it", async () => {
    expect(await refused("state=DONE")).toContain("not a WES state");
    expect(await refused("state=")).toContain("not a WES state");
    expect(await refused("tag=project")).toContain("tag_key");
    expect(await refused("tag=:value")).toContain("1-128");
    expect(await refused("tag_key=a&tag_key=b&tag_value=1")).toContain("pairs");
    expect(await refused("tag=a:1&tag=a:2")).toContain("twice");
    expect(await refused(`tag=${"k".repeat(129)}:v`)).toContain("1-128");
    expect(await refused(`tag=k:${"v".repeat(257)}`)).toContain("256");
    expect(await refused(Array.from({ length: 11 }, (_, i) => `tag=k${i}:v`).join("&"))).toContain("At most 10");
    expect(await refused("name=a&name=b")).toContain("once");
    expect(await refused("name=")).toContain("1-128");
  });

  it("needs a user, like the unfiltered listing", async () => {
    const res = await call(`/runs?tag=project:alpha-${p}`);
    expect(res.status).toBe(401);
  });

  it("stores a submitted run's tags (the POST /runs path) so the tag filter finds it", async () => {
    const runId = await submit(runBody("1000001", { tags: { submitted: p } }), "guest");
    try {
      expect((await list(`tag=submitted:${p}`, "guest")).runs.map((r) => r.run_id)).toEqual([runId]);
      expect((await list(`tag=submitted:${p}`, "demo")).runs).toEqual([]);
    } finally {
      await drain(runId);
    }
  });
});

describe("migration 0004 backfill", () => {
  it("copies the tags of runs stored before run_tags existed", async () => {
    const id = await store("demo", { legacy: p, other: "x" });
    await env.DB.prepare("DELETE FROM run_tags WHERE run_id = ?").bind(id).run();
    expect((await list(`tag=legacy:${p}`)).runs).toEqual([]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0004_"));
    const backfill = migration?.queries.find((q) => q.includes("json_each"));
    expect(backfill).toBeDefined();
    // The real migration runs once on an empty table; here the other runs' tags already exist.
    await env.DB.prepare(backfill!.replace("INSERT INTO", "INSERT OR IGNORE INTO")).run();
    expect((await list(`tag=legacy:${p}&tag=other:x`)).runs.map((r) => r.run_id)).toEqual([id]);
  });
});

describe("cost: every filter walks an index", () => {
  const n = 3000;
  const owner = "bulk";
  beforeAll(async () => {
    // n runs of one user in one statement each (recursive CTE), tags alike; three are rare.
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
       INSERT INTO runs (id, owner, state, request, tags, created_at, updated_at, request_hash, run_name)
       SELECT printf('bulk-%05d', i), ?2, CASE WHEN i % 1000 = 0 THEN 'RUNNING' ELSE 'COMPLETE' END, '{}',
              CASE WHEN i % 1000 = 0 THEN '{"rare":"yes","common":"yes"}' ELSE '{"common":"yes"}' END,
              1000000 + i, 1000000 + i, 'h', CASE WHEN i % 1000 = 0 THEN 'rare-name' ELSE 'wes-' || i END FROM seq`,
    )
      .bind(n, owner)
      .run();
    await env.DB.prepare(
      `INSERT INTO run_tags (run_id, key, value, owner, created_at) SELECT r.id, j.key, j.value, r.owner, r.created_at FROM runs r, json_each(r.tags) j WHERE r.owner = ?1`,
    )
      .bind(owner)
      .run();
  });

  const rowsRead = async (filters: Parameters<typeof pageQuery>[1], scope: Parameters<typeof pageQuery>[0] = { user: owner }) => {
    const { ids, rowsRead } = await pageIds(env.DB, pageQuery(scope, filters, 21));
    return { count: ids.length, rowsRead };
  };

  it("reads about one page of index rows, however many runs there are", async () => {
    const budget = 200; // a page of 21 plus index overhead; a scan would read thousands
    // The measure itself: the same rare-tag question asked of the JSON column reads every run.
    const scan = await pageIds(env.DB, {
      text: "SELECT id, created_at FROM runs WHERE owner = ?1 AND json_extract(tags, '$.rare') = 'yes' ORDER BY created_at DESC, id DESC LIMIT 21",
      values: [owner],
    });
    expect(scan.ids).toHaveLength(3);
    expect(scan.rowsRead).toBeGreaterThanOrEqual(n);
    const cases: Array<[string, Parameters<typeof pageQuery>[1], number]> = [
      ["no filter", { states: [], tags: [] }, 21],
      ["a rare state", { states: ["RUNNING"], tags: [] }, 3],
      ["a common state", { states: ["COMPLETE"], tags: [] }, 21],
      ["two states", { states: ["COMPLETE", "RUNNING"], tags: [] }, 21],
      ["a rare tag", { states: [], tags: [["rare", "yes"]] }, 3],
      ["a common tag", { states: [], tags: [["common", "yes"]] }, 21],
      [
        "a rare tag and a common one",
        {
          states: [],
          tags: [
            ["rare", "yes"],
            ["common", "yes"],
          ],
        },
        3,
      ],
      ["a rare name", { states: [], tags: [], name: "rare-name" }, 3],
    ];
    for (const [label, filters, expected] of cases) {
      const { count, rowsRead: read } = await rowsRead(filters);
      expect(count, label).toBe(expected);
      expect(read, `${label}: ${read} rows read`).toBeLessThan(budget);
    }
    // The admin's listing uses the indexes without the owner column.
    const admin = await rowsRead({ states: ["RUNNING"], tags: [] }, { all: true });
    expect(admin.rowsRead).toBeLessThan(budget);
    const adminTag = await rowsRead({ states: [], tags: [["rare", "yes"]] }, { all: true });
    expect(adminTag.rowsRead).toBeLessThan(budget);
  });

  it("a deep page costs what the first one does (keyset, not offset)", async () => {
    const first = await pageIds(env.DB, pageQuery({ user: owner }, { states: ["COMPLETE"], tags: [] }, 21));
    const deep = await pageIds(env.DB, pageQuery({ user: owner }, { states: ["COMPLETE"], tags: [] }, 21, { k: 1000000 + 100, i: "bulk-00100" }));
    expect(deep.ids).toHaveLength(21);
    expect(deep.rowsRead).toBeLessThan(first.rowsRead * 2 + 10);
  });
});
