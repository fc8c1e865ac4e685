/** Model-driven request validation and the StartRun checks against the workflow. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../emulator/src/errors";
import { bindInput, matchOperation } from "../../emulator/src/router";
import { SEED_TEMPLATE } from "../../emulator/src/seed";
import { checkRunParameters, checkWorkflowType, validateInput } from "../../emulator/src/validation";

const valid = { roleArn: "arn:aws:iam::123456789012:role/r", outputUri: "s3://bucket/out", requestId: "req-1", workflowId: "1000001" };

function errorOf(fn: () => void): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("validateInput (StartRunRequest)", () => {
  it("accepts a valid request", () => {
    expect(() => validateInput("StartRunRequest", valid)).not.toThrow();
  });

  it("requires roleArn, outputUri and requestId, listing every violation", () => {
    const e = errorOf(() => validateInput("StartRunRequest", { workflowId: "1000001" }));
    expect(e.type).toBe("ValidationException");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^3 validation errors detected: /);
    expect(e.message).toContain("Value null at 'requestId' failed to satisfy constraint: Member must not be null");
  });

  it("checks patterns, lengths, enums and ranges", () => {
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, workflowId: "abc" })).message).toContain(
      "Member must satisfy regular expression pattern: [0-9]+",
    );
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, roleArn: "role" })).message).toContain("at 'roleArn'");
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, name: "x".repeat(129) })).message).toContain(
      "Member must have length less than or equal to 128",
    );
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, workflowType: "PUBLIC" })).message).toContain(
      "Member must satisfy enum value set: [PRIVATE, READY2RUN]",
    );
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, priority: 100001 })).message).toContain(
      "Member must have value less than or equal to 100000",
    );
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, storageCapacity: -1 })).message).toContain("greater than or equal to 0");
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, workflowOwnerId: "12" })).message).toContain("[0-9]{12}");
  });

  it("answers wrong JSON types with SerializationException", () => {
    expect(errorOf(() => validateInput("StartRunRequest", { ...valid, priority: "high" })).type).toBe("SerializationException");
  });

  it("binds and validates query members (ListRunTasks maxResults 1..100, status enum)", () => {
    const m = matchOperation("GET", "/run/1234567/task")!;
    expect(m).toEqual({ operation: "ListRunTasks", labels: { id: "1234567" } });
    const input = bindInput(m.operation, m.labels, new URLSearchParams("maxResults=101&status=DONE"), "");
    const e = errorOf(() => validateInput("ListRunTasksRequest", input));
    expect(e.message).toMatch(/^2 validation errors detected/);
    expect(() => validateInput("ListRunTasksRequest", bindInput(m.operation, m.labels, new URLSearchParams("maxResults=1&status=RUNNING"), ""))).not.toThrow();
  });

  it("routes every operation from the model", () => {
    expect(matchOperation("POST", "/run")?.operation).toBe("StartRun");
    expect(matchOperation("GET", "/run")?.operation).toBe("ListRuns");
    expect(matchOperation("GET", "/run/1")?.operation).toBe("GetRun");
    expect(matchOperation("DELETE", "/run/1")?.operation).toBe("DeleteRun");
    expect(matchOperation("POST", "/run/1/cancel")?.operation).toBe("CancelRun");
    expect(matchOperation("GET", "/run/1/task/2")).toEqual({ operation: "GetRunTask", labels: { id: "1", taskId: "2" } });
    expect(matchOperation("POST", "/workflow")?.operation).toBe("CreateWorkflow");
    expect(matchOperation("GET", "/workflow/1000001")?.operation).toBe("GetWorkflow");
    expect(matchOperation("GET", "/workflow")?.operation).toBe("ListWorkflows");
    expect(matchOperation("PUT", "/run/1")).toBeNull();
  });
});

describe("StartRun against the workflow", () => {
  it("needs every required parameter and no undeclared one", () => {
    expect(() => checkRunParameters(SEED_TEMPLATE, { input_file: "s3://b/x" })).not.toThrow();
    expect(() => checkRunParameters(SEED_TEMPLATE, { input_file: "s3://b/x", sample_name: "s" })).not.toThrow();
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, { sample_name: "s" })).message).toContain("input_file");
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, undefined)).type).toBe("ValidationException");
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, { input_file: "x", extra: 1 })).message).toContain("extra");
    // Parameter names are looked up as own keys: Object.prototype's are undeclared like any other.
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const params = JSON.parse(`{"input_file":"x",${JSON.stringify(name)}:1}`) as Record<string, unknown>;
      expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, params)).message, name).toContain(name);
    }
  });

  it("takes WDL inputs qualified with the workflow's name, as HealthOmics documents", () => {
    expect(() => checkRunParameters(SEED_TEMPLATE, { "Germline.input_file": "s3://b/x", sample_name: "s" }, "Germline")).not.toThrow();
    // Only the workflow's own name qualifies; other engines take names as written.
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, { "Other.input_file": "s3://b/x" }, "Germline")).message).toContain("Other.input_file");
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, { "Germline.input_file": "s3://b/x" })).message).toContain("Germline.input_file");
    expect(errorOf(() => checkRunParameters(SEED_TEMPLATE, { input_file: "a", "Germline.input_file": "b" }, "Germline")).message).toContain("both");
  });

  it("matches workflowType READY2RUN with the workflow's type", () => {
    expect(() => checkWorkflowType("READY2RUN", "READY2RUN", "9000001")).not.toThrow();
    expect(errorOf(() => checkWorkflowType(undefined, "READY2RUN", "9000001")).type).toBe("ValidationException");
    expect(errorOf(() => checkWorkflowType("PRIVATE", "READY2RUN", "9000001")).type).toBe("ValidationException");
    expect(errorOf(() => checkWorkflowType("READY2RUN", "PRIVATE", "1000001")).type).toBe("ValidationException");
    expect(() => checkWorkflowType(undefined, "PRIVATE", "1000001")).not.toThrow();
  });
});
