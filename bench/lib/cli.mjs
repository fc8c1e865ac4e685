/**
 * Option parsing shared by `npm run bench` and `npm run chaos`. Each command has a table of
 * options (name → [key, default, description]) and converts values its own way; this reads
 * `--name value`, `--name=value`, `--no-<name>` for the options that are switches, and `--help`.
 */

/**
 * @typedef {Record<string, [string, unknown, string]>} OptionTable  option name → [key, default, description]
 */

/** Help text: one line per option, with its default. */
export function usageOf(synopsis, table) {
  const lines = Object.entries(table).map(([name, [, def, text]]) => `  --${name.padEnd(18)} ${text}${def === undefined ? "" : ` (default ${def})`}`);
  return `${synopsis}\n\n${lines.join("\n")}\n  --help               this text`;
}

/**
 * Parses argv against the table; throws on an unknown option, a missing value or a stray argument.
 * @param {string[]} argv
 * @param {OptionTable} table
 * @param {object} how
 * @param {string[]} [how.switches]  option names that `--no-<name>` turns off
 * @param {(key: string, value: string, name: string) => unknown} how.convert  the value of `--name` (throws when malformed)
 * @returns {Record<string, unknown> & {help: boolean}}  every key, with its default unless given
 */
export function parseArgs(argv, table, { switches = [], convert }) {
  const opts = { help: false };
  for (const [key, def] of Object.values(table)) opts[key] = def;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      opts.help = true;
      continue;
    }
    if (arg.startsWith("--no-") && switches.includes(arg.slice(5))) {
      opts[table[arg.slice(5)][0]] = false;
      continue;
    }
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    arg = arg.slice(2);
    let value;
    if (arg.includes("=")) [arg, value] = [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)];
    else value = argv[++i];
    const spec = table[arg];
    if (!spec) throw new Error(`unknown option --${arg}`);
    if (value === undefined) throw new Error(`--${arg} needs a value`);
    opts[spec[0]] = convert(spec[0], value, arg);
  }
  return opts;
}

/** A switch given a value (`--events false`): off for false, 0, no, off. */
export function switchValue(value) {
  return !["false", "0", "no", "off"].includes(value);
}
