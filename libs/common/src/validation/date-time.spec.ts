import { isDateTimeText } from './date-time';

describe('isDateTimeText', () => {
  it.each(['2026-01-01', '2026-01-01T10:00', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00.123+03:00'])(
    'accepts %p',
    (value) => {
      expect(isDateTimeText(value)).toBe(true);
    },
  );

  it.each(['2026-W01', '2026-001', '2026-02-30', '2026-13-01', '2026-01-01T25:00:00Z', '', 20260101, null])(
    'refuses %p, which no Date reads as meant',
    (value) => {
      expect(isDateTimeText(value)).toBe(false);
    },
  );
});
