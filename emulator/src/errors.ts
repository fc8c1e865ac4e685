/**
 * Errors the AWS way (restJson1): the HTTP status comes from the model's error shape, the type
 * travels in the `x-amzn-errortype` header and the body is `{"message": "..."}`.
 */
import { model } from "./model";

/** Error types the emulator answers with (the model's, plus the SigV4 ones AWS's front door uses). */
export type ErrorType =
  | "ValidationException"
  | "AccessDeniedException"
  | "ResourceNotFoundException"
  | "ConflictException"
  | "ThrottlingException"
  | "ServiceQuotaExceededException"
  | "InternalServerException"
  | "RequestTimeoutException"
  | "InvalidSignatureException"
  | "UnrecognizedClientException"
  | "IncompleteSignatureException"
  | "MissingAuthenticationTokenException"
  | "SerializationException"
  | "UnknownOperationException"
  | "ExpiredTokenException"
  | "InvalidParameterException"
  | "ServiceUnavailableException";

/** Statuses of the error types that are not shapes in the model (AWS's authentication layer). */
const FRONT_DOOR_STATUS: Partial<Record<ErrorType, number>> = {
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  SerializationException: 400,
  UnknownOperationException: 404,
};

/**
 * The HTTP status AWS answers an error type with. HealthOmics (restJson1) takes it from its
 * model; CloudWatch Logs (JSON 1.1, no status codes in its model) answers every client error
 * with 400 and its server errors with 500.
 */
export function errorStatus(type: ErrorType, service: "omics" | "logs" = "omics"): number {
  if (service === "logs") return type === "ServiceUnavailableException" || type === "InternalServerException" ? 500 : 400;
  return model.shapes[type]?.error?.httpStatusCode ?? FRONT_DOOR_STATUS[type] ?? 400;
}

/** A failure to report to the caller as an AWS error response. */
export class ApiError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  constructor(type: ErrorType, message: string, service: "omics" | "logs" = "omics") {
    super(message);
    this.type = type;
    this.status = errorStatus(type, service);
  }
}

/** Plain, serialisable form of an error (crosses the Durable Object RPC boundary). */
export interface ErrorBody {
  type: ErrorType;
  message: string;
}
