import { ApiProperty } from '@nestjs/swagger';

const TRANSLATIONS_SCHEMA = {
  type: 'object',
  nullable: true,
  additionalProperties: { type: 'object', properties: { name: { type: 'string' } } },
  example: { en: { name: 'Türkiye' } },
  description: 'Names per language; null when none are kept',
} as const;

/** The contract's Country. */
export class CountryResponseDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ example: 'TR', description: 'ISO 3166-1 alpha-2' }) code!: string;
  @ApiProperty({ example: 'Türkiye' }) name!: string;
  @ApiProperty({ example: true }) is_active!: boolean;
  @ApiProperty(TRANSLATIONS_SCHEMA) translations!: Record<string, { name: string }> | null;
}

/** The contract's City: its country as an object. */
export class CityResponseDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ example: 'İstanbul' }) name!: string;
  @ApiProperty({ type: CountryResponseDto }) country!: CountryResponseDto;
  @ApiProperty({ example: null, nullable: true, type: String }) postcode!: string | null;
  @ApiProperty({ example: true }) is_active!: boolean;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'Lower first; null after the rest' })
  priority!: number | null;
  @ApiProperty(TRANSLATIONS_SCHEMA) translations!: Record<string, { name: string }> | null;
}

/** The contract's Township: its city as an object. */
export class TownshipResponseDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ example: 'Kadıköy' }) name!: string;
  @ApiProperty({ type: CityResponseDto }) city!: CityResponseDto;
  @ApiProperty({ example: '34710', nullable: true, type: String }) postcode!: string | null;
  @ApiProperty({ example: true }) is_active!: boolean;
}

/** The contract's District: its city and township as pks. */
export class DistrictResponseDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ example: 'Caddebostan' }) name!: string;
  @ApiProperty({ example: 1, description: 'The city pk' }) city!: number;
  @ApiProperty({ example: 1, description: 'The township pk' }) township!: number;
  @ApiProperty({ example: '34728', nullable: true, type: String }) postcode!: string | null;
  @ApiProperty({ example: true }) is_active!: boolean;
}
