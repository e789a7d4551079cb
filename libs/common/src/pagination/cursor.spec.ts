import { decodeCursor, encodeCursor, type PageCursor } from './cursor';
import { PageQueryDto, toPage } from './pagination';

describe('page cursors', () => {
  it('round-trip through their token', () => {
    const cursors: PageCursor[] = [
      { direction: 'after', id: 1 },
      { direction: 'before', id: 9_007_199_254_740_991 },
      { direction: 'after', id: 42, inclusive: true },
    ];
    for (const cursor of cursors) expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuse anything that is not a token of ours', () => {
    const token = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of ['', 'a', 'x1', 'a0', 'a01', 'a-1', 'a1.5', 'a 1', 'b==1', 'a9007199254740993', 'a1\n']) {
      expect(decodeCursor(token(bad))).toBeNull();
    }
    expect(decodeCursor('YTE=')).toBeNull(); // padding is not base64url
    expect(decodeCursor('YT' + 'E'.repeat(100))).toBeNull();
    expect(decodeCursor(12)).toBeNull();
  });

  it('become the links of a keyset page, with the other parameters kept', () => {
    const url = new URL('http://shop.test/l/?user=5&page=3&page_size=2');
    const query = Object.assign(new PageQueryDto(), { page: 3, page_size: 2 });
    const page = toPage(['x'], 9, query, url, {
      next: { direction: 'after', id: 7 },
      previous: { direction: 'before', id: 8 },
    });
    expect(page.next).toBe(
      `http://shop.test/l/?user=5&page_size=2&cursor=${encodeCursor({ direction: 'after', id: 7 })}`,
    );
    expect(page.previous).toBe(
      `http://shop.test/l/?user=5&page_size=2&cursor=${encodeCursor({ direction: 'before', id: 8 })}`,
    );
    // A numbered page past the end has no row to start from: its previous is the page number before.
    const past = toPage([], 9, query, url, { next: null, previous: null });
    expect(past).toMatchObject({ next: null, previous: 'http://shop.test/l/?user=5&page_size=2&page=2' });
  });
});
