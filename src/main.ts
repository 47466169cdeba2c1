import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup';
import {
  validateEnvironment,
  type EnvironmentVariables,
} from './config/env.validation';

async function bootstrap(): Promise<void> {
  // Validated here first, so a bad variable ends the process with one line, before Nest logs anything.
  validateEnvironment(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(),
    {
      ...APP_OPTIONS,
      abortOnError: false,
    },
  );
  configureApp(app);
  app.enableShutdownHooks();
  const config =
    app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  await app.listen(
    config.get('PORT', { infer: true }),
    config.get('HOST', { infer: true }),
  );
}

bootstrap().catch((error: unknown) => {
  // One line per problem, no stack: an invalid environment is an operator's typo, not a crash.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
