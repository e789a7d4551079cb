import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from './entities/geography.entity';
import { PlaceAdminRepository } from './repositories/place-admin.repository';
import { PlaceImportRepository } from './repositories/place-import.repository';
import { PlaceRepository } from './repositories/place.repository';
import { GeographyAdminService } from './services/geography-admin.service';
import { GeographyImportService } from './services/geography-import.service';
import { GeographyService } from './services/geography.service';

/** Countries, cities, townships and districts of the installation (global, not per channel). */
@Module({
  imports: [TypeOrmModule.forFeature([CountryEntity, CityEntity, TownshipEntity, DistrictEntity])],
  providers: [
    PlaceRepository,
    PlaceAdminRepository,
    PlaceImportRepository,
    GeographyService,
    GeographyAdminService,
    GeographyImportService,
  ],
  exports: [GeographyService, GeographyAdminService, GeographyImportService],
})
export class GeographyModule {}
