/**
 * Temporary AWS credentials through STS AssumeRole (the emulator's minimal STS): the service
 * signs HealthOmics calls with the role's credentials, renews them before they expire, and a
 * forged or stale session token is refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import { HealthOmicsClient } from "../../src/executors/healthomics/client/client";
import { assumedRoleCredentials, RENEW_BEFORE_MS } from "../../src/executors/healthomics/client/credentials";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { assumeRole } from "../../src/executors/healthomics/client/sts";

const BASE = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const ROLE = { roleArn: "arn:aws:iam::123456789012:role/WesService", sessionName: "wes-test", durationSeconds: 900, endpoint: env.TEST_EMULATOR_URL };

function clientWith(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new HealthOmicsClient({ ...credentials, region: "us-east-1", endpoint: env.TEST_EMULATOR_URL });
}

describe("STS AssumeRole", () => {
  it("returns temporary credentials that sign HealthOmics calls until they expire", async () => {
    const result = await assumeRole(BASE, "us-east-1", ROLE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.accessKeyId).toMatch(/^ASIA/);
    expect(result.value.expiresAt - Date.now()).toBeGreaterThan(800_000);
    expect((await clientWith(result.value).getWorkflow("1000001")).ok).toBe(true);
    const forged = await clientWith({ ...result.value, sessionToken: `${result.value.sessionToken}x` }).getWorkflow("1000001");
    expect(forged.ok).toBe(false);
    if (!forged.ok) expect(forged.error.status).toBe(403);
  });

  it("refuses AssumeRole signed with a wrong secret, as a final error", async () => {
    const result = await assumeRole({ ...BASE, secretAccessKey: "wrong" }, "us-east-1", ROLE);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.status).toBe(403);
      expect(result.error.retryable).toBe(false);
      expect(result.error.message).not.toContain("wrong");
    }
  });

  it("caches the credentials and renews them before they expire", async () => {
    let now = Date.now();
    const provider = assumedRoleCredentials(BASE, "us-east-1", { ...ROLE, sessionName: `renew-${crypto.randomUUID().slice(0, 8)}` }, () => now);
    const first = await provider();
    const again = await provider();
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value.accessKeyId).toBe(first.value.accessKeyId); // cached
    now = (first.value as unknown as { expiresAt: number }).expiresAt - RENEW_BEFORE_MS + 1000; // inside the renewal window
    const renewed = await provider();
    expect(renewed.ok).toBe(true);
    if (!renewed.ok) return;
    expect(renewed.value.accessKeyId).not.toBe(first.value.accessKeyId);
    expect((await clientWith(renewed.value).getWorkflow("1000001")).ok).toBe(true);
  });

  it("signs the service's calls with the role when AWS_ROLE_ARN is set", async () => {
    const settings = executorSettings({ ...env, AWS_ROLE_ARN: ROLE.roleArn, AWS_STS_ENDPOINT: env.TEST_EMULATOR_URL } as Env);
    expect(settings.assumeRole).toMatchObject({ roleArn: ROLE.roleArn, durationSeconds: 3600 });
    const result = await omicsClient(settings).getWorkflow("1000001");
    expect(result.ok).toBe(true);
    const res = await fetch(`${env.TEST_EMULATOR_URL}/__emulator/requests`);
    const { requests } = (await res.json()) as { requests: Array<{ operation: string; status: number }> };
    expect(requests.some((r) => r.operation === "AssumeRole" && r.status === 200)).toBe(true);
  });
});
