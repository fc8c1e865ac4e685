/** The tags the emulator reads from StartRun (and CreateWorkflow): emulator-only knobs for tests and benchmarks. */
import { ApiError } from "../errors";
import { LOG_LINES_TAG, MAX_LOG_LINES } from "../logs/run-logs";

/**
 * Tag (emulator only) that stretches durations: on StartRun the run's plan (e.g. "120" turns the
 * 32-second germline run into a 64-minute one; benchmarks use it for realistically long runs),
 * on CreateWorkflow the workflow's CREATING time.
 */
export const DURATION_SCALE_TAG = "emulator:duration-scale";
/** Largest accepted stretch (a 37 s plan becomes about 4 days). */
const MAX_DURATION_SCALE = 10_000;

/** The run's duration stretch from its tags: undefined when absent; ValidationException when not a number in (0, 10000]. */
export function durationScaleOf(tags: Record<string, string> | undefined): number | undefined {
  const text = tags?.[DURATION_SCALE_TAG];
  if (text === undefined) return undefined;
  const value = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > MAX_DURATION_SCALE) {
    throw new ApiError(
      "ValidationException",
      `Tag ${DURATION_SCALE_TAG} must be a number greater than 0 and at most ${MAX_DURATION_SCALE}, got '${text.slice(0, 40)}'`,
    );
  }
  return value;
}

/** Extra engine log lines a run's tags ask for (`emulator:log-lines`); ValidationException when not an integer in [0, 10,000,000]. */
export function logLinesOf(tags: Record<string, string> | undefined): number | undefined {
  const text = tags?.[LOG_LINES_TAG];
  if (text === undefined) return undefined;
  if (!/^\d{1,8}$/.test(text.trim()) || Number(text) > MAX_LOG_LINES) {
    throw new ApiError("ValidationException", `Tag ${LOG_LINES_TAG} must be an integer from 0 to ${MAX_LOG_LINES}, got '${text.slice(0, 40)}'`);
  }
  return Number(text);
}
