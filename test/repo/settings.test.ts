/** Reading groups of variables: one ConfigError naming every problem, per-env caching, whole-set checks. */
import { describe, expect, it } from "vitest";
import { checkVariables } from "../../src/settings/check";
import { ConfigError, perEnv, readGroup } from "../../src/settings/read";
import { AUTH, DATA_ACCESS, EXECUTOR } from "../../src/settings/schema";

const env = (vars: Record<string, string>) => vars as unknown as Env;

function problems(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const EXECUTOR_OK = {
  HEALTHOMICS_REGION: "us-east-1",
  HEALTHOMICS_ROLE_ARN: "arn:aws:iam::123456789012:role/R",
  HEALTHOMICS_OUTPUT_BUCKET: "bucket",
  AWS_ACCESS_KEY_ID: "AKIA",
  AWS_SECRET_ACCESS_KEY: "secret",
};

describe("readGroup", () => {
  it("prefixes each problem with its variable and never quotes a secret", () => {
    const found = problems(() => readGroup(AUTH, env({ WES_USERS: "alice", WES_TOKENS: "bob:short-secret", WES_AUTH_FAILURE_LIMIT: "x" })));
    expect(found).toEqual([
      "WES_USERS entry 1 must look like user:password (user: letters, digits, . _ @ + -)",
      "WES_TOKENS entry 1 must look like user:token with a token of at least 16 characters",
      "WES_AUTH_FAILURE_LIMIT must be a whole number from 0 (off) to 10000",
    ]);
    expect(found.join(" ")).not.toContain("short-secret");
  });

  it("checks the poll bounds against each other even when another variable is bad", () => {
    expect(problems(() => readGroup(EXECUTOR, env({ ...EXECUTOR_OK, HEALTHOMICS_REGION: "", POLL_MIN_SECONDS: "60", POLL_MAX_SECONDS: "30" })))).toEqual([
      "HEALTHOMICS_REGION must be an AWS region such as us-east-1",
      "POLL_MIN_SECONDS must not be larger than POLL_MAX_SECONDS",
    ]);
  });

  it("validates the role settings even while AWS_ROLE_ARN is empty", () => {
    expect(problems(() => readGroup(EXECUTOR, env({ ...EXECUTOR_OK, AWS_ROLE_DURATION_SECONDS: "60" })))).toEqual([
      "AWS_ROLE_DURATION_SECONDS must be a whole number of seconds from 900 to 43200",
    ]);
  });

  it("reports group and rule problems of data access together", () => {
    expect(problems(() => readGroup(DATA_ACCESS, env({ WES_GROUPS: "lab:bad name", WES_ALLOWED_INPUT_PREFIXES: "@nope=s3://x/" })))).toEqual([
      "WES_GROUPS group 'lab' has an invalid member name 'bad name'",
      "WES_ALLOWED_INPUT_PREFIXES names group '@nope', which WES_GROUPS does not define (with OIDC on, set WES_OIDC_GROUPS_CLAIM to take groups from tokens)",
    ]);
  });

  it("refuses a variable that is not text", () => {
    expect(problems(() => readGroup(EXECUTOR, { ...EXECUTOR_OK, POLL_MIN_SECONDS: 5 } as unknown as Env))).toEqual(["POLL_MIN_SECONDS must be text"]);
  });
});

describe("perEnv", () => {
  it("parses once per env object, and again for another object", () => {
    let calls = 0;
    const read = perEnv((e: Env) => ({ calls: ++calls, region: e.HEALTHOMICS_REGION }));
    const a = env({ HEALTHOMICS_REGION: "a" });
    expect(read(a)).toBe(read(a));
    expect(read(env({ HEALTHOMICS_REGION: "b" })).region).toBe("b");
    expect(calls).toBe(2);
  });

  it("keeps throwing the same ConfigError, but retries after any other error", () => {
    let calls = 0;
    const bad = perEnv(() => {
      calls++;
      throw new ConfigError(["X is bad"]);
    });
    const flaky = perEnv(() => {
      calls++;
      throw new Error("transient");
    });
    const e = env({});
    expect(() => bad(e)).toThrow("X is bad");
    expect(() => bad(e)).toThrow("X is bad");
    expect(() => flaky(e)).toThrow("transient");
    expect(() => flaky(e)).toThrow("transient");
    expect(calls).toBe(3);
  });
});

describe("checkVariables", () => {
  it("names the variable of each problem across groups", () => {
    const found = checkVariables({ ...EXECUTOR_OK, WES_ORGANIZATION_URL: "ftp://x", HEALTHOMICS_QUOTA_MODE: "both", AWS_SECRET_ACCESS_KEY: "" });
    expect(found.map((p) => p.variable)).toEqual(["WES_ORGANIZATION_URL", "AWS_SECRET_ACCESS_KEY", "HEALTHOMICS_QUOTA_MODE"]);
  });

  it("reads OIDC only with an issuer, as the Worker does", () => {
    expect(checkVariables({ ...EXECUTOR_OK, WES_OIDC_CLOCK_SKEW_SECONDS: "x" })).toEqual([]);
    expect(checkVariables({ ...EXECUTOR_OK, WES_OIDC_ISSUER: "https://idp.example.org" }).map((p) => p.message)).toEqual([
      "WES_OIDC_AUDIENCE must name at least one audience (the API identifier the tokens are issued for)",
    ]);
    expect(checkVariables({ ...EXECUTOR_OK, WES_OIDC_AUDIENCE: "api" })).toEqual([
      { message: "WES_OIDC_AUDIENCE or WES_OIDC_JWKS_URL is set but WES_OIDC_ISSUER is empty" },
    ]);
  });
});
