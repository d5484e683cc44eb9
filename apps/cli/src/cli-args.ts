import { parseArgs } from 'node:util';

export type RunMode = 'api' | 'admin' | 'all';

export interface CliArgs {
  mode: RunMode;
  showConfig: boolean;
  checkConfig: boolean;
  resetCred: boolean;
  prod: boolean;
  envFile?: string;
  version: boolean;
  help: boolean;
}

export const USAGE = `Usage: myfsio [options]

Starts the S3 gateway (APP_PORT, default 5000) and the admin app (UI_PORT, default 5100).

Options:
  --mode <api|admin|all>  which app(s) to run in this process (default: all; "ui" = admin)
  --show-config           print every setting, its value (secrets masked) and its source
  --check-config          validate the configuration; exit 1 on critical issues
  --reset-cred            reset the admin credentials (honours ADMIN_ACCESS_KEY/ADMIN_SECRET_KEY)
  --prod                  production mode (same as NODE_ENV=production)
  --env-file <path>       read settings from this file instead of ./myfsio.env or ./.env
  --version               print the version
  --help                  print this help
`;

/** Parses argv; throws an Error with a one-line message on bad usage. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      mode: { type: 'string', default: 'all' },
      'show-config': { type: 'boolean', default: false },
      'check-config': { type: 'boolean', default: false },
      'reset-cred': { type: 'boolean', default: false },
      prod: { type: 'boolean', default: false },
      'env-file': { type: 'string' },
      version: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const mode = values.mode === 'ui' ? 'admin' : values.mode;
  if (mode !== 'api' && mode !== 'admin' && mode !== 'all') {
    throw new Error(`--mode must be api, admin or all (got "${values.mode}")`);
  }
  return {
    mode,
    showConfig: values['show-config'],
    checkConfig: values['check-config'],
    resetCred: values['reset-cred'],
    prod: values.prod,
    envFile: values['env-file'],
    version: values.version,
    help: values.help,
  };
}
