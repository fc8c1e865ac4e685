/**
 * GET /workflows through the Worker with the real emulator: the seeded private and Ready2Run
 * workflows with their parameter templates, package workflows (tag `wes:package`) left out, and
 * the catalog's behaviour when HealthOmics or the API budget cannot answer (503, never a partial
 * list). The catalog function is also driven directly with a budget gate that says no.
 */
import { AwsClient } from "aws4fetch";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HealthOmicsClient } from "../../src/executors/healthomics/client/client";
import { clearCatalogCache, DETAILS_PER_REQUEST, runnableWorkflows } from "../../src/executors/healthomics/submit/workflow-catalog";
import { call, getJson } from "../support/api";

interface Workflow {
  workflow_url: string;
  id: string;
  type: string;
  name?: string;
  engine?: string;
  workflow_type?: string;
  workflow_type_versions?: string[];
  parameters: Array<{ name: string; description?: string; required: boolean }>;
}

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" } as const;
const signer = new AwsClient({ ...CREDENTIALS, service: "omics", retries: 0 });

/** CreateWorkflow on the emulator, signed as the service's credentials. */
async function createWorkflow(name: string, tags: Record<string, string> = {}): Promise<string> {
  const res = await signer.fetch(`${env.TEST_EMULATOR_URL}/workflow`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name,
      engine: "WDL",
      // A repository source: the emulator accepts it without fetching anything (docs/emulator.md).
      definitionRepository: { connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/abc", fullRepositoryId: "org/repo" },
      requestId: crypto.randomUUID(),
      tags,
      parameterTemplate: { reads: { description: "FASTQ", optional: false } },
    }),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 201 || !body.id) throw new Error(`CreateWorkflow → ${res.status} ${JSON.stringify(body)}`);
  // CreateWorkflow answers CREATING; only ACTIVE workflows are runnable (and listed).
  for (let i = 0; i < 200; i++) {
    const got = (await (await signer.fetch(`${env.TEST_EMULATOR_URL}/workflow/${body.id}`)).json()) as { status?: string };
    if (got.status === "ACTIVE") return body.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`workflow ${body.id} did not become ACTIVE`);
}

async function fault(rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  await res.body?.cancel();
}

async function listed(user = "demo"): Promise<Workflow[]> {
  const { status, body } = await getJson<{ workflows: Workflow[] }>("/workflows", user);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.workflows;
}

beforeEach(() => clearCatalogCache());
afterEach(async () => {
  const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/faults`, { method: "DELETE" });
  await res.body?.cancel();
});

describe("GET /workflows", () => {
  it("lists the private and Ready2Run workflows with their parameters and how to run them", async () => {
    const workflows = await listed();
    const byId = new Map(workflows.map((w) => [w.id, w]));
    for (const id of ["1000001", "1000002", "1000003", "1000004"]) expect(byId.get(id)?.type, id).toBe("PRIVATE");
    const wdl = byId.get("1000001")!;
    expect(wdl).toMatchObject({ workflow_url: "healthomics:1000001", name: "germline-wdl", engine: "WDL", workflow_type: "WDL" });
    expect(wdl.workflow_type_versions).toContain("1.0");
    expect(wdl.parameters.find((p) => p.name === "input_file")?.required).toBe(true);
    expect(wdl.parameters.find((p) => p.name === "sample_name")?.required).toBe(false);
    expect(byId.get("1000002")).toMatchObject({ engine: "NEXTFLOW", workflow_type: "NFL" });
    expect(byId.get("1000003")).toMatchObject({ engine: "CWL", workflow_type: "CWL" });
    expect(byId.get("9000001")).toMatchObject({ type: "READY2RUN", workflow_url: "healthomics:9000001" });
    // Every user sees the same catalog (the workflows belong to the service's account).
    expect((await listed("guest")).map((w) => w.id)).toEqual(workflows.map((w) => w.id));
  });

  it("leaves out the package workflows the service creates from users' files", async () => {
    const mine = await createWorkflow(`by-hand-${crypto.randomUUID().slice(0, 6)}`);
    const pkg = await createWorkflow(`package-${crypto.randomUUID().slice(0, 6)}`, { "wes:package": "0123abcd" });
    const ids = (await listed()).map((w) => w.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(pkg);
  });

  it("answers 503 with Retry-After when HealthOmics throttles, and the list once it answers", async () => {
    await fault({ operation: "ListWorkflows", kind: "throttle", count: 1 });
    const busy = await call("/workflows", { user: "demo" });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("Retry-After")).toBe("2");
    const body = (await busy.json()) as { msg: string; status_code: number };
    expect(body).toMatchObject({ status_code: 503 });
    expect(body.msg).toContain("ThrottlingException");
    expect((await listed()).length).toBeGreaterThan(0);
  });

  it("answers 503 for a HealthOmics server error too (worth retrying)", async () => {
    await fault({ operation: "ListWorkflows", kind: "error", count: 1 });
    const res = await call("/workflows", { user: "demo" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { msg: string }).msg).toContain("InternalServerException");
  });

  it("needs a user", async () => {
    const res = await call("/workflows");
    expect(res.status).toBe(401);
  });
});

describe("the catalog and the API budget", () => {
  const client = () => new HealthOmicsClient({ ...CREDENTIALS, endpoint: env.TEST_EMULATOR_URL });

  it("reports a refusal that retrying cannot fix (the route's 502)", async () => {
    const wrong = new HealthOmicsClient({ ...CREDENTIALS, secretAccessKey: "wrong", endpoint: env.TEST_EMULATOR_URL });
    const result = await runnableWorkflows(wrong, async () => true);
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.message).toContain("ListWorkflows failed");
  });

  it("is busy, not partial, when the budget has no call free", async () => {
    const result = await runnableWorkflows(client(), async () => false);
    expect(result).toMatchObject({ kind: "busy", retryAfterSeconds: 2 });
  });

  it("books every HealthOmics call it makes, and describes at most a bounded number of new workflows per request", async () => {
    for (let i = 0; i <= DETAILS_PER_REQUEST; i++) await createWorkflow(`batch-${i}-${crypto.randomUUID().slice(0, 6)}`);
    const booked: string[] = [];
    const gate = async (operation: string) => {
      booked.push(operation);
      return true;
    };
    const first = await runnableWorkflows(client(), gate);
    expect(first.kind).toBe("busy");
    expect(booked.filter((op) => op === "GetWorkflow").length).toBeLessThanOrEqual(DETAILS_PER_REQUEST);
    expect(booked.filter((op) => op === "ListWorkflows").length).toBeGreaterThanOrEqual(2); // one page per type at least
    // What was learnt is kept: the next request finishes the list.
    const second = await runnableWorkflows(client(), gate);
    expect(second.kind).toBe("ok");
    // And the assembled list is cached: a third request makes no call at all.
    const before = booked.length;
    expect((await runnableWorkflows(client(), gate)).kind).toBe("ok");
    expect(booked.length).toBe(before);
  });
});
