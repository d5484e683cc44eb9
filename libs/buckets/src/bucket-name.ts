/**
 * S3's general-purpose bucket naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * Returns the reason a name is refused, or null when it is valid. Names that would collide
 * with the system area (`.myfsio.sys`) cannot pass: a name never starts with a dot.
 */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) {
    return 'Bucket names must be between 3 and 63 characters long.';
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'Bucket names can consist only of lowercase letters, numbers, dots and hyphens, and must begin and end with a letter or number.';
  }
  if (name.includes('..')) {
    return 'Bucket names must not contain two adjacent periods.';
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return 'Bucket names must not be formatted as an IP address.';
  }
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) {
    return 'Bucket names must not start with a reserved prefix.';
  }
  if (
    name.endsWith('-s3alias') ||
    name.endsWith('--ol-s3') ||
    name.endsWith('.mrap') ||
    name.endsWith('--x-s3')
  ) {
    return 'Bucket names must not end with a reserved suffix.';
  }
  return null;
}
