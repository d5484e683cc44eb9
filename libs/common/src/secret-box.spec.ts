import { SecretBox, generateAccessKeyId, generateSecretKey } from './secret-box';

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox('k1');
    const sealed = box.seal('wJalrXUtnFEMI');
    expect(sealed).not.toContain('wJalrXUtnFEMI');
    expect(box.open(sealed)).toBe('wJalrXUtnFEMI');
  });

  it('refuses a value sealed under another SECRET_KEY', () => {
    expect(() => new SecretBox('k2').open(new SecretBox('k1').seal('x'))).toThrow();
  });

  it('generates AWS-shaped credentials', () => {
    expect(generateAccessKeyId()).toMatch(/^MF[A-Z0-9]{18}$/);
    expect(generateSecretKey()).toHaveLength(40);
  });
});
