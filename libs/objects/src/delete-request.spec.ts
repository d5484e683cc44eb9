import { Readable } from 'node:stream';
import { parseDeleteRequest, readBoundedBody } from './delete-request';

const doc = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</Delete>`;

describe('parseDeleteRequest', () => {
  it('reads keys, versions and Quiet', () => {
    const xml = doc(`
      <Quiet>true</Quiet>
      <Object><Key>a.txt</Key></Object>
      <Object><Key>dir/b</Key><VersionId>v1</VersionId></Object>`);
    expect(parseDeleteRequest(xml, 1000)).toEqual({
      isQuiet: true,
      objects: [{ key: 'a.txt' }, { key: 'dir/b', versionId: 'v1' }],
    });
  });

  it('keeps keys exactly as sent (spaces, digits, entities)', () => {
    const xml = doc(
      '<Object><Key> spaced </Key></Object><Object><Key>007</Key></Object><Object><Key>a&amp;b</Key></Object>',
    );
    expect(parseDeleteRequest(xml, 1000).objects).toEqual([
      { key: ' spaced ' },
      { key: '007' },
      { key: 'a&b' },
    ]);
  });

  it('decodes character references as Go clients (rclone) send them', () => {
    const xml = doc(
      '<Object><Key>say &#34;hi&#34;&#x9;&#39;x&#39;</Key><VersionId>v&amp;1</VersionId></Object>',
    );
    expect(parseDeleteRequest(xml, 1000).objects).toEqual([{ key: `say "hi"\t'x'`, versionId: 'v&1' }]);
  });

  it('reads documents whose elements carry a namespace prefix', () => {
    const xml =
      '<s3:Delete xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Quiet>true</s3:Quiet>' +
      '<s3:Object><s3:Key>a&amp;b</s3:Key></s3:Object></s3:Delete>';
    expect(parseDeleteRequest(xml, 1000)).toEqual({ isQuiet: true, objects: [{ key: 'a&b' }] });
  });

  it('defaults Quiet to false', () => {
    expect(parseDeleteRequest(doc('<Object><Key>k</Key></Object>'), 10).isQuiet).toBe(false);
  });

  it.each([
    ['an empty body', ''],
    ['broken XML', '<Delete><Object>'],
    ['another root', '<Remove><Object><Key>k</Key></Object></Remove>'],
    ['no objects', doc('<Quiet>true</Quiet>')],
    ['an object without a key', doc('<Object><VersionId>v</VersionId></Object>')],
    ['too many objects', doc('<Object><Key>a</Key></Object>'.repeat(3))],
    ['a bad Quiet', doc('<Quiet>maybe</Quiet><Object><Key>a</Key></Object>')],
    ['an undeclared entity in a key', doc('<Object><Key>a&nbsp;b</Key></Object>')],
  ])('returns MalformedXML for %s', (_name, xml) => {
    expect(() => parseDeleteRequest(xml, 2)).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });
});

describe('readBoundedBody', () => {
  it('reads a small body', async () => {
    await expect(readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3)).resolves.toEqual(
      Buffer.from('abc'),
    );
  });

  it('returns MaxMessageLengthExceeded past the bound', async () => {
    await expect(readBoundedBody(Readable.from([Buffer.alloc(4)]), 3)).rejects.toMatchObject({
      code: 'MaxMessageLengthExceeded',
    });
  });
});
