import { encodeXml } from '@myfsio/common';
import { copyObjectXml, deleteResultXml } from './object-xml';

describe('object XML results', () => {
  it('writes CopyObjectResult with a quoted ETag, ISO LastModified and checksums', () => {
    const { root, body } = copyObjectXml({
      etag: 'abc',
      lastModified: new Date('2024-05-01T12:00:00.123Z'),
      checksums: { CRC32: 'NhCmhg==' },
      versionId: null,
      sourceVersionId: null,
    });
    const xml = encodeXml(root, body);
    expect(xml).toContain('<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xml).toContain('<ETag>&quot;abc&quot;</ETag>');
    expect(xml).toContain('<LastModified>2024-05-01T12:00:00.123Z</LastModified>');
    expect(xml).toContain('<ChecksumCRC32>NhCmhg==</ChecksumCRC32><ChecksumType>FULL_OBJECT</ChecksumType>');
  });

  it('writes DeleteResult entries, omitting empty lists', () => {
    const result = deleteResultXml({
      deleted: [{ key: 'a' }, { key: 'b', versionId: 'v1' }],
      errors: [{ key: 'c', code: 'InternalError', message: 'oops' }],
    });
    const xml = encodeXml(result.root, result.body);
    expect(xml).toContain(
      '<Deleted><Key>a</Key></Deleted><Deleted><Key>b</Key><VersionId>v1</VersionId></Deleted>',
    );
    expect(xml).toContain('<Error><Key>c</Key><Code>InternalError</Code><Message>oops</Message></Error>');
    const quiet = deleteResultXml({ deleted: [], errors: [] });
    expect(encodeXml(quiet.root, quiet.body)).not.toContain('<Deleted');
  });

  it('reports delete markers created or removed in DeleteResult', () => {
    const result = deleteResultXml({
      deleted: [
        { key: 'm', deleteMarker: true, deleteMarkerVersionId: 'dm1' },
        { key: 'n', versionId: 'dm2', deleteMarker: true, deleteMarkerVersionId: 'dm2' },
      ],
      errors: [],
    });
    expect(encodeXml(result.root, result.body)).toContain(
      '<Deleted><Key>m</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>dm1</DeleteMarkerVersionId></Deleted>' +
        '<Deleted><Key>n</Key><VersionId>dm2</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>dm2</DeleteMarkerVersionId></Deleted>',
    );
  });
});
