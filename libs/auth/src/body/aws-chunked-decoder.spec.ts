import { AwsChunkedDecoder } from './aws-chunked-decoder';

function decode(wire: string, hasTrailer = false): { data: string; trailers: Record<string, string> } {
  const decoder = new AwsChunkedDecoder({ chain: null, hasTrailer });
  const out: Buffer[] = [];
  decoder.write(Buffer.from(wire), (d) => out.push(Buffer.from(d)));
  return { data: Buffer.concat(out).toString(), trailers: decoder.end() };
}

describe('AwsChunkedDecoder', () => {
  it('decodes plain chunks with extensions and upper-case hex sizes', () => {
    expect(decode('A;foo=bar\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\n')).toEqual({
      data: '0123456789x',
      trailers: {},
    });
  });

  it('accepts bare LF line ends and a body that stops after the final chunk line', () => {
    expect(decode('3\nabc\n0\n').data).toBe('abc');
  });

  it('returns InvalidRequest for data after the final chunk or a missing CRLF after data', () => {
    expect(() => decode('0\r\n\r\nextra')).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
    expect(() => decode('3\r\nabcX\r\n0\r\n\r\n')).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
  });

  it('returns InvalidRequest for trailers that were not announced and for over-long lines', () => {
    expect(() => decode('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
    expect(() => decode(`1;${'x'.repeat(5000)}\r\n`)).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
  });

  it('parses trailers case-insensitively and trims values', () => {
    expect(decode('0\r\nX-Amz-Checksum-CRC32 :  AAAAAA== \r\n\r\n', true).trailers).toEqual({
      'x-amz-checksum-crc32': 'AAAAAA==',
    });
  });

  it('returns IncompleteBody when input stops inside a chunk', () => {
    const decoder = new AwsChunkedDecoder({ chain: null, hasTrailer: false });
    decoder.write(Buffer.from('5\r\nab'), () => undefined);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'IncompleteBody' }) as Error);
  });

  it('hands out zero-copy slices of large inputs', () => {
    const payload = Buffer.alloc(1 << 20, 7);
    const wire = Buffer.concat([Buffer.from('100000\r\n'), payload, Buffer.from('\r\n0\r\n\r\n')]);
    const decoder = new AwsChunkedDecoder({ chain: null, hasTrailer: false });
    const slices: Buffer[] = [];
    decoder.write(wire, (d) => slices.push(d));
    expect(slices).toHaveLength(1);
    expect(slices[0]!.buffer).toBe(wire.buffer);
  });
});
