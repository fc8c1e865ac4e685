/**
 * CloudWatch Logs GetLogEvents for the runs' streams (JSON 1.1 input already parsed by the
 * Worker): checks the members as the CloudWatch Logs model constrains them, finds the stream of
 * the run it names, and answers one page. Only the HealthOmics log group exists here.
 */
import { ApiError } from "../errors";
import type { OpContext, OpResult } from "../ops/context";
import { getLogEventsPage, MAX_EVENTS, type PageRequest, parseToken } from "./paging";
import { runIdOfStream, WORKFLOW_LOG_GROUP } from "./names";
import { runLogStream } from "./run-logs";

function invalid(message: string): ApiError {
  return new ApiError("InvalidParameterException", message, "logs");
}

function optionalNumber(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(
      `1 validation error detected: Value '${String(v)}' at '${name}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return v;
}

function optionalString(input: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.length < 1 || v.length > max) {
    throw invalid(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length between 1 and ${max}`);
  }
  return v;
}

/** The log group a request names: `logGroupName`, or `logGroupIdentifier` (a name or the group's ARN). */
function groupName(input: Record<string, unknown>, ctx: OpContext): string {
  const name = optionalString(input, "logGroupName", 512);
  const identifier = optionalString(input, "logGroupIdentifier", 2048);
  if (name !== undefined && identifier !== undefined) throw invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  if (name === undefined && identifier === undefined) throw invalid("Either LogGroupName or LogGroupIdentifier must be specified.");
  if (name !== undefined) return name;
  const arnPrefix = `arn:aws:logs:${ctx.identity.region}:${ctx.identity.accountId}:log-group:`;
  return identifier!.startsWith(arnPrefix) ? identifier!.slice(arnPrefix.length).replace(/:\*$/, "") : identifier!;
}

/** POST / with X-Amz-Target Logs_20140328.GetLogEvents. */
export function getLogEvents(ctx: OpContext, input: Record<string, unknown>): OpResult {
  const group = groupName(input, ctx);
  const stream = optionalString(input, "logStreamName", 512);
  if (stream === undefined) throw invalid("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  const request: PageRequest = {};
  const startTime = optionalNumber(input, "startTime", 0, Number.MAX_SAFE_INTEGER);
  const endTime = optionalNumber(input, "endTime", 0, Number.MAX_SAFE_INTEGER);
  const limit = optionalNumber(input, "limit", 1, MAX_EVENTS);
  const nextToken = optionalString(input, "nextToken", 10_000);
  if (startTime !== undefined) request.startTime = startTime;
  if (endTime !== undefined) request.endTime = endTime;
  if (limit !== undefined) request.limit = limit;
  if (nextToken !== undefined) {
    if (!parseToken(nextToken)) throw invalid("The specified nextToken is invalid.");
    request.nextToken = nextToken;
  }
  if (input.startFromHead !== undefined && input.startFromHead !== null) {
    if (typeof input.startFromHead !== "boolean") throw invalid("startFromHead must be a boolean");
    request.startFromHead = input.startFromHead;
  }
  if (group !== WORKFLOW_LOG_GROUP) throw new ApiError("ResourceNotFoundException", "The specified log group does not exist.", "logs");
  const runId = runIdOfStream(stream);
  const run = runId ? ctx.store.getRun(runId) : undefined;
  const content = run ? runLogStream(run, stream, ctx.now) : undefined;
  if (!run || !content) throw new ApiError("ResourceNotFoundException", "The specified log stream does not exist.", "logs");
  const result: OpResult = { body: { ...getLogEventsPage(content, request, ctx.now) }, runId: run.id };
  return result;
}
