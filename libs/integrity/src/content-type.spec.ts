import { contentTypeForKey, DEFAULT_CONTENT_TYPE } from './content-type';

describe('contentTypeForKey', () => {
  it.each([
    ['notes.txt', 'text/plain'],
    ['photos/2024/A.JPG', 'image/jpeg'],
    ['site/index.html', 'text/html'],
    ['data.tar.gz', 'application/gzip'],
    ['README', DEFAULT_CONTENT_TYPE],
    ['.hidden', DEFAULT_CONTENT_TYPE],
    ['dir.txt/file', DEFAULT_CONTENT_TYPE],
    ['archive.unknownext', DEFAULT_CONTENT_TYPE],
  ])('%s → %s', (key, type) => {
    expect(contentTypeForKey(key)).toBe(type);
  });
});
