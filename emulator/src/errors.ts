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
  | "ExpiredTokenException";

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

/** The HTTP status AWS answers an error type with. */
export function errorStatus(type: ErrorType): number {
  return model.shapes[type]?.error?.httpStatusCode ?? FRONT_DOOR_STATUS[type] ?? 400;
}

/** A failure to report to the caller as an AWS error response. */
export class ApiError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  constructor(type: ErrorType, message: string) {
    super(message);
    this.type = type;
    this.status = errorStatus(type);
  }
}

/** Plain, serialisable form of an error (crosses the Durable Object RPC boundary). */
export interface ErrorBody {
  type: ErrorType;
  message: string;
}
