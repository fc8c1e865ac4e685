/**
 * One endpoint, several AWS services, told apart the way multi-service emulators (LocalStack,
 * moto server) do it: by the service in the request's SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`, in the Authorization header or the
 * `X-Amz-Credential` query parameter of a presigned URL). A request without a scope, or with a
 * service the emulator does not serve, goes to the service its shape names (an `X-Amz-Target` of
 * CloudWatch Logs, an STS form on `POST /`, a HealthOmics path, else S3), which then refuses it
 * with that service's own error. Pure.
 */
import type { OperationName } from "./model";
import { matchOperation } from "./router";
import { S3_OPERATIONS, type S3Operation } from "./s3/request";

/** The services the emulator serves. */
export type ServiceName = "omics" | "s3" | "sts" | "logs";
/** Every service, for validation messages. */
export const SERVICE_NAMES: readonly ServiceName[] = ["omics", "s3", "sts", "logs"];

/** CloudWatch Logs operations the emulator serves. */
export type LogsOperation = "GetLogEvents";
/** Every operation of every service. */
export type AnyOperation = OperationName | S3Operation | LogsOperation | "AssumeRole";

/** Operations by service (HealthOmics' come from its model). */
export function operationsOf(service: ServiceName, omicsOperations: readonly string[]): readonly string[] {
  switch (service) {
    case "omics":
      return omicsOperations;
    case "s3":
      return S3_OPERATIONS;
    case "logs":
      return ["GetLogEvents"];
    case "sts":
      return ["AssumeRole"];
  }
}

/** The service an operation belongs to. */
export function serviceOfOperation(operation: string): ServiceName {
  if ((S3_OPERATIONS as readonly string[]).includes(operation)) return "s3";
  if (operation === "GetLogEvents") return "logs";
  if (operation === "AssumeRole") return "sts";
  return "omics";
}

/** The service named in a SigV4 credential scope, if the request carries one. */
export function signingService(headers: Headers, query: URLSearchParams): string | undefined {
  const credential = /Credential=([^,\s]+)/.exec(headers.get("authorization") ?? "")?.[1] ?? query.get("X-Amz-Credential") ?? undefined;
  const parts = credential?.split("/");
  return parts && parts.length === 5 ? parts[3] : undefined;
}

/** Which service answers a request (see the module comment). */
export function routeService(method: string, path: string, headers: Headers, query: URLSearchParams): ServiceName {
  const signed = signingService(headers, query);
  if (signed && (SERVICE_NAMES as readonly string[]).includes(signed)) return signed as ServiceName;
  if ((headers.get("x-amz-target") ?? "").startsWith("Logs_20140328.")) return "logs";
  if (method === "POST" && path === "/") return "sts";
  if (matchOperation(method, path)) return "omics";
  return "s3";
}
