import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The `app_secret` table: secrets every instance shares, drawn once by whichever instance needs one first. */
@Injectable()
export class AppSecretRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The secret stored under `name`; stored first as `drawn()` when there is none (the first writer wins). */
  async shared(name: string, drawn: () => string): Promise<string> {
    await this.dataSource.query('INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      drawn(),
    ]);
    const rows: { value: string }[] = await this.dataSource.query('SELECT value FROM app_secret WHERE name = $1', [
      name,
    ]);
    return rows[0].value;
  }
}
