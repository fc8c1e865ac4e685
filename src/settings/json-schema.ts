/**
 * The variables as JSON Schema (draft-07): one string property per variable with its description,
 * default, pattern where it has one, and `writeOnly: true` for secrets. Used by
 * `npm run config-schema` and the tests, never by the Worker (the converter is a dev dependency).
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import { ENV_SCHEMA } from "./schema";

/** The JSON Schema of the Worker's variables, as they are written (text). */
export function envJsonSchema() {
  // Input mode describes what an operator writes; transforms (parsing into numbers, lists, maps)
  // have no JSON Schema form and end each property's description there.
  return { title: "WES on AWS HealthOmics: Worker variables", ...toJsonSchema(ENV_SCHEMA, { typeMode: "input", errorMode: "ignore" }) };
}
