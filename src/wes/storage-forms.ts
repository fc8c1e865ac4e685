/**
 * The spellings of one parameter value that a tool might act on, for the storage-URI scanner
 * (storage-uri.ts): the value as written and percent-decoded (repeatedly, as far as
 * MAX_DECODES), each also with backslashes read as slashes, as a WHATWG URL parser reads it
 * (ASCII tab, LF and CR deleted anywhere, C0 controls and spaces trimmed at both ends), and with
 * every control character deleted (as a tool that drops them would: `s\u00003://` is then
 * `s3://`). At most 6 × (MAX_DECODES + 1) forms, each built in one pass, and a form is only
 * decoded further when it still holds a `%`: the work stays linear in the value's length.
 */

/** Counts the characters the scanner examines, so tests can prove its work linear. */
export interface ScanMeter {
  examined: number;
}

/** How many times a value is percent-decoded again (`%252e` → `%2e` → `.`). */
export const MAX_DECODES = 4;

/** Decodes `%XX` escapes of ASCII characters (all that matter for slashes, dots, schemes and controls). */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9a-f])/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** C0 control or space: what WHATWG URL parsing trims from both ends. */
function isC0OrSpace(code: number): boolean {
  return code <= 0x20;
}

/**
 * The text as the WHATWG URL parser sees it before parsing: every ASCII tab, LF and CR removed,
 * leading and trailing C0 controls and spaces trimmed. (Loops, not `/\s+$/`-style regular
 * expressions, which backtrack quadratically on long runs.)
 */
export function whatwgStrip(text: string): string {
  const removed = /[\t\n\r]/.test(text) ? text.replace(/[\t\n\r]/g, "") : text;
  let start = 0;
  let end = removed.length;
  while (start < end && isC0OrSpace(removed.charCodeAt(start))) start++;
  while (end > start && isC0OrSpace(removed.charCodeAt(end - 1))) end--;
  return removed.slice(start, end);
}

const CONTROLS = /[\u0000-\u001f\u007f]/g;

/** Every form of `value` worth scanning, without duplicates. */
export function valueForms(value: string, meter: ScanMeter): string[] {
  const forms = new Set<string>();
  const add = (form: string) => {
    meter.examined += form.length;
    forms.add(form);
  };
  let current = value;
  for (let i = 0; i <= MAX_DECODES; i++) {
    const slashed = current.includes("\\") ? current.replace(/\\/g, "/") : current;
    for (const form of slashed === current ? [current] : [current, slashed]) {
      add(form.trim());
      add(whatwgStrip(form));
      // Tab, LF and CR are already gone in the WHATWG form; only other controls make a new one.
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(form)) add(form.replace(CONTROLS, "").trim());
    }
    if (!current.includes("%")) break;
    const next = decodeAscii(current);
    meter.examined += current.length;
    if (next === current) break;
    current = next;
  }
  return [...forms];
}
