import { AMOUNT_MAX_MINOR, formatAmount, message, parseAmount } from '@app/common';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * A money field sent as a decimal string ("20", "20.00") or a JSON number (20): at most two decimals, no exponent,
 * within AMOUNT_MAX_MINOR, and (unless `allowNonPositive`) greater than zero. The service parses it again with
 * parseAmount into bigint minor units: this decorator only gives the HTTP layer its per-field message early.
 */
export function IsAmount(options: { allowNonPositive?: boolean } = {}, validation?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate(value: unknown): boolean {
          const parsed = parseAmount(value);
          return parsed.ok && (options.allowNonPositive === true || parsed.minor > 0n);
        },
        defaultMessage(args: ValidationArguments): string {
          const parsed = parseAmount(args.value);
          if (parsed.ok) return message('validation.amount_not_positive');
          switch (parsed.problem) {
            case 'decimals':
              return message('validation.amount_decimals');
            case 'too_large':
              return message('validation.amount_too_large', { max: formatAmount(AMOUNT_MAX_MINOR) });
            case 'invalid':
              return message('validation.amount_invalid');
          }
        },
      },
    });
  };
}
