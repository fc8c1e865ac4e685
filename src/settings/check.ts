/**
 * Checks a whole set of variables at once, outside the Worker: `npm run deploy` runs it on the vars
 * it is about to upload. Each group is parsed as the Worker would parse it; OIDC only when an
 * issuer is set, as in the Worker.
 */
import * as v from "valibot";
import { AUTH, BUDGET, DATA_ACCESS, EVENTS, EXECUTOR, OIDC, SERVICE, type VariableName } from "./schema";

/** One problem: the variable it is about (when it is about one) and the message the Worker would give. */
export interface VariableProblem {
  variable?: VariableName;
  message: string;
}

/** Every problem of `values` (variable name → text), group by group. */
export function checkVariables(values: Record<string, string | undefined>): VariableProblem[] {
  const groups: v.GenericSchema[] = [SERVICE, AUTH, EXECUTOR, BUDGET, EVENTS, DATA_ACCESS];
  if ((values.WES_OIDC_ISSUER ?? "").trim() !== "") groups.push(OIDC);
  else if ((values.WES_OIDC_AUDIENCE ?? "").trim() !== "" || (values.WES_OIDC_JWKS_URL ?? "").trim() !== "")
    return [{ message: "WES_OIDC_AUDIENCE or WES_OIDC_JWKS_URL is set but WES_OIDC_ISSUER is empty" }];
  const problems: VariableProblem[] = [];
  for (const schema of groups) {
    const result = v.safeParse(schema, values);
    for (const issue of result.issues ?? []) {
      const key = issue.path?.[0]?.key;
      problems.push(typeof key === "string" ? { variable: key as VariableName, message: `${key} ${issue.message}` } : { message: issue.message });
    }
  }
  return problems;
}
