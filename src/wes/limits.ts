/** Request size limits (documented in docs/usage.md). */

/** Largest accepted request body (attachments included): 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Most `workflow_attachment` parts in one submission. */
export const MAX_ATTACHMENTS = 200;
