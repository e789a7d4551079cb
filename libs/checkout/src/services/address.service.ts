import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NotAuthenticatedError, type Page, type PageQueryDto, toPage, ValidationFailedError } from '@app/common';
import type { StorefrontRequestContext, UserEntity } from '@app/identity';
import {
  ADDRESSES_MAX,
  type AddressCreateDto,
  type AddressDetailedResponseDto,
  type AddressResponseDto,
  type AddressUpdateDto,
} from '../dtos/address.dto';
import { AddressEntity } from '../entities/address.entity';
import { AddressNotFoundError } from '../errors';

/** Any fixed number: the first key of the per-user advisory lock that serialises address creation. */
const ADDRESS_LOCK_KEY = 48_311_207;

function toResponse(row: AddressEntity): AddressResponseDto {
  return {
    pk: row.id,
    title: row.title,
    first_name: row.firstName,
    last_name: row.lastName,
    line: row.line,
    city: row.city,
    township: row.township,
    district: row.district,
    postcode: row.postcode,
    phone: row.phone,
    country: row.country,
    is_corporate: row.isCorporate,
    company_name: row.companyName,
    tax_office: row.taxOffice,
    tax_no: row.taxNo,
    created_date: row.createdDate.toISOString(),
    modified_date: row.modifiedDate.toISOString(),
  };
}

function toDetailed(row: AddressEntity): AddressDetailedResponseDto {
  const flat = toResponse(row);
  return {
    pk: flat.pk,
    title: flat.title,
    first_name: flat.first_name,
    last_name: flat.last_name,
    line: flat.line,
    country: { code: row.country },
    city: { name: row.city },
    township: row.township ? { name: row.township } : null,
    district: row.district ? { name: row.district } : null,
    postcode: flat.postcode,
    phone: flat.phone,
    is_corporate: flat.is_corporate,
    company_name: flat.company_name,
    tax_office: flat.tax_office,
    tax_no: flat.tax_no,
    created_date: flat.created_date,
    modified_date: flat.modified_date,
  };
}

/** The entity's fields from a request body; `undefined` leaves a field as it is (PATCH). */
function fields(dto: AddressUpdateDto): Partial<AddressEntity> {
  const values: Partial<AddressEntity> = {
    title: dto.title,
    firstName: dto.first_name,
    lastName: dto.last_name,
    line: dto.line,
    city: dto.city,
    township: dto.township,
    district: dto.district,
    postcode: dto.postcode,
    phone: dto.phone,
    country: dto.country,
    isCorporate: dto.is_corporate,
    companyName: dto.company_name,
    taxOffice: dto.tax_office,
    taxNo: dto.tax_no,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Optional fields a full write (create, PUT) resets when they are not sent. */
const BLANK: Partial<AddressEntity> = {
  township: '',
  district: '',
  postcode: '',
  isCorporate: false,
  companyName: '',
  taxOffice: '',
  taxNo: '',
};

/** The signed-in user's own addresses; another user's address is answered as not found. */
@Injectable()
export class AddressService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(ctx: StorefrontRequestContext, query: PageQueryDto, url: URL): Promise<Page<AddressResponseDto>> {
    const [rows, count] = await this.page(ctx, query);
    return toPage(rows.map(toResponse), count, query, url);
  }

  async listDetailed(
    ctx: StorefrontRequestContext,
    query: PageQueryDto,
    url: URL,
  ): Promise<Page<AddressDetailedResponseDto>> {
    const [rows, count] = await this.page(ctx, query);
    return toPage(rows.map(toDetailed), count, query, url);
  }

  async get(ctx: StorefrontRequestContext, pk: number): Promise<AddressResponseDto> {
    return toResponse(await this.find(this.dataSource.manager, this.requireUser(ctx), ctx, pk));
  }

  async create(ctx: StorefrontRequestContext, dto: AddressCreateDto): Promise<AddressResponseDto> {
    const user = this.requireUser(ctx);
    const row = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, $2)', [ADDRESS_LOCK_KEY, user.id]);
      const count = await m
        .getRepository(AddressEntity)
        .count({ where: { channelId: ctx.channel.id, userId: user.id } });
      if (count >= ADDRESSES_MAX) {
        throw ValidationFailedError.forField('non_field_errors', 'checkout.addresses_exceeded', {
          max: ADDRESSES_MAX,
        });
      }
      const repository = m.getRepository(AddressEntity);
      return repository.save(
        repository.create({ ...BLANK, ...fields(dto), channelId: ctx.channel.id, userId: user.id }),
      );
    });
    return this.get(ctx, row.id);
  }

  /** PUT replaces the whole address (unsent optional fields become blank); PATCH changes only what is sent. */
  async update(
    ctx: StorefrontRequestContext,
    pk: number,
    dto: AddressUpdateDto,
    mode: 'replace' | 'patch',
  ): Promise<AddressResponseDto> {
    const user = this.requireUser(ctx);
    await this.dataSource.transaction(async (m) => {
      const row = await this.find(m, user, ctx, pk);
      const changes = mode === 'replace' ? { ...BLANK, ...fields(dto) } : fields(dto);
      await m.getRepository(AddressEntity).save(Object.assign(row, changes, { modifiedDate: new Date() }));
    });
    return this.get(ctx, pk);
  }

  async delete(ctx: StorefrontRequestContext, pk: number): Promise<void> {
    const user = this.requireUser(ctx);
    const row = await this.find(this.dataSource.manager, user, ctx, pk);
    await this.dataSource.getRepository(AddressEntity).delete({ id: row.id, userId: user.id });
  }

  private page(ctx: StorefrontRequestContext, query: PageQueryDto): Promise<[AddressEntity[], number]> {
    const user = this.requireUser(ctx);
    return this.dataSource.getRepository(AddressEntity).findAndCount({
      where: { channelId: ctx.channel.id, userId: user.id },
      order: { id: 'ASC' },
      skip: query.offset,
      take: query.page_size,
    });
  }

  private async find(
    m: EntityManager,
    user: UserEntity,
    ctx: StorefrontRequestContext,
    pk: number,
  ): Promise<AddressEntity> {
    if (!Number.isSafeInteger(pk) || pk < 1 || pk > 2_147_483_647) throw new AddressNotFoundError();
    const row = await m
      .getRepository(AddressEntity)
      .findOne({ where: { id: pk, channelId: ctx.channel.id, userId: user.id } });
    if (!row) throw new AddressNotFoundError();
    return row;
  }

  private requireUser(ctx: StorefrontRequestContext): UserEntity {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }
}
