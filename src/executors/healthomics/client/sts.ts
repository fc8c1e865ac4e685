/**
 * STS AssumeRole over the AWS Query protocol (form-encoded POST, XML answer), SigV4-signed with
 * service `sts` like every other call. Used to turn the service's base key into temporary
 * credentials of a role that lasts through week-long runs (credentials.ts renews them).
 * Reference: AWS STS API, AssumeRole (Version 2011-06-15).
 */
import { AwsClient } from "aws4fetch";
import { localOmicsError, parseOmicsError, redactSecrets, type OmicsResult } from "./errors";
import type { AwsCredentials } from "./transport";

/** What to assume. */
export interface AssumeRoleSettings {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  /** STS endpoint (the emulator locally); default the regional `https://sts.{region}.amazonaws.com`. */
  endpoint?: string;
}

/** Temporary credentials and when they stop working. */
export interface TemporaryCredentials extends AwsCredentials {
  sessionToken: string;
  expiresAt: number;
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match?.[1]
    ?.replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** Calls STS AssumeRole with the base credentials. Never throws. */
export async function assumeRole(
  base: AwsCredentials,
  region: string,
  settings: AssumeRoleSettings,
  timeoutMs = 20_000,
): Promise<OmicsResult<TemporaryCredentials>> {
  const endpoint = (settings.endpoint ?? `https://sts.${region}.amazonaws.com`).replace(/\/+$/, "");
  const form = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: settings.roleArn,
    RoleSessionName: settings.sessionName,
    DurationSeconds: String(settings.durationSeconds),
  });
  if (settings.externalId) form.set("ExternalId", settings.externalId);
  const aws = new AwsClient({ ...base, service: "sts", region, retries: 0 });
  const secrets = [base.secretAccessKey, base.sessionToken, base.accessKeyId];
  let text: string;
  let response: Response;
  try {
    const signed = await aws.sign(`${endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    response = await fetch(signed);
    text = await response.text();
  } catch (error) {
    const message = redactSecrets(`STS AssumeRole failed before a complete response: ${error instanceof Error ? error.message : String(error)}`, secrets);
    return { ok: false, error: localOmicsError("NetworkError", message) };
  }
  if (!response.ok) {
    // Query-protocol errors are XML: <ErrorResponse><Error><Code/><Message/></Error></ErrorResponse>.
    const code = element(text, "Code");
    const error = parseOmicsError(
      response.status,
      code ? { "x-amzn-errortype": code } : response.headers,
      JSON.stringify({ message: element(text, "Message") ?? text.slice(0, 300) }),
    );
    return { ok: false, error: { ...error, message: redactSecrets(`STS AssumeRole: ${error.message}`, secrets) } };
  }
  const accessKeyId = element(text, "AccessKeyId");
  const secretAccessKey = element(text, "SecretAccessKey");
  const sessionToken = element(text, "SessionToken");
  const expiration = Date.parse(element(text, "Expiration") ?? "");
  if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration)) {
    return { ok: false, error: { ...localOmicsError("InvalidResponse", "STS AssumeRole answered without complete credentials"), retryable: true } };
  }
  return { ok: true, value: { accessKeyId, secretAccessKey, sessionToken, expiresAt: expiration } };
}
