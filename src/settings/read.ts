/**
 * Reading a group of variables (src/settings/schema.ts) from the Worker's env: one ConfigError that
 * lists every problem of the group, each prefixed with its variable's name, never its value.
 */
import * as v from "valibot";

/** Raised when configuration is missing or invalid; rendered as a 503 naming the variables. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The service is not configured correctly: ${problems.join("; ")}. See docs/configuration.md.`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The problems of a failed parse: `NAME message` for a variable's own issue, the message alone for a rule across variables. */
export function problemsOf(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const key = issue.path?.[0]?.key;
    return typeof key === "string" ? `${key} ${issue.message}` : issue.message;
  });
}

/** Parses `env` with a group's schema; throws one ConfigError naming every problem. */
export function readGroup<S extends v.GenericSchema>(schema: S, env: Env): v.InferOutput<S> {
  const result = v.safeParse(schema, env);
  if (!result.success) throw new ConfigError(problemsOf(result.issues));
  return result.output;
}

/**
 * Caches `read` per env object: Workers have no start-up hook, and the env object of an isolate
 * does not change, so each group is parsed once per isolate (tests pass other env objects, which
 * get their own entry). A ConfigError is cached too and thrown again; anything else is not cached.
 */
export function perEnv<T>(read: (env: Env) => T): (env: Env) => T {
  const cache = new WeakMap<object, { value: T } | { error: unknown }>();
  return (env) => {
    let entry = cache.get(env);
    if (!entry) {
      try {
        entry = { value: read(env) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        entry = { error };
      }
      cache.set(env, entry);
    }
    if ("error" in entry) throw entry.error;
    return entry.value;
  };
}
