import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { DATABASE, type Database } from './database';
import { createDatabase } from './open-database';

/**
 * The {@link Database} (DATABASE token) for every module that stores or reads contributed data: the PostgreSQL server
 * at DATABASE_URL or the embedded one under DATA_DIR, opened and migrated on first use (main.ts opens it at start),
 * closed with the app.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig): Database => createDatabase(config),
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
