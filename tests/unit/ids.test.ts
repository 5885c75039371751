import { describe, expect, it } from 'vitest';
import { Id, ID_MAX, IdParam } from '../../protocol/ids';

describe('IdParam (ids in paths and query strings)', () => {
  it.each([
    ['1', 1],
    ['16', 16],
    ['2147483647', ID_MAX],
  ])('reads %j as %i', (raw, id) => {
    expect(IdParam.parse(raw)).toBe(id);
  });

  it.each(['0x10', '0X10', '0o20', '0b10000', '1e1', '1E1', '+5', '-5', '05', '0', '00', ' 5', '5 ', '5\n', '5.0', '5.', '.5', '1_000', '١٦', 'Infinity', 'NaN', '', '2147483648', '99999999999', '9007199254740993', '1'.repeat(400)])(
    'refuses %j',
    (raw) => {
      expect(IdParam.safeParse(raw).success).toBe(false);
    },
  );

  it('refuses what is not a string (an array from a repeated query parameter, an object)', () => {
    for (const v of [['1', '2'], { a: '1' }, 1, null, undefined]) expect(IdParam.safeParse(v).success).toBe(false);
  });
});

describe('Id (ids in JSON bodies and socket payloads)', () => {
  it.each([1, 16, ID_MAX])('accepts %d', (id) => expect(Id.parse(id)).toBe(id));
  it.each([0, -1, 1.5, ID_MAX + 1, 1e300, Number.NaN, Infinity, '16', null])('refuses %j', (v) => {
    expect(Id.safeParse(v).success).toBe(false);
  });
});
