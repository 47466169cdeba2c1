import Fastify, { type FastifyInstance } from 'fastify';
import { registerAnswerBatching } from './answer-batching';

describe('registerAnswerBatching', () => {
  /** The order of a route's handler and of a setImmediate queued when the request arrived (onRequest). */
  async function order(
    app: FastifyInstance,
    register: (app: FastifyInstance) => void = () => undefined,
  ): Promise<string[]> {
    const events: string[] = [];
    app.addHook('onRequest', (_request, _reply, done) => {
      setImmediate(() => events.push('next loop turn'));
      done();
    });
    register(app);
    app.get('/', (_request, reply) => {
      events.push('handler');
      void reply.send('ok');
    });
    // Over a real socket: injected requests take loop turns of their own.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(address)).status).toBe(200);
    await app.close();
    return events;
  }

  it('should run handlers in the next event-loop turn, after what was already queued for it', async () => {
    expect(await order(Fastify(), registerAnswerBatching)).toEqual([
      'next loop turn',
      'handler',
    ]);
  });

  it('should differ from Fastify without it, which runs the handler in the same turn', async () => {
    expect(await order(Fastify())).toEqual(['handler', 'next loop turn']);
  });
});
