import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { API, ApiError, api, messageOf } from "../lib/api";
import { navigate } from "../lib/router";
import { fieldOfError, type FieldKey } from "../lib/submit-errors";
import { runRequest } from "../lib/submission";
import { type SourceKind, SourceError, sourceFieldOfError, sourceRequest } from "../lib/workflow-source";
import type { EngineParameter, RunnableWorkflow, ServiceInfo } from "../lib/types";
import { FieldError } from "../components/field-error";
import { Notice } from "../components/notice";
import { EMPTY_SOURCE, SourceFields, type SourceState } from "../components/source-fields";
import { TagsEditor } from "../components/tags-editor";

interface Loaded {
  workflows: RunnableWorkflow[];
  options: EngineParameter[];
}

/** GET /workflows answers 503 with Retry-After while it reads HealthOmics within the API budget. */
async function loadWorkflows(onWait: (seconds: number) => void): Promise<RunnableWorkflow[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api<{ workflows: RunnableWorkflow[] }>(`${API}/workflows`)).workflows;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 503 || attempt >= 10) throw e;
      const seconds = e.retryAfterSeconds ?? 2;
      onWait(seconds);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

/**
 * Submit a run of a registered workflow (its parameters from the workflow's template), of uploaded
 * workflow files, or of a workflow URL (parameters as JSON).
 */
export function Submit() {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [waiting, setWaiting] = useState<number | undefined>(undefined);
  const [kind, setKind] = useState<SourceKind>("registered");
  const [source, setSource] = useState<SourceState>(EMPTY_SOURCE);
  const [workflowId, setWorkflowId] = useState("");
  const [version, setVersion] = useState("");
  const [params, setParams] = useState<Record<string, string>>({});
  const [name, setName] = useState("");
  const [tags, setTags] = useState<Array<{ key: string; value: string }>>([{ key: "", value: "" }]);
  const [options, setOptions] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ field: FieldKey; message: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // One key per filled-in form: a retried submission gives back the same run, never a second one.
  const idempotencyKey = useRef(crypto.randomUUID());

  useEffect(() => {
    Promise.all([loadWorkflows(setWaiting), api<ServiceInfo>(`${API}/service-info`)])
      .then(([workflows, info]) => {
        setLoaded({ workflows, options: (info.default_workflow_engine_parameters ?? []).filter((p) => p.name !== "name") });
        setWaiting(undefined);
      })
      .catch(setLoadError);
  }, []);

  const workflow = useMemo(() => loaded?.workflows.find((w) => w.id === workflowId), [loaded, workflowId]);
  useEffect(() => {
    setVersion(workflow?.workflow_type_versions?.[0] ?? "");
    setParams({});
    setError(undefined);
  }, [workflow]);

  useEffect(() => {
    if (!error) return;
    const target = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(error.field)}"]`);
    target?.focus();
  }, [error]);

  if (loadError !== undefined) return <Notice kind="error">The workflows could not be read: {messageOf(loadError)}</Notice>;
  if (!loaded)
    return (
      <p class="muted">
        {waiting ? `Reading the workflows from HealthOmics (within its API budget); trying again in ${waiting} s…` : "Loading the workflows…"}
      </p>
    );

  const paramNames = workflow?.parameters.map((p) => p.name) ?? [];
  const optionNames = [...loaded.options.map((o) => o.name), "name"];
  const messageFor = (field: FieldKey) => (error?.field === field ? error.message : undefined);
  const invalid = (field: FieldKey) => (error?.field === field ? { "aria-invalid": true, "aria-describedby": `err-${field}` } : {});

  const send = async (body: string | FormData) => {
    setBusy(true);
    setError(undefined);
    try {
      const headers: Record<string, string> = { "Idempotency-Key": idempotencyKey.current };
      if (typeof body === "string") headers["Content-Type"] = "application/json";
      const answer = await api<{ run_id: string }>(`${API}/runs`, { method: "POST", headers, body });
      navigate(`/runs/${answer.run_id}`);
    } catch (e) {
      const message = messageOf(e);
      const refused = e instanceof ApiError && e.status === 400;
      const field = !refused
        ? "form"
        : kind === "registered"
          ? fieldOfError(message, paramNames, optionNames)
          : (sourceFieldOfError(message, kind) ?? fieldOfError(message, [], optionNames));
      setError({ field, message });
      // A refused request may be fixed and sent again: that is a new request.
      idempotencyKey.current = crypto.randomUUID();
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (kind !== "registered") {
      try {
        await send(sourceRequest({ kind, ...source, name, tags, options }));
      } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        setError({ field: e.field, message: e.message });
      }
      return;
    }
    if (!workflow) {
      setError({ field: "workflow", message: "Choose a workflow to run." });
      return;
    }
    const missing = workflow.parameters.find((p) => p.required && !(params[p.name] ?? "").trim());
    if (missing) {
      setError({ field: `param:${missing.name}`, message: `${missing.name} is required by this workflow.` });
      return;
    }
    await send(
      JSON.stringify(
        runRequest({
          workflowUrl: workflow.workflow_url,
          workflowType: workflow.workflow_type ?? "",
          workflowTypeVersion: version,
          params,
          name,
          tags,
          options,
        }),
      ),
    );
  };

  const privates = loaded.workflows.filter((w) => w.type === "PRIVATE");
  const ready = loaded.workflows.filter((w) => w.type === "READY2RUN");
  const label = (w: RunnableWorkflow) => `${w.name ?? w.id} (${w.workflow_type ?? w.engine ?? "?"}, ${w.id})`;

  return (
    <section aria-labelledby="submit-title">
      <h1 id="submit-title">Submit a run</h1>
      <form class="card submit" onSubmit={submit} noValidate>
        {error?.field === "form" && <Notice kind="error">{error.message}</Notice>}
        <fieldset class="source">
          <legend>Workflow source</legend>
          {(
            [
              ["registered", "Registered workflow"],
              ["files", "Upload files"],
              ["url", "Workflow URL"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} class="choice">
              <input
                type="radio"
                name="source"
                value={value}
                checked={kind === value}
                onChange={() => {
                  setKind(value);
                  setError(undefined);
                }}
              />{" "}
              {text}
            </label>
          ))}
        </fieldset>
        {kind !== "registered" && <SourceFields kind={kind} state={source} onChange={setSource} messageFor={messageFor} invalid={invalid} />}
        {kind === "registered" && (
          <div class="field">
            <label for="workflow">Workflow</label>
            <select
              id="workflow"
              data-field="workflow"
              value={workflowId}
              onChange={(e) => setWorkflowId((e.target as HTMLSelectElement).value)}
              {...invalid("workflow")}
            >
              <option value="">Choose a workflow…</option>
              {privates.length > 0 && (
                <optgroup label="Registered in this account">
                  {privates.map((w) => (
                    <option key={w.id} value={w.id}>
                      {label(w)}
                    </option>
                  ))}
                </optgroup>
              )}
              {ready.length > 0 && (
                <optgroup label="Ready2Run">
                  {ready.map((w) => (
                    <option key={w.id} value={w.id}>
                      {label(w)}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            <FieldError id="err-workflow" message={messageFor("workflow")} />
            {workflow?.description && <p class="hint">{workflow.description}</p>}
          </div>
        )}

        {kind === "registered" && workflow && (
          <>
            {(workflow.workflow_type_versions?.length ?? 0) > 1 && (
              <div class="field">
                <label for="version">{workflow.workflow_type} version</label>
                <select id="version" value={version} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}>
                  {workflow.workflow_type_versions?.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <fieldset class="params">
              <legend>Parameters</legend>
              {workflow.parameters.length === 0 && <p class="muted">This workflow declares no parameters.</p>}
              <p class="hint">
                Fields marked <span aria-hidden="true">*</span>
                <span class="visually-hidden">required</span> are required. Values are sent as text; a value starting with [ or {"{"} is read as JSON.
              </p>
              {workflow.parameters.map((p) => {
                const key: FieldKey = `param:${p.name}`;
                return (
                  <div class="field" key={p.name}>
                    <label for={`param-${p.name}`}>
                      {p.name}
                      {p.required && (
                        <span class="required" aria-hidden="true">
                          {" "}
                          *
                        </span>
                      )}
                    </label>
                    <input
                      id={`param-${p.name}`}
                      data-field={key}
                      value={params[p.name] ?? ""}
                      required={p.required}
                      aria-required={p.required}
                      onInput={(e) => setParams({ ...params, [p.name]: (e.target as HTMLInputElement).value })}
                      {...invalid(key)}
                    />
                    {p.description && <p class="hint">{p.description}</p>}
                    <FieldError id={`err-${key}`} message={messageFor(key)} />
                  </div>
                );
              })}
            </fieldset>
          </>
        )}

        <div class="field">
          <label for="run-name">Run name</label>
          <input
            id="run-name"
            data-field="name"
            value={name}
            placeholder="optional; default wes-<run id>"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            {...invalid("name")}
          />
          <FieldError id="err-name" message={messageFor("name")} />
        </div>

        <TagsEditor tags={tags} onChange={setTags} error={messageFor("tags")} invalid={invalid("tags")} />

        <details class="options" open={error?.field.startsWith("option:")}>
          <summary>Run options</summary>
          <p class="hint">HealthOmics run settings (workflow_engine_parameters); leave empty for the defaults.</p>
          {loaded.options.map((o) => {
            const key: FieldKey = `option:${o.name}`;
            return (
              <div class="field" key={o.name}>
                <label for={`option-${o.name}`}>{o.name}</label>
                <input
                  id={`option-${o.name}`}
                  data-field={key}
                  value={options[o.name] ?? ""}
                  placeholder={o.default_value ? `default ${o.default_value}` : o.type}
                  onInput={(e) => setOptions({ ...options, [o.name]: (e.target as HTMLInputElement).value })}
                  {...invalid(key)}
                />
                <p class="hint">{o.type}</p>
                <FieldError id={`err-${key}`} message={messageFor(key)} />
              </div>
            );
          })}
        </details>

        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? "Submitting…" : "Submit run"}
          </button>
          <a class="button subtle" href="/">
            Back to runs
          </a>
        </div>
      </form>
    </section>
  );
}
