/**
 * Prints credentials once, straight to stdout and never through the logger, so that log files
 * and log shippers never hold a secret.
 */
export function printCredentials(title: string, creds: { accessKeyId: string; secretKey: string }): void {
  process.stdout.write(
    [
      '',
      '============================================================',
      `  ${title}. These are shown once; store them safely.`,
      `  Access key: ${creds.accessKeyId}`,
      `  Secret key: ${creds.secretKey}`,
      '============================================================',
      '',
    ].join('\n') + '\n',
  );
}
