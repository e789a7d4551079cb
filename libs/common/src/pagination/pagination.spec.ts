import { PageQueryDto, toPage } from './pagination';

function query(page: number, pageSize: number): PageQueryDto {
  return Object.assign(new PageQueryDto(), { page, page_size: pageSize });
}

describe('toPage', () => {
  const url = new URL('http://shop.test/account/loyalty/?currency=try&page=2');

  it('links to neighbours keeping the other query parameters', () => {
    const page = toPage(['c', 'd'], 6, query(2, 2), url);
    expect(page).toEqual({
      count: 6,
      next: 'http://shop.test/account/loyalty/?currency=try&page=3',
      previous: 'http://shop.test/account/loyalty/?currency=try&page=1',
      results: ['c', 'd'],
    });
  });

  it('has no next link on the last page and no previous on the first', () => {
    expect(toPage(['e'], 5, query(3, 2), url).next).toBeNull();
    expect(toPage(['a'], 1, query(1, 10), url).previous).toBeNull();
  });
});
