/**
 * What ordinary users see of AWS (issue #6): AWS account ids are masked in the texts HealthOmics
 * and this service produce (run and task `system_logs`, `outputs`); admins see them whole.
 *
 * Only the account id is masked, so the rest stays useful: `arn:aws:omics:us-east-1:************:run/1234567`
 * still names the run. Masked: the account field of any ARN (any partition and service, IAM and
 * STS included), the account in HealthOmics storage hosts (`omics://<account>.storage…`) and ECR
 * registry hosts (`<account>.dkr.ecr…`), and a 12-digit number right after the words "account" or
 * "owner" (`account 123456789012`, `"accountId":"…"`, `for owner …`). Other 12-digit numbers
 * (file sizes, say) are left alone, and so are S3 URIs: users need them, even when a bucket name
 * happens to contain an account id.
 */

/** Replacement of an account id (same length, so columns and ARN shapes stay recognisable). */
export const ACCOUNT_MASK = "************";

const PATTERNS: Array<[RegExp, string]> = [
  // arn:partition:service:region:account:resource — region is empty for global services (iam, sts).
  [/(arn:aws[a-z-]*:[^:\s]*:[^:\s]*:)\d{12}(?!\d)/gi, `$1${ACCOUNT_MASK}`],
  [/(omics:\/\/)\d{12}(?=\.storage\.)/gi, `$1${ACCOUNT_MASK}`],
  [/(?<!\d)\d{12}(?=\.dkr\.ecr\.)/gi, ACCOUNT_MASK],
  [/(\b(?:account|owner)(?:[\s_-]?(?:id|number))?s?\b[^A-Za-z0-9]{0,4})\d{12}(?!\d)/gi, `$1${ACCOUNT_MASK}`],
];

/** Masks the AWS account ids in one text. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Masks account ids in every string of a JSON value (object keys are left as they are). */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    // fromEntries keeps a key like "__proto__" an own key instead of a prototype.
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redactValue(item)]));
  }
  return value;
}
