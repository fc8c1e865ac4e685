/**
 * `npm run deploy`: how deploy/<env>.toml merges over wrangler.toml and what is refused (pure), a
 * dry run of a staging environment, and the order of the remote steps of a real deploy — the last
 * two with a recording stand-in for wrangler (no account is needed, and none is used; npm test's
 * own dry-run step bundles with the real wrangler).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLE_LIMIT_KIB } from "../../scripts/lib/bundle-size.mjs";
import { absolutePaths, mergeConfig, secretNames, secretsProblems, varsProblems } from "../../scripts/lib/deploy-config.mjs";
import { ROOT } from "./support/config-sources";

const base = parse(readFileSync(join(ROOT, "wrangler.toml"), "utf8")) as Record<string, unknown> & { vars: Record<string, string>; name: string };
const KINDS = new Map<string, "var" | "secret">([
  ["WES_ADMINS", "var"],
  ["HEALTHOMICS_REGION", "var"],
  ["WES_USERS", "secret"],
]);
const DB_ID = "0123abcd-0000-4000-8000-0123456789ab";
const scratch = mkdtempSync(join(tmpdir(), "wes-deploy-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("mergeConfig", () => {
  it("merges vars by name, the D1 database by binding, and names a non-production Worker after its environment", () => {
    const { config, problems } = mergeConfig(
      base,
      { vars: { WES_ADMINS: "alice" }, d1_databases: [{ binding: "DB", database_id: DB_ID }], observability: { head_sampling_rate: 0.1 } },
      "staging",
    );
    expect(problems).toEqual([]);
    expect(config.name).toBe("wes-healthomics-staging");
    expect(config.vars.WES_ADMINS).toBe("alice");
    expect(config.vars.WES_ENVIRONMENT).toBe("staging");
    expect(config.vars.POLL_MAX_SECONDS).toBe(base.vars.POLL_MAX_SECONDS);
    expect(config.d1_databases).toEqual([{ ...(base.d1_databases as object[])[0], database_id: DB_ID }]);
    expect(config.observability).toEqual({ enabled: true, head_sampling_rate: 0.1 });
    expect(config.durable_objects).toEqual(base.durable_objects);
  });

  it("keeps production's name and environment unless the file sets them", () => {
    const { config } = mergeConfig(base, {}, "production");
    expect(config.name).toBe(base.name);
    expect(config.vars.WES_ENVIRONMENT).toBe("production");
    expect(mergeConfig(base, { name: "wes-lab" }, "staging").config.name).toBe("wes-lab");
  });

  it("refuses code-level keys and unknown D1 bindings", () => {
    const { problems } = mergeConfig(base, { main: "x.ts", migrations: [], d1_databases: [{ binding: "OTHER" }] }, "production");
    expect(problems).toEqual([
      "deploy/production.toml sets 'main', which only wrangler.toml may set (it is part of the code)",
      "deploy/production.toml sets 'migrations', which only wrangler.toml may set (it is part of the code)",
      "deploy/production.toml names D1 binding 'OTHER', which wrangler.toml does not declare",
    ]);
  });
});

describe("deploy/example.toml", () => {
  it("merges cleanly and names only plain variables of the service", async () => {
    const { VARIABLES, isSecret } = await import("../../src/settings/schema");
    const kinds = new Map(Object.keys(VARIABLES).map((name) => [name, isSecret(name as keyof typeof VARIABLES) ? "secret" : "var"] as const));
    const example = parse(readFileSync(join(ROOT, "deploy", "example.toml"), "utf8"));
    const { config, problems } = mergeConfig(base, example, "production");
    expect(problems).toEqual([]);
    expect(varsProblems(config.vars, kinds, "production")).toEqual([]);
  });
});

describe("vars and secrets", () => {
  it("refuses an unknown var, a secret set as a var, and a value that is not text", () => {
    expect(varsProblems({ WES_ADMINS: "a", WES_ADMIN: "a", WES_USERS: "a:b", HEALTHOMICS_REGION: 1 }, KINDS, "production")).toEqual([
      "[vars] WES_ADMIN is not a variable of the service (src/settings/schema.ts): a typo?",
      "[vars] WES_USERS is a secret: remove it from deploy/production.toml and pass it with --secrets-file",
      "[vars] HEALTHOMICS_REGION must be a string (quote it in TOML)",
    ]);
  });

  it("reads a secrets file's names and refuses vars and unknown names in it", () => {
    expect(secretNames('{"WES_USERS": "a:b", "X": null}')).toEqual(["WES_USERS", "X"]);
    expect(secretNames("# users\nWES_USERS=alice:pw\nexport HEALTHOMICS_REGION = x\n\n")).toEqual(["WES_USERS", "HEALTHOMICS_REGION"]);
    expect(secretsProblems(["WES_USERS", "HEALTHOMICS_REGION", "NOPE"], KINDS)).toEqual([
      "secrets file: HEALTHOMICS_REGION is a plain var (set it in [vars]); Cloudflare refuses a secret and a var of one name",
      "secrets file: NOPE is not a variable of the service (src/settings/schema.ts)",
    ]);
  });

  it("makes paths absolute", () => {
    const out = absolutePaths(
      { main: "src/index.ts", d1_databases: [{ binding: "DB", migrations_dir: "migrations" }], assets: { directory: "/abs" } },
      "/repo",
    );
    expect(out).toEqual({ main: "/repo/src/index.ts", d1_databases: [{ binding: "DB", migrations_dir: "/repo/migrations" }], assets: { directory: "/abs" } });
  });
});

/** Runs scripts/deploy.mjs with `args`; environment files come from `configDir`. */
function deploy(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, "scripts", "deploy.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

function environmentFile(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, `${name}.toml`), text);
  return dir;
}

const STAGING = `
[[d1_databases]]
binding = "DB"
database_id = "${DB_ID}"

[vars]
HEALTHOMICS_ROLE_ARN = "arn:aws:iam::123456789012:role/OmicsWorkflowRole"
HEALTHOMICS_OUTPUT_BUCKET = "s3://staging-outputs/wes"
WES_ADMINS = "alice"
`;

/** A stand-in for wrangler that records its arguments and writes a tiny bundle for --outdir. */
function recorder(): { bin: string; calls: () => string[][] } {
  const dir = mkdtempSync(join(scratch, "wrangler-"));
  const log = join(dir, "calls.jsonl");
  const bin = join(dir, "wrangler");
  writeFileSync(
    bin,
    `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const out = args.indexOf("--outdir");
if (out >= 0) { fs.mkdirSync(args[out + 1], { recursive: true }); fs.writeFileSync(args[out + 1] + "/index.js", "export default {};"); }
`,
  );
  chmodSync(bin, 0o755);
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as string[])
      : [];
  return { bin, calls };
}

describe("npm run deploy -- --dry-run", () => {
  // The real wrangler bundles the Worker in npm test's own dry-run step (scripts/test.mjs); here a
  // recording stand-in shows what the dry run runs and writes, without a second bundling.
  it("builds the staging configuration from wrangler.toml and deploy/staging.toml, bundles it and reports its size", () => {
    const dir = environmentFile(mkdtempSync(join(scratch, "env-")), "staging", STAGING);
    const outdir = join(scratch, "out");
    const wrangler = recorder();
    const result = deploy(["--dry-run", "--env", "staging", "--config-dir", dir, "--outdir", outdir], { WES_DEPLOY_WRANGLER: wrangler.bin });
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`API Worker bundle: [\\d.]+ KiB gzip .* within the limit of ${BUNDLE_LIMIT_KIB} KiB gzip`));
    expect(result.stdout).not.toContain("would be refused");
    const generatedPath = join(ROOT, ".wrangler", "generated", "staging.json");
    expect(wrangler.calls()).toEqual([["deploy", "--dry-run", "-c", generatedPath, "--outdir", outdir]]);
    const generated = JSON.parse(readFileSync(generatedPath, "utf8"));
    expect(generated).toMatchObject({ name: "wes-healthomics-staging", main: join(ROOT, "src", "index.ts") });
    expect(generated.vars).toMatchObject({ WES_ENVIRONMENT: "staging", WES_ADMINS: "alice", HEALTHOMICS_OUTPUT_BUCKET: "s3://staging-outputs/wes" });
  });

  it("refuses a secret set as a var before building anything", () => {
    const dir = environmentFile(mkdtempSync(join(scratch, "env-")), "staging", `${STAGING}WES_USERS = "alice:pw"\n`);
    const wrangler = recorder();
    const result = deploy(["--dry-run", "--env", "staging", "--config-dir", dir], { WES_DEPLOY_WRANGLER: wrangler.bin });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("[vars] WES_USERS is a secret");
    expect(result.stdout + result.stderr).not.toContain("alice:pw");
    expect(wrangler.calls()).toEqual([]);
  });
});

describe("npm run deploy (remote steps, with a recording wrangler)", () => {
  it("bundles, applies the remote migrations, then deploys with the secrets in the same version", () => {
    const dir = environmentFile(mkdtempSync(join(scratch, "env-")), "staging", STAGING);
    const secrets = join(dir, "staging.secrets.env");
    writeFileSync(secrets, "WES_USERS=alice:pw\nAWS_ACCESS_KEY_ID=AKIA\nAWS_SECRET_ACCESS_KEY=x\n");
    const wrangler = recorder();
    const result = deploy(["--env", "staging", "--config-dir", dir, "--secrets-file", secrets], { WES_DEPLOY_WRANGLER: wrangler.bin });
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const generated = join(ROOT, ".wrangler", "generated", "staging.json");
    const calls = wrangler.calls();
    expect(calls.map((c) => c.slice(0, 2))).toEqual([
      ["deploy", "--dry-run"],
      ["d1", "migrations"],
      ["deploy", "-c"],
    ]);
    expect(calls[1]).toEqual(["d1", "migrations", "apply", "DB", "--remote", "-c", generated]);
    expect(calls[2]).toEqual(["deploy", "-c", generated, "--secrets-file", secrets]);
  });

  it("touches nothing remote while the configuration is not deployable", () => {
    const dir = environmentFile(mkdtempSync(join(scratch, "env-")), "production", STAGING.replace(DB_ID, "<the id>"));
    const wrangler = recorder();
    const result = deploy(["--env", "production", "--config-dir", dir], { WES_DEPLOY_WRANGLER: wrangler.bin });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("database_id is not a database's id yet");
    expect(wrangler.calls()).toEqual([]);
  });

  it("needs deploy/<env>.toml for a real deploy", () => {
    const wrangler = recorder();
    const result = deploy(["--env", "staging", "--config-dir", mkdtempSync(join(scratch, "empty-"))], { WES_DEPLOY_WRANGLER: wrangler.bin });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("copy deploy/example.toml to deploy/staging.toml");
    expect(wrangler.calls()).toEqual([]);
  });
});
