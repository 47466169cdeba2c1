import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AdminKeyGuard } from '../http/admin-key.guard';
import { TenantAuthenticator } from './tenant-authenticator';
import { ReadAccessGuard, TenantKeyGuard } from './tenant-key.guard';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';

/** Tenants: the admin's endpoints to manage them, and the guard that authenticates a tenant's key. */
@Module({
  controllers: [TenantsController],
  providers: [
    Clock,
    AdminKeyGuard,
    TenantsRepository,
    TenantAuthenticator,
    TenantKeyGuard,
    ReadAccessGuard,
  ],
  exports: [
    TenantsRepository,
    TenantAuthenticator,
    TenantKeyGuard,
    ReadAccessGuard,
  ],
})
export class TenantsModule {}
