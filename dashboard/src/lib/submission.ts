/** The submit form's values → a WES RunRequest (JSON body of POST /runs), pure. */

/** What the form holds. */
export interface SubmitForm {
  workflowUrl: string;
  workflowType: string;
  workflowTypeVersion: string;
  params: Record<string, string>;
  name: string;
  tags: Array<{ key: string; value: string }>;
  options: Record<string, string>;
}

/** A parameter value: JSON when it is an array or object, else the text as written. */
export function paramValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The request body; empty fields are left out (the API applies its defaults). */
export function runRequest(form: SubmitForm): Record<string, unknown> {
  const params = Object.fromEntries(
    Object.entries(form.params)
      .filter(([, v]) => v.trim() !== "")
      .map(([k, v]) => [k, paramValue(v)]),
  );
  const tags = Object.fromEntries(form.tags.filter((t) => t.key.trim() !== "").map((t) => [t.key.trim(), t.value]));
  const options: Record<string, string> = Object.fromEntries(Object.entries(form.options).filter(([, v]) => v.trim() !== ""));
  if (form.name.trim()) options.name = form.name.trim();
  return {
    workflow_type: form.workflowType,
    workflow_type_version: form.workflowTypeVersion,
    workflow_url: form.workflowUrl,
    workflow_params: params,
    tags,
    ...(Object.keys(options).length > 0 ? { workflow_engine_parameters: options } : {}),
  };
}
