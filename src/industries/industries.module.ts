import { Module } from '@nestjs/common';
import { IndustriesController } from './industries.controller';

@Module({ controllers: [IndustriesController] })
export class IndustriesModule {}
