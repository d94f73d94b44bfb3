// The command line: a command, its arguments and three flags. Configuration is not taken from options but from
// WA_* variables (src/config.ts), so an option someone tries (`--port 8080`) is answered with the variable to set.
import { parseArgs } from 'node:util';

export type CommandLine =
  | {
      readonly ok: true;
      readonly positionals: readonly string[];
      readonly admin: boolean;
      readonly help: boolean;
      readonly version: boolean;
    }
  | { readonly ok: false; readonly problem: string };

const OPTIONS = {
  admin: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

// Options people try, and the variable that does what they meant. Secrets are named without repeating the value.
const VARIABLE_FOR_OPTION: Readonly<Record<string, { variable: string; secret?: true }>> = {
  port: { variable: 'WA_PORT' },
  p: { variable: 'WA_PORT' },
  host: { variable: 'WA_HOST' },
  'data-dir': { variable: 'WA_DATA_DIR' },
  db: { variable: 'WA_DB_URL', secret: true },
  'db-url': { variable: 'WA_DB_URL', secret: true },
  database: { variable: 'WA_DB_URL', secret: true },
  'log-level': { variable: 'WA_LOG_LEVEL' },
  gateway: { variable: 'WA_GATEWAY' },
  config: { variable: 'WA_CONFIG_FILE' },
  'api-key': { variable: 'WA_API_KEY', secret: true },
  'admin-password': { variable: 'WA_ADMIN_PASSWORD', secret: true },
  password: { variable: 'WA_ADMIN_PASSWORD', secret: true },
};

export function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
    return {
      ok: true,
      positionals,
      admin: values.admin === true,
      help: values.help === true,
      version: values.version === true,
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { ok: false, problem: unknownOption(argv) };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      return { ok: false, problem: '--admin, --help and --version take no value' };
    throw error;
  }
}

function unknownOption(argv: readonly string[]): string {
  const index = argv.findIndex((arg) => arg.startsWith('-') && arg !== '--' && !isKnown(arg));
  const arg = argv[index] ?? '';
  const [option = arg, inlineValue] = arg.split(/=(.*)/s, 2);
  const name = option.replace(/^-+/, '');
  const known = VARIABLE_FOR_OPTION[name];
  if (!known)
    return `unknown option ${option}: openprem's configuration comes from WA_* environment variables (see README.md, Configuration)`;
  const next = argv[index + 1];
  const value = inlineValue ?? (next !== undefined && !next.startsWith('-') ? next : undefined);
  const setting = known.secret || value === undefined ? known.variable : `${known.variable}=${value}`;
  return `unknown option ${option}: set ${setting} instead (configuration comes from WA_* environment variables)`;
}

function isKnown(arg: string): boolean {
  const option = arg.split('=')[0];
  return option === '-h' || Object.keys(OPTIONS).some((name) => option === `--${name}`);
}
