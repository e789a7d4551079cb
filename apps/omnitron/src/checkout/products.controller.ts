import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
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
  ProductCreateDto,
  ProductListQueryDto,
  ProductResponseDto,
  ProductService,
  ProductUpdateDto,
} from '@app/checkout';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';

@ApiTags('Products')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/products')
export class ProductsController {
  constructor(private readonly products: ProductService) {}

  @Get()
  @ApiOperation({ operationId: 'listProducts', summary: 'The channel’s products, oldest first; `sku` finds one' })
  @ApiPageResponse(ProductResponseDto, 'A page of products')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: ProductListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<ProductResponseDto>> {
    return this.products.list(channel, query, url);
  }

  @Post()
  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (SKU unique in the channel)' })
  @ApiCreatedResponse({ type: ProductResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  create(@StaffChannel() { channel }: StaffChannelContext, @Body() dto: ProductCreateDto): Promise<ProductResponseDto> {
    return this.products.create(channel, dto);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getProduct', summary: 'One product of the channel' })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: ProductResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such product in the channel' })
  get(
    @StaffChannel() { channel }: StaffChannelContext,
    @Param('pk', ParseIdPipe) pk: number,
  ): Promise<ProductResponseDto> {
    return this.products.get(channel, pk);
  }

  @Patch(':pk')
  @ApiOperation({
    operationId: 'updateProduct',
    summary: 'Change a product; `prices`, when sent, replaces all of its prices',
  })
  @ApiParam({ name: 'pk', type: Number, example: 1 })
  @ApiOkResponse({ type: ProductResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such product in the channel' })
  update(
    @StaffChannel() { channel }: StaffChannelContext,
    @Param('pk', ParseIdPipe) pk: number,
    @Body() dto: ProductUpdateDto,
  ): Promise<ProductResponseDto> {
    return this.products.update(channel, pk, dto);
  }
}
