import { deriveSigningKey, SigningKeyCache } from './signing-key-cache';

describe('SigningKeyCache', () => {
  it('derives the signing key of the AWS SigV4 documentation example', () => {
    // "Calculate the signature": secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830/us-east-1/iam.
    expect(
      deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam').toString(
        'hex',
      ),
    ).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  it('returns the same key for the same scope and evicts the least recently used beyond its bound', () => {
    const cache = new SigningKeyCache(2);
    const first = cache.get('s', '20240101', 'r', 's3');
    expect(cache.get('s', '20240101', 'r', 's3')).toBe(first);
    cache.get('s', '20240102', 'r', 's3');
    cache.get('s', '20240101', 'r', 's3'); // refresh the first
    cache.get('s', '20240103', 'r', 's3'); // evicts 20240102
    expect(cache.size).toBe(2);
    expect(cache.get('s', '20240101', 'r', 's3')).toBe(first);
  });

  it('keys by secret, so a rotated secret gets a new key', () => {
    const cache = new SigningKeyCache();
    expect(cache.get('a', '20240101', 'r', 's3').equals(cache.get('b', '20240101', 'r', 's3'))).toBe(false);
  });
});
