import type { ComponentChildren } from "preact";
import { messageOf } from "../lib/api";

/** A message box; errors are announced to screen readers. */
export function Notice({ kind = "info", children }: { kind?: "info" | "error" | "ok"; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** The message of an error, in a notice. */
export function ErrorNotice({ error }: { error: unknown }) {
  return <Notice kind="error">{messageOf(error)}</Notice>;
}
