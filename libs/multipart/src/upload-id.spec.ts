import { isUploadId, newUploadId } from './upload-id';

describe('upload ids', () => {
  it('are URL-safe, recognised, and distinct', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newUploadId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-zA-Z_-]{34}$/);
      expect(encodeURIComponent(id)).toBe(id);
      expect(isUploadId(id)).toBe(true);
    }
  });

  it('sort by creation time as byte strings', () => {
    const times = [0, 1, 255, 1_700_000_000_000, 1_700_000_000_001, 2 ** 47];
    const ids = times.map((t) => newUploadId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('refuses strings that are not upload ids (paths, other shapes)', () => {
    for (const bad of ['', '../../etc', 'VXBsb2Fk', `${newUploadId()}x`, newUploadId().replace(/^./, 'G')]) {
      expect(isUploadId(bad)).toBe(false);
    }
  });
});
