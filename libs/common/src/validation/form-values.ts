import { Transform } from 'class-transformer';

/*
 * The back office takes form-encoded bodies, where every value is text: "2" is the integer 2 and "true"/"false"
 * are booleans, as the platform's back office accepts them. Anything else is left as sent, for the validators
 * to refuse with their own message.
 */

const INTEGER_TEXT = /^-?\d{1,15}$/;

export function ToInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value.trim()) : value,
  );
}

export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    return value;
  });
}
