import { useState } from "preact/hooks";
import { api, messageOf } from "../lib/api";
import { Notice } from "./notice";

/** One output file as `outputs["wes:run"].files` lists it. */
export interface OutputFile {
  location: string;
  path: string;
  download_url?: string;
}

/** The output files of a run's `outputs`, if the service listed them. */
export function outputFiles(outputs: Record<string, unknown>): OutputFile[] {
  const own = outputs["wes:run"];
  const files = own && typeof own === "object" ? (own as { files?: unknown }).files : undefined;
  return Array.isArray(files) ? files.filter((f): f is OutputFile => typeof f?.path === "string" && typeof f?.location === "string") : [];
}

/**
 * Download buttons: the API answers a short-lived presigned URL as JSON (the token stays in this
 * page, never in a link), and the browser then goes there.
 */
export function OutputFiles({ files }: { files: OutputFile[] }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const download = async (file: OutputFile) => {
    setError(undefined);
    try {
      const link = await api<{ url: string }>(new URL(file.download_url ?? "", location.origin).pathname);
      window.location.assign(link.url);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div>
      {error && <Notice kind="error">{error}</Notice>}
      <ul class="files">
        {files.map((file) => (
          <li key={file.path}>
            <button type="button" class="button small" onClick={() => void download(file)} disabled={!file.download_url}>
              Download
            </button>{" "}
            <span class="mono small">{file.path}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
