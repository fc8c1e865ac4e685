import { FieldError } from "./field-error";
import type { ChosenFile, SourceField } from "../lib/workflow-source";
import { DEFAULT_VERSIONS, guessMain, relativePaths, typeOfPath } from "../lib/workflow-source";

/** What the files and URL sources hold. */
export interface SourceState {
  files: ChosenFile[];
  main: string;
  url: string;
  workflowType: string;
  workflowTypeVersion: string;
  paramsJson: string;
}

/** A new form's source: a WDL 1.0 workflow, no files yet, no parameters. */
export const EMPTY_SOURCE: SourceState = { files: [], main: "", url: "", workflowType: "WDL", workflowTypeVersion: "1.0", paramsJson: "{}" };

interface Props {
  kind: "files" | "url";
  state: SourceState;
  onChange: (state: SourceState) => void;
  messageFor: (field: SourceField) => string | undefined;
  invalid: (field: SourceField) => Record<string, unknown>;
}

/** The fields of an uploaded or URL workflow: files (or URL), main file, type, version, parameters as JSON. */
export function SourceFields({ kind, state, onChange, messageFor, invalid }: Props) {
  const pick = (list: FileList | null) => {
    const picked = [...(list ?? [])];
    const paths = relativePaths(picked);
    const files = picked.map((blob, i) => ({ path: paths[i]!, blob }));
    const main = guessMain(paths);
    const type = typeOfPath(main) || state.workflowType;
    onChange({
      ...state,
      files,
      main,
      workflowType: type,
      workflowTypeVersion: type === state.workflowType ? state.workflowTypeVersion : (DEFAULT_VERSIONS[type] ?? ""),
    });
  };
  const setType = (type: string) => onChange({ ...state, workflowType: type, workflowTypeVersion: DEFAULT_VERSIONS[type] ?? "" });

  return (
    <>
      {kind === "files" ? (
        <>
          <div class="field">
            <label for="workflow-files">Workflow files</label>
            <input
              id="workflow-files"
              data-field="files"
              type="file"
              multiple
              onChange={(e) => pick((e.target as HTMLInputElement).files)}
              {...invalid("files")}
            />
            <label for="workflow-folder" class="hint">
              or a folder (its files keep their paths)
            </label>
            <input id="workflow-folder" type="file" {...{ webkitdirectory: true }} onChange={(e) => pick((e.target as HTMLInputElement).files)} />
            {state.files.length > 0 && <p class="hint">{state.files.map((f) => f.path).join(", ")}</p>}
            <FieldError id="err-files" message={messageFor("files")} />
          </div>
          {state.files.length > 1 && (
            <div class="field">
              <label for="main-file">Main file</label>
              <select
                id="main-file"
                data-field="main"
                value={state.main}
                onChange={(e) => onChange({ ...state, main: (e.target as HTMLSelectElement).value })}
                {...invalid("main")}
              >
                <option value="">Choose the main file…</option>
                {state.files.map((f) => (
                  <option key={f.path} value={f.path}>
                    {f.path}
                  </option>
                ))}
              </select>
              <FieldError id="err-main" message={messageFor("main")} />
            </div>
          )}
        </>
      ) : (
        <div class="field">
          <label for="workflow-url">Workflow URL</label>
          <input
            id="workflow-url"
            data-field="url"
            type="url"
            value={state.url}
            placeholder="https://… or trs://…"
            onInput={(e) => onChange({ ...state, url: (e.target as HTMLInputElement).value })}
            {...invalid("url")}
          />
          <p class="hint">A WDL or CWL file over https (its imports are fetched next to it), a TRS URI, or a Dockstore-style TRS URL.</p>
          <FieldError id="err-url" message={messageFor("url")} />
        </div>
      )}
      <div class="field">
        <label for="workflow-type">Workflow type</label>
        <select
          id="workflow-type"
          data-field="type"
          value={state.workflowType}
          onChange={(e) => setType((e.target as HTMLSelectElement).value)}
          {...invalid("type")}
        >
          <option value="WDL">WDL</option>
          <option value="CWL">CWL</option>
          <option value="NFL">Nextflow</option>
        </select>
        <FieldError id="err-type" message={messageFor("type")} />
      </div>
      <div class="field">
        <label for="workflow-version">Type version</label>
        <input
          id="workflow-version"
          data-field="version"
          value={state.workflowTypeVersion}
          onInput={(e) => onChange({ ...state, workflowTypeVersion: (e.target as HTMLInputElement).value })}
          {...invalid("version")}
        />
        <FieldError id="err-version" message={messageFor("version")} />
      </div>
      <div class="field">
        <label for="workflow-params">Parameters (JSON)</label>
        <textarea
          id="workflow-params"
          data-field="params"
          rows={5}
          value={state.paramsJson}
          onInput={(e) => onChange({ ...state, paramsJson: (e.target as HTMLTextAreaElement).value })}
          {...invalid("params")}
        />
        <p class="hint">workflow_params, e.g. {'{"input_file": "s3://bucket/sample.txt"}'}.</p>
        <FieldError id="err-params" message={messageFor("params")} />
      </div>
    </>
  );
}
