import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  CreateGroupDto,
  CreateUserDto,
  ExpiryDto,
  GroupMembersDto,
  ServiceAccountPolicyDto,
} from './iam.dto';

function errors<T extends object>(cls: new () => T, body: object): string[] {
  const dto = plainToInstance(cls, body);
  return validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
}

describe('IAM DTO validation', () => {
  it('accepts the spec create-user body', () => {
    expect(
      errors(CreateUserDto, {
        display_name: 'New User',
        policies: [{ bucket: '*', actions: ['list', 'read'] }],
        expires_at: '2026-12-31T23:59:59Z',
      }),
    ).toEqual([]);
  });

  it('names the field and reason for bad values', () => {
    expect(errors(CreateUserDto, { expires_at: 'next tuesday' })).toEqual([
      'expires_at must be a valid ISO 8601 date string',
    ]);
    expect(errors(CreateUserDto, { policies: 'read' })).toEqual([
      'policies must be a JSON array of simple policies or a policy object',
    ]);
    expect(errors(CreateUserDto, { name: 'has space' })).toEqual([
      'name must be 1-64 characters of letters, digits and +=,.@_-',
    ]);
    expect(errors(CreateUserDto, { display_name: 5 })).toContain('display_name must be a string');
    expect(errors(CreateUserDto, { surprise: 1 })).toEqual(['property surprise should not exist']);
  });

  it('treats an empty form expiry as "no expiry"', () => {
    const dto = plainToInstance(ExpiryDto, { expires_at: '' });
    expect(validateSync(dto)).toEqual([]);
    expect(dto.expires_at).toBeNull();
  });

  it('validates groups and members', () => {
    expect(errors(CreateGroupDto, {})).toEqual([
      'name must be 1-64 characters of letters, digits and +=,.@_-',
    ]);
    expect(errors(GroupMembersDto, { members: [] })).toEqual(['members should not be empty']);
    expect(errors(GroupMembersDto, { members: ['a', 3] })).toEqual([
      'each value in members must be a string',
    ]);
  });

  it('allows a null service-account policy but not a string', () => {
    expect(errors(ServiceAccountPolicyDto, { policy: null })).toEqual([]);
    expect(errors(ServiceAccountPolicyDto, { policy: 'x' })).toHaveLength(1);
  });
});
