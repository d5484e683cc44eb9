import { newBucket, useMetadataDb, version } from '../metadata/harness';
import { describeEachDialect } from '../support/db-matrix';

describeEachDialect('object part sizes column', (entry) => {
  const db = useMetadataDb(entry);

  it('stores run-length part sizes of a multipart object and null for others', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const partSizes: [number, number][] = [
      [5 * 1024 ** 3, 9999],
      [17, 1],
    ];
    const put = await h.uow.run((tx) =>
      h.objects.putCurrent(tx, version(bucket.id, 'mpu', { partsCount: 10000, partSizes }), {
        replaceNullVersion: true,
      }),
    );
    expect(put.version.partSizes).toEqual(partSizes);
    expect((await h.objects.findCurrent(bucket.id, 'mpu'))?.partSizes).toEqual(partSizes);
    await h.uow.run((tx) =>
      h.objects.putCurrent(tx, version(bucket.id, 'single'), { replaceNullVersion: true }),
    );
    expect((await h.objects.findCurrent(bucket.id, 'single'))?.partSizes).toBeNull();
  });
});
