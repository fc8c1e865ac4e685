/**
 * The schemas export to JSON Schema (what the planned OpenAPI document will be generated from):
 * the Worker's variables, and the stored RunRequest, which must stay within the official WES
 * RunRequest schema.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toJsonSchema } from "@valibot/to-json-schema";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envJsonSchema } from "../../src/settings/json-schema";
import { isSecret, VARIABLES, type VariableName } from "../../src/settings/schema";
import { RunRequestSchema } from "../../src/wes/json-shapes";
import { ROOT } from "./support/config-sources";

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  description?: string;
  default?: string;
  pattern?: string;
  writeOnly?: boolean;
}

/** KEY=value lines of .dev.vars.example (a complete local configuration). */
function devVars(): Record<string, string> {
  const lines = readFileSync(join(ROOT, ".dev.vars.example"), "utf8").split("\n");
  return Object.fromEntries(lines.filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

describe("the variables as JSON Schema", () => {
  const schema = envJsonSchema() as JsonSchema;

  it("has one described string property per variable; secrets are writeOnly", () => {
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(VARIABLES).sort());
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      expect(property.type, name).toBe("string");
      expect(property.description?.length ?? 0, name).toBeGreaterThan(5);
      expect(property.writeOnly === true, name).toBe(isSecret(name as VariableName));
    }
  });

  it("carries defaults and patterns", () => {
    expect(schema.properties?.POLL_MIN_SECONDS?.default).toBe("10");
    expect(schema.properties?.HEALTHOMICS_EVENTS_HEADER?.default).toBe("x-wes-events-secret");
    expect(new RegExp(schema.properties?.HEALTHOMICS_REGION?.pattern ?? "^$").test("eu-west-1")).toBe(true);
  });

  it("accepts the local configuration and refuses a bad region", () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(devVars()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...devVars(), HEALTHOMICS_REGION: "mars" })).toBe(false);
  });
});

describe("the stored RunRequest as JSON Schema", () => {
  const official = (
    parse(readFileSync(join(ROOT, "spec", "wes", "workflow_execution_service.openapi.yaml"), "utf8")) as { components: { schemas: Record<string, JsonSchema> } }
  ).components.schemas.RunRequest!;
  const ours = toJsonSchema(RunRequestSchema) as JsonSchema;

  it("names only properties of the official RunRequest, with the same types", () => {
    for (const [name, property] of Object.entries(ours.properties ?? {})) {
      const theirs = official.properties?.[name];
      expect(theirs, `${name} is not in the official RunRequest`).toBeDefined();
      expect(property.type, name).toBe(theirs?.type);
      if (typeof theirs?.additionalProperties === "object")
        expect(property.additionalProperties, name).toMatchObject({ type: theirs.additionalProperties.type });
    }
  });

  it("requires at least what the official schema requires", () => {
    for (const name of official.required ?? []) expect(ours.required, name).toContain(name);
  });
});
