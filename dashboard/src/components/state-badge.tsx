import { stateLabel, stateTone } from "../lib/states";

/** A run or task state: a coloured label (the text always names the state). */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge tone-${stateTone(state)}`}>{stateLabel(state)}</span>;
}
