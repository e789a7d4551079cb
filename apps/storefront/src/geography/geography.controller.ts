import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, ErrorResponseDto, type Page, PageUrl } from '@app/common';
import {
  CityQueryDto,
  CityResponseDto,
  CountryQueryDto,
  CountryResponseDto,
  DistrictQueryDto,
  DistrictResponseDto,
  GeographyService,
  TownshipQueryDto,
  TownshipResponseDto,
} from '@app/geography';

/** The address form's lookups: public (no session needed), active places only. */
@ApiTags('Address')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A filter that is not a pk, or bad paging' })
@Controller('address')
export class GeographyController {
  constructor(private readonly geography: GeographyService) {}

  @Get('country')
  @ApiOperation({ operationId: 'listCountries', summary: 'Active countries, by name' })
  @ApiPageResponse(CountryResponseDto, 'A page of countries')
  countries(@Query() query: CountryQueryDto, @PageUrl() url: URL): Promise<Page<CountryResponseDto>> {
    return this.geography.countries(query, url);
  }

  @Get('city')
  @ApiOperation({ operationId: 'listCities', summary: 'Active cities of a country, by priority and name' })
  @ApiPageResponse(CityResponseDto, 'A page of cities')
  cities(@Query() query: CityQueryDto, @PageUrl() url: URL): Promise<Page<CityResponseDto>> {
    return this.geography.cities(query, url);
  }

  @Get('township')
  @ApiOperation({ operationId: 'listTownships', summary: 'Active townships of a city, by name' })
  @ApiPageResponse(TownshipResponseDto, 'A page of townships')
  townships(@Query() query: TownshipQueryDto, @PageUrl() url: URL): Promise<Page<TownshipResponseDto>> {
    return this.geography.townships(query, url);
  }

  @Get('district')
  @ApiOperation({ operationId: 'listDistricts', summary: 'Active districts of a township, by name' })
  @ApiPageResponse(DistrictResponseDto, 'A page of districts')
  districts(@Query() query: DistrictQueryDto, @PageUrl() url: URL): Promise<Page<DistrictResponseDto>> {
    return this.geography.districts(query, url);
  }
}
