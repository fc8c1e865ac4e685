/** A run's tags as small "key: value" chips. */
export function Tags({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="tags" aria-label="Tags">
      {entries.map(([key, value]) => (
        <li key={key} class="tag">
          <span class="tag-key">{key}</span>
          {value !== "" && <span class="tag-value">{value}</span>}
        </li>
      ))}
    </ul>
  );
}
