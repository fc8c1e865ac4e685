/** The deployment's budget object (one, named "global"). */
import { budgetSettings } from "./budget-config";

/** The budget object's stub. */
export function budgetStub(env: Env) {
  budgetSettings(env); // a bad HEALTHOMICS_QUOTAS is a ConfigError here, not a lost error inside the object
  return env.BUDGET_OBJECT.get(env.BUDGET_OBJECT.idFromName("global"));
}
