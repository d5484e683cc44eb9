import type { AppConfig } from './app-config';
import { SECRET_ENV_NAMES, type EnvName } from './env-schema';
import { ENV_NAMES } from './load-config';

/** Masks a secret so that only its shape is visible: `ab…(32 chars)`. */
export function mask(value: string): string {
  return value.length <= 4 ? '****' : `${value.slice(0, 2)}…(${value.length} chars)`;
}

/** Masks the password part of a connection URL. */
function maskUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:****@');
}

export interface ShownSetting {
  name: EnvName;
  value: string;
  source: string;
}

/** Every setting with its value (secrets masked) and where it came from, for `--show-config`. */
export function describeSettings(config: AppConfig): ShownSetting[] {
  return ENV_NAMES.map((name) => {
    const raw = config.env[name];
    let value = raw === undefined ? '(unset)' : String(raw);
    if (raw !== undefined && SECRET_ENV_NAMES.has(name)) {
      value = name.endsWith('_URL') || name.endsWith('_URI') ? maskUrl(value) : mask(value);
    }
    const source = config.sources[name];
    return {
      name,
      value,
      source: source === 'env file' ? `env file (${config.server.envFile ?? ''})` : source,
    };
  });
}
