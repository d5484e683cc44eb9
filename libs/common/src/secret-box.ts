import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts secrets at rest (IAM secret keys, connection credentials) with AES-256-GCM under a
 * key derived from `SECRET_KEY` by HKDF-SHA256. The output `v1:<iv>:<tag>:<ciphertext>` (base64url)
 * is what the database stores; it never holds a plaintext secret.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string, purpose = 'myfsio/secrets-at-rest') {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'myfsio', purpose, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws when the value was not sealed with this key (wrong SECRET_KEY or tampering). */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) {
      throw new Error('not a sealed secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** Random credentials in the shape AWS uses: 20 upper-case alphanumerics and a 40-char secret. */
export function generateAccessKeyId(prefix = 'MF'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(20 - prefix.length);
  return prefix + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function generateSecretKey(): string {
  return randomBytes(30)
    .toString('base64')
    .replace(/[+/]/g, (c) => (c === '+' ? 'A' : 'B'));
}
