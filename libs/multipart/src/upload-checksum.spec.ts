import { partAlgorithms, readUploadChecksum } from './upload-checksum';

describe('readUploadChecksum', () => {
  it('is null without an algorithm', () => {
    expect(readUploadChecksum({})).toBeNull();
  });

  it.each([
    ['CRC32', undefined, { algorithm: 'CRC32', type: 'COMPOSITE' }],
    ['crc32c', 'full_object', { algorithm: 'CRC32C', type: 'FULL_OBJECT' }],
    ['CRC64NVME', undefined, { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' }],
    ['SHA256', 'COMPOSITE', { algorithm: 'SHA256', type: 'COMPOSITE' }],
  ])('%s with type %s', (algorithm, type, expected) => {
    const headers: Record<string, string> = { 'x-amz-checksum-algorithm': algorithm };
    if (type !== undefined) {
      headers['x-amz-checksum-type'] = type;
    }
    expect(readUploadChecksum(headers)).toEqual(expected);
  });

  it.each([
    [{ 'x-amz-checksum-type': 'COMPOSITE' }, /only be used with/],
    [{ 'x-amz-checksum-algorithm': 'MD5' }, /x-amz-checksum-algorithm header is invalid/],
    [{ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'PARTIAL' }, /type header is invalid/],
    [{ 'x-amz-checksum-algorithm': 'SHA1', 'x-amz-checksum-type': 'FULL_OBJECT' }, /FULL_OBJECT .* sha1/],
    [
      { 'x-amz-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-type': 'COMPOSITE' },
      /COMPOSITE .* crc64nvme/,
    ],
  ])('refuses %j', (headers, message) => {
    expect(() => readUploadChecksum(headers)).toThrow(message);
    try {
      readUploadChecksum(headers);
    } catch (err) {
      expect(err).toMatchObject({ code: 'InvalidRequest' });
    }
  });
});

describe('partAlgorithms', () => {
  const crc32 = { algorithm: 'CRC32' as const, type: 'COMPOSITE' as const };
  it('computes the upload’s algorithm on every part, else the one sent', () => {
    expect(partAlgorithms(crc32, null)).toEqual(['CRC32']);
    expect(
      partAlgorithms(crc32, { algorithm: 'CRC32', value: null, trailer: 'x-amz-checksum-crc32' }),
    ).toEqual(['CRC32']);
    expect(partAlgorithms(null, { algorithm: 'SHA1', value: 'x', trailer: null })).toEqual(['SHA1']);
    expect(partAlgorithms(null, null)).toEqual([]);
  });

  it('refuses a part checksum of another algorithm than the upload’s', () => {
    expect(() => partAlgorithms(crc32, { algorithm: 'SHA256', value: 'x', trailer: null })).toThrow(
      'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: sha256',
    );
  });
});
