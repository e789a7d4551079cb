import { Client } from 'pg';

/**
 * The SQL text of every statement sent to PostgreSQL (through any pooled connection) while `work` runs: what a
 * request or an operation costs in round trips.
 */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    await work();
    return spy.mock.calls.map(([query]) => (typeof query === 'string' ? query : (query as { text: string }).text));
  } finally {
    spy.mockRestore();
  }
}
