/**
 * POST /runs — RunWorkflow. Validates the submission (the WES fields here, the rest — which
 * storage its workflow_params may name, the workflow itself — by the executor), stores the run
 * durably as QUEUED (one D1 batch with its attachments), hands it to the executor, and answers
 * `{run_id}`. With an `Idempotency-Key` header a retry returns the same run instead of creating a
 * second one.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { insertRun } from "../db/runs";
import { badRequest, conflict, WesError } from "../errors";
import { runExecutor } from "../executors/registry";
import { describeError, log } from "../log";
import { MAX_ATTACHMENTS, MAX_BODY_BYTES } from "./limits";
import { readSubmission, type RunSubmission } from "./submission";
import { refusalError } from "./admission-errors";
import { fairUseLimits } from "./ops-config";

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted, so the same request in another key order has the same fingerprint. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Fingerprint of a submission, to tell an idempotent retry from a different request. */
async function requestHash(submission: RunSubmission): Promise<string> {
  const files = await Promise.all(submission.attachments.map(async (a) => [a.path, await sha256Hex(a.data)]));
  return await sha256Hex(new TextEncoder().encode(canonicalJson([submission.request, files])));
}

/** Registers POST /runs. */
export function registerRunsCreate(app: Hono<AppEnv>): void {
  app.post(
    "/runs",
    requireUser,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new WesError(
          413,
          `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB), the most this service accepts; attachments count towards it.`,
        );
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const key = c.req.header("Idempotency-Key");
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw badRequest("The Idempotency-Key header must be 1-255 printable ASCII characters.");
      }
      const executor = runExecutor(c.env);
      const submission = await readSubmission(c.req.raw, executor);
      if (submission.attachments.length > MAX_ATTACHMENTS) {
        throw badRequest(`workflow_attachment has ${submission.attachments.length} files; at most ${MAX_ATTACHMENTS} are accepted.`);
      }
      const id = crypto.randomUUID();
      const accepted = await executor.validate(submission, { user: principal.user, groups: principal.groups }, { runId: id, requestId: c.get("requestId") });
      const now = Date.now();
      const hash = await requestHash(submission);
      const result = await insertRun(
        database(c.env.DB),
        {
          id,
          owner: principal.user,
          submittedVia: principal.scheme,
          state: "QUEUED",
          request: submission.request,
          tags: submission.request.tags,
          createdAt: now,
          updatedAt: now,
          idempotencyKey: key ?? null,
          requestHash: hash,
          systemLogs: [],
          outputs: {},
          ...accepted,
        },
        submission.attachments,
        fairUseLimits(c.env),
      );
      if (result.kind === "refused") throw refusalError(result.refusal, key);
      const run = result.run;
      if (result.kind === "existing" && run.requestHash !== hash) {
        throw conflict(
          `The Idempotency-Key '${key}' was already used for a different request (run ${run.id}). Use a new key for a new run, or resend exactly the same request to get that run back.`,
        );
      }
      const requestId = c.get("requestId");
      log("info", result.kind === "created" ? "run.created" : "run.idempotent_replay", { requestId, runId: run.id, user: principal.user });
      try {
        // Idempotent: a replay re-hands the run over in case the first hand-over was lost.
        await executor.submit(run.id);
      } catch (error) {
        // The run is stored; the scheduled sweep hands over any run that missed its hand-over.
        log("warn", "run.handover_failed", { requestId, runId: run.id, error: describeError(error) });
      }
      return c.json({ run_id: run.id });
    },
  );
}
