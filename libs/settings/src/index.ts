export * from './settings.module';
export * from './errors';
export * from './dtos/dynamic-settings.dto';
export * from './entities/dynamic-setting.entity';
export * from './services/dynamic-settings.service';
