import { Injectable } from '@nestjs/common';

/** The current time, injectable so tests can pin "now" (defaults depend on the last complete month). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
