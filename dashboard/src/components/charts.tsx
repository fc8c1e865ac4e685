/** Small charts for the admin page: a labelled meter and a sparkline (SVG), each with a text equivalent. */

/** A horizontal meter: `value` against `max`, with a marker at `mark` (e.g. the budget within the quota). */
export function Meter({ label, value, max, mark, unit }: { label: string; value: number; max: number; mark?: number; unit: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  const text = `${label}: ${value.toFixed(2)} ${unit} of ${max} ${unit}${mark !== undefined ? `, budget ${mark.toFixed(2)}` : ""}`;
  return (
    <div class="meter" role="img" aria-label={text} title={text}>
      <span class={`meter-fill ${mark !== undefined && value > mark ? "over" : ""}`} style={{ width: `${pct}%` }} />
      {mark !== undefined && max > 0 && <span class="meter-mark" style={{ left: `${Math.min(100, (mark / max) * 100)}%` }} />}
    </div>
  );
}

/** A sparkline of recent values (oldest first), scaled to `max` (or the largest value). */
export function Sparkline({ values, max, label }: { values: number[]; max?: number; label: string }) {
  const width = 160;
  const height = 36;
  const top = Math.max(max ?? 0, ...values, 0.001);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / top) * (height - 2) - 1).toFixed(1)}`).join(" ");
  return (
    <svg class="sparkline" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none">
      <title>{label}</title>
      {max !== undefined && max > 0 && (
        <line x1="0" x2={width} y1={height - (max / top) * (height - 2) - 1} y2={height - (max / top) * (height - 2) - 1} class="spark-limit" />
      )}
      {values.length > 1 ? <polyline points={points} class="spark-line" /> : <circle cx="0" cy={height - 1} r="1.5" class="spark-line" />}
    </svg>
  );
}
