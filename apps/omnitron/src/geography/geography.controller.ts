import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPageResponse, ErrorResponseDto, type Page, PageUrl, ParseIdPipe } from '@app/common';
import {
  CityAdminQueryDto,
  CityCreateDto,
  CityResponseDto,
  CityUpdateDto,
  CountryAdminQueryDto,
  CountryCreateDto,
  CountryResponseDto,
  CountryUpdateDto,
  DistrictAdminQueryDto,
  DistrictCreateDto,
  DistrictResponseDto,
  DistrictUpdateDto,
  GeographyAdminService,
  TownshipAdminQueryDto,
  TownshipCreateDto,
  TownshipResponseDto,
  TownshipUpdateDto,
} from '@app/geography';
import { StaffEndpoint } from '@app/identity';

/**
 * The installation's geography in the back office: global rows, so superuser only (a channel-limited staff user
 * gets a 403). Rows are deactivated, never deleted: addresses and orders refer to them.
 */
@ApiTags('Geography')
@StaffEndpoint({ superuserOnly: true })
@Controller('api/v1/geography/countries')
export class GeographyCountriesController {
  constructor(private readonly geography: GeographyAdminService) {}

  @Get()
  @ApiOperation({
    operationId: 'listGeographyCountries',
    summary: 'Every country, inactive too, ordered by name; `code` finds one',
  })
  @ApiPageResponse(CountryResponseDto, 'A page of countries')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: CountryAdminQueryDto, @PageUrl() url: URL): Promise<Page<CountryResponseDto>> {
    return this.geography.listCountries(query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createGeographyCountry', summary: 'Create a country' })
  @ApiCreatedResponse({ type: CountryResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  create(@Body() dto: CountryCreateDto): Promise<CountryResponseDto> {
    return this.geography.createCountry(dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getGeographyCountry', summary: 'One country' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CountryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such country' })
  get(@Param('pk', ParseIdPipe) pk: number): Promise<CountryResponseDto> {
    return this.geography.country(pk);
  }

  @Patch(':pk')
  @ApiOperation({ operationId: 'updateGeographyCountry', summary: 'Change a country (its parent stays)' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CountryResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such country' })
  update(@Param('pk', ParseIdPipe) pk: number, @Body() dto: CountryUpdateDto): Promise<CountryResponseDto> {
    return this.geography.updateCountry(pk, dto);
  }

  @Post(':pk/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'deactivateGeographyCountry',
    summary:
      'Hide a country and what lies under it from the storefront (never deleted; PATCH is_active brings it back)',
  })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CountryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such country' })
  async deactivate(@Param('pk', ParseIdPipe) pk: number): Promise<CountryResponseDto> {
    await this.geography.deactivate('country', pk);
    return this.geography.country(pk);
  }
}

@ApiTags('Geography')
@StaffEndpoint({ superuserOnly: true })
@Controller('api/v1/geography/cities')
export class GeographyCitiesController {
  constructor(private readonly geography: GeographyAdminService) {}

  @Get()
  @ApiOperation({
    operationId: 'listGeographyCities',
    summary: 'Every city, inactive too, by priority and name; `country` filters',
  })
  @ApiPageResponse(CityResponseDto, 'A page of cities')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: CityAdminQueryDto, @PageUrl() url: URL): Promise<Page<CityResponseDto>> {
    return this.geography.listCities(query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createGeographyCity', summary: 'Create a city' })
  @ApiCreatedResponse({ type: CityResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  create(@Body() dto: CityCreateDto): Promise<CityResponseDto> {
    return this.geography.createCity(dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getGeographyCity', summary: 'One city' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CityResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such city' })
  get(@Param('pk', ParseIdPipe) pk: number): Promise<CityResponseDto> {
    return this.geography.city(pk);
  }

  @Patch(':pk')
  @ApiOperation({ operationId: 'updateGeographyCity', summary: 'Change a city (its parent stays)' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CityResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such city' })
  update(@Param('pk', ParseIdPipe) pk: number, @Body() dto: CityUpdateDto): Promise<CityResponseDto> {
    return this.geography.updateCity(pk, dto);
  }

  @Post(':pk/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'deactivateGeographyCity',
    summary: 'Hide a city and what lies under it from the storefront (never deleted; PATCH is_active brings it back)',
  })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: CityResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such city' })
  async deactivate(@Param('pk', ParseIdPipe) pk: number): Promise<CityResponseDto> {
    await this.geography.deactivate('city', pk);
    return this.geography.city(pk);
  }
}

@ApiTags('Geography')
@StaffEndpoint({ superuserOnly: true })
@Controller('api/v1/geography/townships')
export class GeographyTownshipsController {
  constructor(private readonly geography: GeographyAdminService) {}

  @Get()
  @ApiOperation({
    operationId: 'listGeographyTownships',
    summary: 'Every township, inactive too, by name; `city` filters',
  })
  @ApiPageResponse(TownshipResponseDto, 'A page of townships')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: TownshipAdminQueryDto, @PageUrl() url: URL): Promise<Page<TownshipResponseDto>> {
    return this.geography.listTownships(query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createGeographyTownship', summary: 'Create a township' })
  @ApiCreatedResponse({ type: TownshipResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  create(@Body() dto: TownshipCreateDto): Promise<TownshipResponseDto> {
    return this.geography.createTownship(dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getGeographyTownship', summary: 'One township' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: TownshipResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such township' })
  get(@Param('pk', ParseIdPipe) pk: number): Promise<TownshipResponseDto> {
    return this.geography.township(pk);
  }

  @Patch(':pk')
  @ApiOperation({ operationId: 'updateGeographyTownship', summary: 'Change a township (its parent stays)' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: TownshipResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such township' })
  update(@Param('pk', ParseIdPipe) pk: number, @Body() dto: TownshipUpdateDto): Promise<TownshipResponseDto> {
    return this.geography.updateTownship(pk, dto);
  }

  @Post(':pk/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'deactivateGeographyTownship',
    summary:
      'Hide a township and what lies under it from the storefront (never deleted; PATCH is_active brings it back)',
  })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: TownshipResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such township' })
  async deactivate(@Param('pk', ParseIdPipe) pk: number): Promise<TownshipResponseDto> {
    await this.geography.deactivate('township', pk);
    return this.geography.township(pk);
  }
}

@ApiTags('Geography')
@StaffEndpoint({ superuserOnly: true })
@Controller('api/v1/geography/districts')
export class GeographyDistrictsController {
  constructor(private readonly geography: GeographyAdminService) {}

  @Get()
  @ApiOperation({
    operationId: 'listGeographyDistricts',
    summary: 'Every district, inactive too, by name; `township` filters',
  })
  @ApiPageResponse(DistrictResponseDto, 'A page of districts')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: DistrictAdminQueryDto, @PageUrl() url: URL): Promise<Page<DistrictResponseDto>> {
    return this.geography.listDistricts(query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createGeographyDistrict', summary: 'Create a district' })
  @ApiCreatedResponse({ type: DistrictResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  create(@Body() dto: DistrictCreateDto): Promise<DistrictResponseDto> {
    return this.geography.createDistrict(dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getGeographyDistrict', summary: 'One district' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: DistrictResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such district' })
  get(@Param('pk', ParseIdPipe) pk: number): Promise<DistrictResponseDto> {
    return this.geography.district(pk);
  }

  @Patch(':pk')
  @ApiOperation({ operationId: 'updateGeographyDistrict', summary: 'Change a district (its parent stays)' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: DistrictResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such district' })
  update(@Param('pk', ParseIdPipe) pk: number, @Body() dto: DistrictUpdateDto): Promise<DistrictResponseDto> {
    return this.geography.updateDistrict(pk, dto);
  }

  @Post(':pk/deactivate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'deactivateGeographyDistrict',
    summary:
      'Hide a district and what lies under it from the storefront (never deleted; PATCH is_active brings it back)',
  })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: DistrictResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such district' })
  async deactivate(@Param('pk', ParseIdPipe) pk: number): Promise<DistrictResponseDto> {
    await this.geography.deactivate('district', pk);
    return this.geography.district(pk);
  }
}
