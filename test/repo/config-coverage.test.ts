/**
 * The schema (src/settings/schema.ts), wrangler.toml, .dev.vars.example and docs/configuration.md
 * name the same variables with the same kinds; and the comparison itself notices each kind of drift.
 */
import { describe, expect, it } from "vitest";
import { isSecret, VARIABLES, type VariableName } from "../../src/settings/schema";
import { coverageProblems, devVarsNames, documentedNames, type Names, repositorySources, wranglerVars } from "./support/config-sources";

const schema: Names = new Map(Object.keys(VARIABLES).map((name) => [name, isSecret(name as VariableName) ? "secret" : "var"]));

describe("configuration coverage", () => {
  it("the schema, wrangler.toml, .dev.vars.example and docs/configuration.md agree", () => {
    expect(coverageProblems(schema, repositorySources())).toEqual([]);
  });

  it("declares the credentials as secrets and the role settings as plain vars", () => {
    for (const name of ["WES_USERS", "WES_TOKENS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "HEALTHOMICS_EVENTS_SECRET"]) {
      expect(schema.get(name), name).toBe("secret");
    }
    for (const name of ["AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_ROLE_DURATION_SECONDS", "AWS_ROLE_EXTERNAL_ID", "AWS_STS_ENDPOINT"]) {
      expect(schema.get(name), name).toBe("var");
    }
  });
});

describe("the comparison notices drift", () => {
  const sources = () => repositorySources();

  it("a variable in wrangler.toml that the schema does not declare", () => {
    const s = sources();
    s.wrangler.set("WES_TYPO", "var");
    expect(coverageProblems(schema, s)).toEqual(["wrangler names WES_TYPO, which src/settings/schema.ts does not declare"]);
  });

  it("a schema variable missing from wrangler.toml and from the docs", () => {
    const s = sources();
    s.wrangler.delete("POLL_MIN_SECONDS");
    s.docs.delete("POLL_MIN_SECONDS");
    expect(coverageProblems(schema, s)).toEqual(["docs/configuration.md does not list POLL_MIN_SECONDS", "wrangler.toml [vars] lacks POLL_MIN_SECONDS"]);
  });

  it("a secret set as a var, and a kind the docs get wrong", () => {
    const s = sources();
    s.wrangler.set("AWS_SECRET_ACCESS_KEY", "var");
    s.docs.set("AWS_ROLE_EXTERNAL_ID", "secret");
    expect(coverageProblems(schema, s)).toEqual([
      "wrangler.toml [vars] has the secret AWS_SECRET_ACCESS_KEY",
      "docs/configuration.md calls AWS_ROLE_EXTERNAL_ID a secret; the schema says var",
    ]);
  });

  it("reads each source's syntax", () => {
    expect([...wranglerVars('name = "x"\n[vars]\nA = "1"\n[env.staging.vars]\nB = "2"\n').keys()]).toEqual(["A", "B"]);
    expect([...devVarsNames("# comment\nA=1\n# B=2\nc=3\n").keys()]).toEqual(["A", "B"]);
    const docs = documentedNames(
      "## X\n\n| Variable | Kind | Default |\n|---|---|---|\n| `A` | secret | none |\n| `B` | `[vars]` | 1 |\n\n## Local start (`npm start`)\n\n| Variable | Default |\n|---|---|\n| `PORT` | 8787 |\n",
    );
    expect([...docs]).toEqual([
      ["A", "secret"],
      ["B", "var"],
    ]);
  });
});
