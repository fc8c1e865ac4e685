/** HealthOmics execution settings: a valid env, one ConfigError listing every problem, output prefixes. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { executorSettings, outputPrefix } from "../../src/executor-config";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

function envWith(overrides: Partial<Record<keyof Env, string>> = {}): Env {
  return {
    WORKFLOW_EXECUTOR: "healthomics",
    HEALTHOMICS_REGION: "us-east-1",
    HEALTHOMICS_ROLE_ARN: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
    HEALTHOMICS_OUTPUT_BUCKET: "wes-outputs",
    HEALTHOMICS_ENDPOINT: "",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: "",
    POLL_MIN_SECONDS: "",
    POLL_MAX_SECONDS: "",
    ...overrides,
  } as unknown as Env;
}

function configError(env: Env): ConfigError {
  try {
    executorSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("executorSettings", () => {
  it("parses a valid env with defaults", () => {
    expect(executorSettings(envWith())).toEqual({
      executor: "healthomics",
      region: "us-east-1",
      roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
      outputPrefix: "s3://wes-outputs/",
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET },
      pollMinMs: 10_000,
      pollMaxMs: 300_000,
      downloadUrlSeconds: 3600,
      deleteRuns: false,
    });
  });

  it("takes an endpoint (trailing slashes dropped), a session token and poll bounds", () => {
    const settings = executorSettings(
      envWith({
        HEALTHOMICS_ENDPOINT: "http://127.0.0.1:8788//",
        AWS_SESSION_TOKEN: "session",
        POLL_MIN_SECONDS: "0.5",
        POLL_MAX_SECONDS: "60",
        WORKFLOW_EXECUTOR: "",
      }),
    );
    expect(settings.endpoint).toBe("http://127.0.0.1:8788");
    expect(settings.credentials.sessionToken).toBe("session");
    expect(settings.pollMinMs).toBe(500);
    expect(settings.pollMaxMs).toBe(60_000);
    expect(settings.executor).toBe("healthomics");
  });

  it("reads HEALTHOMICS_DELETE_RUNS as true or false, and refuses anything else", () => {
    expect(executorSettings(envWith({ HEALTHOMICS_DELETE_RUNS: "true" })).deleteRuns).toBe(true);
    expect(executorSettings(envWith({ HEALTHOMICS_DELETE_RUNS: "" })).deleteRuns).toBe(false);
    expect(() => executorSettings(envWith({ HEALTHOMICS_DELETE_RUNS: "yes" }))).toThrow(/HEALTHOMICS_DELETE_RUNS must be true or false/);
  });

  it("trims values", () => {
    const settings = executorSettings(
      envWith({ HEALTHOMICS_REGION: " eu-central-1 ", HEALTHOMICS_ROLE_ARN: " arn:aws:iam::123456789012:role/path/Role ", POLL_MIN_SECONDS: " 5 " }),
    );
    expect(settings.region).toBe("eu-central-1");
    expect(settings.roleArn).toBe("arn:aws:iam::123456789012:role/path/Role");
    expect(settings.pollMinMs).toBe(5_000);
  });

  it("lists every problem in one ConfigError, naming the variables", () => {
    const error = configError(
      envWith({
        WORKFLOW_EXECUTOR: "batch",
        HEALTHOMICS_REGION: "mars",
        HEALTHOMICS_ROLE_ARN: "",
        HEALTHOMICS_OUTPUT_BUCKET: "Bad_Bucket",
        HEALTHOMICS_ENDPOINT: "ftp://example.org",
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: " ",
        POLL_MIN_SECONDS: "soon",
        POLL_MAX_SECONDS: "-5",
      }),
    );
    const names = [
      "WORKFLOW_EXECUTOR",
      "HEALTHOMICS_REGION",
      "HEALTHOMICS_ROLE_ARN",
      "HEALTHOMICS_OUTPUT_BUCKET",
      "HEALTHOMICS_ENDPOINT",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "POLL_MIN_SECONDS",
      "POLL_MAX_SECONDS",
    ];
    expect(error.problems).toHaveLength(names.length);
    for (const name of names) expect(error.message).toContain(name);
    expect(error.message).toMatch(/^The service is not configured correctly: /);
  });

  it("never puts secret or configured values in the error", () => {
    const error = configError(
      envWith({ HEALTHOMICS_REGION: "", AWS_SESSION_TOKEN: "very-secret-session-token", HEALTHOMICS_OUTPUT_BUCKET: "Secret_Bucket_Name" }),
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(error.message).not.toContain("very-secret-session-token");
    expect(error.message).not.toContain("Secret_Bucket_Name");
  });

  it("rejects a poll minimum above the maximum", () => {
    expect(configError(envWith({ POLL_MIN_SECONDS: "600", POLL_MAX_SECONDS: "60" })).problems).toEqual([
      "POLL_MIN_SECONDS must not be larger than POLL_MAX_SECONDS",
    ]);
  });

  it.each(["0", "86401", "Infinity", "NaN"])("rejects POLL_MIN_SECONDS=%s", (value) => {
    expect(configError(envWith({ POLL_MIN_SECONDS: value })).message).toContain("POLL_MIN_SECONDS must be a number of seconds");
  });

  it.each(["arn:aws:iam::12345:role/R", "arn:aws:iam::123456789012:user/R", "role/R", "arn:aws:iam::123456789012:role/"])("rejects the role ARN %s", (arn) => {
    expect(configError(envWith({ HEALTHOMICS_ROLE_ARN: arn })).message).toContain("HEALTHOMICS_ROLE_ARN");
  });
});

describe("outputPrefix", () => {
  it.each([
    ["bucket", "s3://bucket/"],
    ["my.bucket-1", "s3://my.bucket-1/"],
    ["bucket/prefix", "s3://bucket/prefix/"],
    ["bucket/a/b/", "s3://bucket/a/b/"],
    ["s3://bucket/prefix/", "s3://bucket/prefix/"],
    ["S3://bucket//a//b", "s3://bucket/a/b/"],
    ["s3://bucket", "s3://bucket/"],
    ["  s3://bucket/x  ", "s3://bucket/x/"],
  ])("%j → %s", (value, expected) => {
    expect(outputPrefix(value)).toBe(expected);
  });

  it.each(["", "s3://", "Bad_Bucket", "UPPER", "ab", "b".repeat(64), "-bucket", "bucket-", "my..bucket", "/bucket", "bucket/a\u0001b"])(
    "rejects %j",
    (value) => {
      expect(outputPrefix(value)).toBeUndefined();
    },
  );
});
