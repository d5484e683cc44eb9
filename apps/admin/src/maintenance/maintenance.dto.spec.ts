import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { GcRunDto, HistoryQueryDto, IntegrityRunDto } from './maintenance.dto';

// The admin app's global pipe (admin-app.ts).
const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

async function parse<T>(metatype: new () => T, value: unknown, type: ArgumentMetadata['type']): Promise<T> {
  return (await pipe.transform(value, { metatype, type })) as T;
}

async function message(metatype: new () => unknown, value: unknown, type: ArgumentMetadata['type']) {
  try {
    await parse(metatype, value, type);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return String(((err as BadRequestException).getResponse() as { message: string[] }).message);
  }
}

describe('maintenance DTOs', () => {
  it('accepts an empty run body and the spec fields', async () => {
    expect(await parse(GcRunDto, undefined, 'body')).toEqual({});
    expect(await parse(GcRunDto, { dry_run: true }, 'body')).toEqual({ dry_run: true });
    expect(await parse(IntegrityRunDto, { dry_run: false, auto_heal: true }, 'body')).toEqual({
      dry_run: false,
      auto_heal: true,
    });
  });

  it('rejects wrong types and unknown fields, naming them', async () => {
    expect(await message(GcRunDto, { dry_run: 'yes' }, 'body')).toContain('dry_run must be a boolean value');
    expect(await message(IntegrityRunDto, { autoHeal: true }, 'body')).toContain(
      'property autoHeal should not exist',
    );
  });

  it('pages history with defaults and bounds', async () => {
    expect(await parse(HistoryQueryDto, {}, 'query')).toMatchObject({ limit: 50, offset: 0 });
    expect(await parse(HistoryQueryDto, { limit: '5', offset: '10' }, 'query')).toMatchObject({
      limit: 5,
      offset: 10,
    });
    expect(await message(HistoryQueryDto, { limit: '0' }, 'query')).toContain(
      'limit must not be less than 1',
    );
    expect(await message(HistoryQueryDto, { limit: '501' }, 'query')).toContain(
      'limit must not be greater than 500',
    );
    expect(await message(HistoryQueryDto, { offset: '-1' }, 'query')).toContain(
      'offset must not be less than 0',
    );
    expect(await message(HistoryQueryDto, { limit: 'ten' }, 'query')).toContain('limit must be an integer');
  });
});
