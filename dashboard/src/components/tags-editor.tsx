/** aria-invalid and aria-describedby when the field has an error. */
type Invalid = { "aria-invalid"?: boolean; "aria-describedby"?: string };

/** One tag being edited. */
export interface TagRow {
  key: string;
  value: string;
}

/** Key/value rows for a run's tags; the first key input carries the field's error (data-field="tags"). */
export function TagsEditor({
  tags,
  onChange,
  error,
  invalid,
}: {
  tags: TagRow[];
  onChange: (tags: TagRow[]) => void;
  error: string | undefined;
  invalid: Invalid;
}) {
  const set = (i: number, patch: Partial<TagRow>) => onChange(tags.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <fieldset class="tags-editor">
      <legend>Tags</legend>
      {tags.map((tag, i) => (
        <div class="inline" key={i}>
          <label class="visually-hidden" for={`tag-key-${i}`}>
            Tag {i + 1} key
          </label>
          <input
            id={`tag-key-${i}`}
            data-field={i === 0 ? "tags" : undefined}
            placeholder="key"
            value={tag.key}
            onInput={(e) => set(i, { key: (e.target as HTMLInputElement).value })}
            {...(i === 0 ? invalid : {})}
          />
          <label class="visually-hidden" for={`tag-value-${i}`}>
            Tag {i + 1} value
          </label>
          <input id={`tag-value-${i}`} placeholder="value" value={tag.value} onInput={(e) => set(i, { value: (e.target as HTMLInputElement).value })} />
          <button type="button" class="button subtle" aria-label={`Remove tag ${i + 1}`} onClick={() => onChange(tags.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" class="button subtle" onClick={() => onChange([...tags, { key: "", value: "" }])}>
        Add a tag
      </button>
      {error && (
        <p id="err-tags" class="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
