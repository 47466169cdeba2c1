import { Logger } from '@nestjs/common';

// Nest's default logger writes coloured lines between the test results (every class with a `new Logger(...)`). The
// tests that check what is logged spy on Logger.prototype, which this leaves in place; the processes the e2e tests
// start log as deployed.
Logger.overrideLogger(false);
