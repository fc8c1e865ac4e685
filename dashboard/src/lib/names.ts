/** A run's name as a person would want to see it (pure). */

/** The run's name, unless it is the default HealthOmics gives runs without one (wes-<run id>). */
export function displayName(run: { run_id: string; name?: string }): string | undefined {
  return run.name && run.name !== `wes-${run.run_id}` ? run.name : undefined;
}
