import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { Translator } from '../i18n/translator';
import { ConflictError, NotFoundError } from './app-error';
import { DomainError, domainErrorClassesOf, EdgeErrors, edgeRule } from './domain-error';
import { ErrorRenderer } from './error-renderer';

abstract class ShopError extends DomainError {
  static readonly abstractBase = true;
}
class ShelfEmptyError extends ShopError {
  readonly reason = 'shelf_empty';
  constructor(readonly shelf: number) {
    super();
  }
}
class BackShelfEmptyError extends ShelfEmptyError {}
class TillClosedError extends ShopError {
  readonly reason = 'till_closed';
}

const request = { headers: {}, url: '/x' } as FastifyRequest;
const edge = new EdgeErrors([edgeRule(ShelfEmptyError, () => new NotFoundError('shelf_empty', 'errors.not_found'))]);
const renderer = new ErrorRenderer(new Translator({ defaultLanguage: 'en' } as AppConfig), edge);

describe(EdgeErrors.name, () => {
  it('answers a domain error by its class, and a subclass by its parent row', () => {
    expect(edge.toHttp(new ShelfEmptyError(3))).toMatchObject({ kind: 'not_found', code: 'shelf_empty' });
    expect(edge.toHttp(new BackShelfEmptyError(4))).toMatchObject({ kind: 'not_found', code: 'shelf_empty' });
    expect(edge.covers(BackShelfEmptyError)).toBe(false);
  });

  it('renders a domain error with a row as its row says, and one without as a 500 that says nothing', () => {
    expect(renderer.render(new ShelfEmptyError(3), request)).toMatchObject({
      status: 404,
      body: { code: 'shelf_empty' },
    });
    const unmapped = renderer.render(new TillClosedError(), request);
    expect(unmapped).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(JSON.stringify(unmapped.body)).not.toContain('till');
  });

  it('refuses two rows for one class', () => {
    const rule = edgeRule(TillClosedError, () => new ConflictError('till_closed', 'errors.conflict'));
    expect(() => new EdgeErrors([rule, rule])).toThrow('two edge rules for TillClosedError');
  });

  it('finds the concrete domain error classes among a module’s exports, not its abstract bases', () => {
    const found = domainErrorClassesOf({ ShopError, ShelfEmptyError, TillClosedError, NotFoundError, x: 1 });
    expect(found).toEqual([ShelfEmptyError, TillClosedError]);
  });
});
