import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AdminKeyGuard } from '../http/admin-key.guard';
import { TenantKeyGuard } from './tenant-key.guard';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';

/** Tenants: the admin's endpoints to manage them, and the guard that authenticates a tenant's key. */
@Module({
  controllers: [TenantsController],
  providers: [Clock, AdminKeyGuard, TenantsRepository, TenantKeyGuard],
  exports: [TenantsRepository, TenantKeyGuard],
})
export class TenantsModule {}
