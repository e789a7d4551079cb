import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/app-error';

/*
 * Limits every request meets before a handler, DTO or query sees it (issue 18: no input gives a 5xx): the body's
 * depth in the body parser (bootstrap.ts), text and column ranges in the one validation pipe (validation.ts). They
 * hold for every route of both apps, checkout included, so that no endpoint can forget one.
 */

/**
 * Deepest nesting of a JSON body. The deepest body the APIs take is a product's prices (object > list > object) or
 * a basket line's attributes; 32 leaves room for any such value and keeps class-transformer's recursion short.
 */
export const JSON_DEPTH_MAX = 32;

/** Largest value of an `integer` column (int4): every id, and every integer field without a tighter maximum. */
export const INT4_MAX = 2_147_483_647;

/**
 * True when the JSON text nests arrays and objects deeper than `max`. A scan of the text, before `JSON.parse`: the
 * parser and the DTO transformation both recurse, and a body of a million brackets must cost neither.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/*
 * A NUL byte (PostgreSQL refuses it in text: error 22021) or half of a surrogate pair without its other half (not
 * text at all: encodeURIComponent and PostgreSQL's UTF-8 both refuse it). A well-formed pair is an emoji, and fine.
 */
// eslint-disable-next-line no-control-regex -- the NUL byte is exactly what this looks for
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isBadText(value: string): boolean {
  return BAD_TEXT.test(value);
}

/** A field name that is safe to echo back in an error: bad characters replaced. */
function printable(key: string): string {
  return key.replace(new RegExp(BAD_TEXT.source, 'g'), '\ufffd');
}

/**
 * The paths (`prices.0.currency`, as the validation pipe names fields) of every string in `value`, key or value,
 * that is not text PostgreSQL can store. Bounded: bodies are at most JSON_DEPTH_MAX deep and BODY_LIMIT_BYTES long.
 */
export function badTextPaths(value: unknown, prefix = '', found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (isBadText(value)) found.push(prefix || 'non_field_errors');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => badTextPaths(item, prefix ? `${prefix}.${index}` : String(index), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${printable(key)}` : printable(key);
      if (isBadText(key)) found.push(path);
      else badTextPaths(item, path, found);
    }
  }
  return found;
}

/**
 * An id in a path (`/loyalty_account/{pk}/`): a whole number an `integer` column can hold. Anything else (text,
 * zero, negative, beyond int4) names nothing, so it is a 404, as a router matching only such ids would answer,
 * rather than a query PostgreSQL refuses (error 22003: a 500).
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = idFromText(value);
    if (id === null) throw new NotFoundError();
    return id;
  }
}

/**
 * A value that can be a row's id: a whole number from 1 to INT4_MAX (every table's pk is an int4 column). The one
 * check of an id already a number (a session's basket, a parsed form value); text goes through idFromText.
 */
export function isPk(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= INT4_MAX;
}

/** An id from a path or a filter as text: the number when it is one an int4 column can hold, else null. */
export function idFromText(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return isPk(id) ? id : null;
}
