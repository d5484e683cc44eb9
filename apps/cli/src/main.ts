import 'reflect-metadata';
import { APP_NAME, APP_VERSION } from '@myfsio/common';
import { AppConfig, ConfigError, describeSettings, loadConfig } from '@myfsio/config';
import { CoreModule } from '@myfsio/core';
import { IamService } from '@myfsio/iam';
import { NestFactory } from '@nestjs/core';
import { parseCliArgs, USAGE, type CliArgs } from './cli-args';
import { checkConfig } from './check-config';
import { printCredentials } from './credentials-output';
import { serve } from './server';

function fail(message: string): never {
  process.stderr.write(`myfsio: ${message}\n`);
  process.exit(1);
}

function load(args: CliArgs): AppConfig {
  try {
    return loadConfig(undefined, {
      envFile: args.envFile,
      overrides: args.prod ? { NODE_ENV: 'production' } : {},
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.lines.map((l) => `myfsio: ${l}\n`).join(''));
      process.exit(1);
    }
    throw err;
  }
}

async function resetCredentials(config: AppConfig): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(CoreModule.forConfig(config), { logger: false });
  try {
    printCredentials('Reset the admin credentials', await ctx.get(IamService).resetAdminCredentials());
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    fail(`${(err as Error).message} (see --help)`);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`${APP_NAME} ${APP_VERSION}\n`);
    return;
  }
  const config = load(args);
  if (args.showConfig) {
    for (const s of describeSettings(config)) {
      process.stdout.write(`${s.name}=${s.value}  [${s.source}]\n`);
    }
    return;
  }
  if (args.checkConfig) {
    const issues = await checkConfig(config);
    for (const issue of issues) {
      process.stdout.write(`${issue.level}: ${issue.message}\n`);
    }
    const critical = issues.filter((i) => i.level === 'CRITICAL').length;
    process.stdout.write(`${critical} critical, ${issues.length - critical} warning(s)\n`);
    process.exit(critical > 0 ? 1 : 0);
  }
  if (args.resetCred) {
    await resetCredentials(config);
    return;
  }
  await serve(config, args.mode);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
