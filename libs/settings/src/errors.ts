import { DomainError } from '@app/common';
import type { DynamicSettingKey } from './services/dynamic-settings.service';

/*
 * The settings lib's typed errors: which setting was wrong, in the lib's own terms. None carries an HTTP status or
 * a message: the back office's edge table (`apps/omnitron/src/edge-errors.ts`) says how each is answered.
 */

export abstract class SettingsError extends DomainError {
  static readonly abstractBase = true;
}

/** A change names a setting there is none of. */
export class SettingUnknownError extends SettingsError {
  readonly reason = 'setting_unknown';
  constructor(readonly key: string) {
    super(`no dynamic setting ${key}`);
  }
}

/** A change gives a setting a value it cannot take (LOYALTY_MONEY_ENABLED not a boolean, a rate past 100, ...). */
export class SettingValueInvalidError extends SettingsError {
  readonly reason = 'setting_value_invalid';
  constructor(readonly key: DynamicSettingKey) {
    super(`not a value for ${key}`);
  }
}
