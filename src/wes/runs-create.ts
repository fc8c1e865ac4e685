/**
 * POST /runs — RunWorkflow. Validates the submission (including which storage locations its
 * workflow_params may name: data-access.ts), stores the run durably as QUEUED (one D1
 * batch with its attachments), hands it to the executor, and answers `{run_id}`. With an
 * `Idempotency-Key` header a retry returns the same run instead of creating a second one.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { insertRun } from "../db/runs";
import { badRequest, conflict, WesError } from "../errors";
import { executorSettings } from "../executor-config";
import { omicsClient } from "../executors/healthomics/factory";
import { checkWorkflow } from "../executors/healthomics/workflow-check";
import { workflowParamsSizeProblem } from "../executors/healthomics/start-run-limits";
import { runExecutor } from "../executors/registry";
import { startRunInput } from "../runs/start-input";
import { describeError, log } from "../log";
import { bookRequestCall } from "./budget-call";
import { checkInputs, refusalMessage } from "./data-access";
import { allowedPrefixes, dataAccessSettings } from "./data-access-config";
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
      const submission = await readSubmission(c.req.raw);
      if (submission.attachments.length > MAX_ATTACHMENTS) {
        throw badRequest(`workflow_attachment has ${submission.attachments.length} files; at most ${MAX_ATTACHMENTS} are accepted.`);
      }
      // HealthOmics' own limit, checked before anything reads the parameters.
      const tooLarge = workflowParamsSizeProblem(submission.request.workflow_params);
      if (tooLarge) throw badRequest(tooLarge);
      const settings = executorSettings(c.env);
      // Data isolation: refuse inputs the user may not read before anything is looked up or stored.
      const refusal = checkInputs(submission.request.workflow_params, {
        user: principal.user,
        outputPrefix: settings.outputPrefix,
        allowed: allowedPrefixes(dataAccessSettings(c.env), principal.user, principal.groups),
      });
      if (refusal) throw badRequest(refusalMessage(refusal));
      const ref = submission.workflow;
      if (ref.region && ref.region !== settings.region) {
        throw badRequest(`workflow_url names a workflow in region ${ref.region}, but this service runs workflows in ${settings.region}.`);
      }
      // No slot free on the budget: the check is skipped and the run accepted.
      const check = await checkWorkflow(omicsClient(settings), submission, () => bookRequestCall(c.env, "GetWorkflow"));
      if (check.kind === "invalid") throw badRequest(check.message);
      if (check.kind === "unavailable") {
        log("warn", "workflow.check_unavailable", { requestId: c.get("requestId"), workflowId: ref.workflowId, reason: check.reason });
      }
      const id = crypto.randomUUID();
      const omicsWorkflowType = check.kind === "ok" ? (check.workflowType ?? null) : null;
      const request = submission.request;
      // The StartRun this run will send, built as the start step builds it: what HealthOmics is
      // known to refuse is a 400 now rather than a SYSTEM_ERROR later.
      try {
        startRunInput({ id, owner: principal.user, request, omicsWorkflowType }, settings);
      } catch (error) {
        if (error instanceof WesError) throw error;
        throw badRequest(`This run cannot be submitted: ${error instanceof Error ? error.message : String(error)}`);
      }
      const now = Date.now();
      const hash = await requestHash(submission);
      const result = await insertRun(
        database(c.env.DB),
        {
          id,
          owner: principal.user,
          submittedVia: principal.scheme,
          state: "QUEUED",
          request,
          tags: submission.request.tags,
          // The name the run will have in HealthOmics, known now so the name filter finds queued runs.
          runName: submission.options.name ?? null,
          createdAt: now,
          updatedAt: now,
          idempotencyKey: key ?? null,
          requestHash: hash,
          systemLogs: [],
          outputs: {},
          omicsWorkflowType,
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
        await runExecutor(c.env).submit(run.id);
      } catch (error) {
        // The run is stored; the scheduled sweep hands over any run that missed its hand-over.
        log("warn", "run.handover_failed", { requestId, runId: run.id, error: describeError(error) });
      }
      return c.json({ run_id: run.id });
    },
  );
}
