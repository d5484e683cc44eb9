import {
  checkBodyLength,
  checkKeyLength,
  readPartNumber,
  readVersionId,
  readWritePreconditions,
} from './request-checks';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('checkKeyLength', () => {
  it('accepts 1024 bytes and refuses 1025 with KeyTooLongError', () => {
    expect(codeOf(() => checkKeyLength('k'.repeat(1024)))).toBeUndefined();
    expect(codeOf(() => checkKeyLength('k'.repeat(1025)))).toBe('KeyTooLongError');
  });

  it('counts UTF-8 bytes', () => {
    expect(codeOf(() => checkKeyLength('é'.repeat(513)))).toBe('KeyTooLongError');
  });
});

describe('checkBodyLength', () => {
  it('returns MissingContentLength without a length unless aws-chunked', () => {
    expect(codeOf(() => checkBodyLength(undefined, false, 10))).toBe('MissingContentLength');
    expect(codeOf(() => checkBodyLength(undefined, true, 10))).toBeUndefined();
  });

  it('returns EntityTooLarge past the limit, before reading', () => {
    expect(codeOf(() => checkBodyLength(11, false, 10))).toBe('EntityTooLarge');
    expect(codeOf(() => checkBodyLength(10, false, 10))).toBeUndefined();
  });
});

describe('readWritePreconditions', () => {
  it('reads If-Match and If-None-Match: *', () => {
    expect(readWritePreconditions({ 'if-none-match': '*' })).toEqual({ ifNoneMatch: '*' });
    expect(readWritePreconditions({ 'if-match': '"e"' })).toEqual({ ifMatch: '"e"' });
  });
});

describe('readVersionId', () => {
  it.each([
    ['', undefined, undefined],
    ['versionId=null', 'null', undefined],
    ['versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY', '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY', undefined],
    ['versionId=', undefined, 'InvalidArgument'],
    [`versionId=${'v'.repeat(65)}`, undefined, 'InvalidArgument'],
  ])('%s', (query, expected, code) => {
    const q = new URLSearchParams(query);
    expect(codeOf(() => readVersionId(q))).toBe(code);
    if (code === undefined) {
      expect(readVersionId(q)).toBe(expected);
    }
  });
});

describe('readPartNumber', () => {
  it('reads a part number', () => {
    expect(readPartNumber(new URLSearchParams('partNumber=1'), undefined)).toBe(1);
    expect(readPartNumber(new URLSearchParams(''), 'bytes=0-1')).toBeUndefined();
  });

  it.each(['0', '10001', 'x', '1.5', '-1'])('returns InvalidArgument for %s', (value) => {
    expect(codeOf(() => readPartNumber(new URLSearchParams({ partNumber: value }), undefined))).toBe(
      'InvalidArgument',
    );
  });

  it('returns InvalidRequest together with Range', () => {
    expect(codeOf(() => readPartNumber(new URLSearchParams('partNumber=1'), 'bytes=0-1'))).toBe(
      'InvalidRequest',
    );
  });
});
